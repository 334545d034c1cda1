//===- SelectRegisterTilesPass.cpp - seq-select-register-tiles ------------===//
#include "autotune/Passes.h"
#include "autotune/RegisterTileProblem.h"
#include "dialects/Seq/IR/SeqDialect.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace seqc::autotune {
#define GEN_PASS_DEF_SEQSELECTREGISTERTILES
#include "autotune/Passes.h.inc"
} // namespace seqc::autotune

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;

namespace {

struct SeqSelectRegisterTilesPass
    : seqc::autotune::impl::SeqSelectRegisterTilesBase<
          SeqSelectRegisterTilesPass> {
  using Base::Base;

  /// The target once per pass instance, not once per function (the host
  /// model reads sysfs and cpuid).
  LogicalResult initialize(MLIRContext *) override {
    std::optional<HardwareModel> model = lookupTarget(target, targetError);
    if (model && model->isGpu)
      targetError = "target '" + target + "' is not a CPU";
    else
      hw = model;
    return success();
  }

  void runOnOperation() override {
    if (!hw) {
      getOperation().emitError()
          << "seq-select-register-tiles: " << targetError;
      return signalPassFailure();
    }
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op.getOperation()) ||
          seq::RegisterTileOf::isPresent(op) ||
          !registerTileBlocker(op).empty())
        return;
      auto c = cast<MemRefType>(op.getDpsInitOperand(0)->get().getType());
      auto b = cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
      int64_t rank = c.getRank();
      ContractionExtent extent;
      if (!c.isDynamicDim(rank - 2))
        extent.m = c.getDimSize(rank - 2);
      // A dynamic row count inside a recurrence's step loop is a batch
      // (costed as 16 rows, so that blocks split it evenly), elsewhere a
      // batch times a length.
      for (Operation *parent = op->getParentOp(); parent;
           parent = parent->getParentOp())
        if (seq::TimeLoopOf::isPresent(parent))
          extent.dynamicRows = 16;
      extent.n = c.getDimSize(rank - 1);
      extent.k = b.getDimSize(rank - 2);
      if (extent.n == 0 || extent.k == 0 || extent.m == 0)
        return;
      std::string why;
      std::optional<RegisterTile> tile = chooseRegisterTile(extent, *hw, why);
      if (!tile) {
        op->emitRemark() << "keeps the loop lowering: " << why;
        return;
      }
      seq::RegisterTileOf::set(
          op, seq::RegisterTileAttr::get(op->getContext(), tile->rows,
                                         tile->vectors * tile->vectorWidth,
                                         tile->vectorWidth));
    });
  }

private:
  std::optional<HardwareModel> hw;
  std::string targetError;
};

} // namespace
