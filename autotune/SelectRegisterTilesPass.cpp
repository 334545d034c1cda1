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
          seq::RegisterTileOf::isPresent(op))
        return;
      // The kernels that can compute it: the f32 one, and where the host
      // multiplies bf16 pairs and B holds bf16 values, the pair kernel.
      bool f32Kernel = registerTileBlocker(op).empty();
      bool pairKernel = hw->bf16DotProduct &&
                        registerTileBlocker(op, /*bf16Pairs=*/true).empty();
      if (!f32Kernel && !pairKernel)
        return;
      auto c = cast<MemRefType>(op.getDpsInitOperand(0)->get().getType());
      auto b = cast<MemRefType>(op.getDpsInputOperand(1)->get().getType());
      int64_t rank = c.getRank();
      ContractionExtent extent;
      if (!c.isDynamicDim(rank - 2))
        extent.m = c.getDimSize(rank - 2);
      // A dynamic row count inside a recurrence's step loop is a batch
      // (costed as 16 rows, so that blocks split it evenly), elsewhere a
      // batch times a length. The step loop's form may say how many bf16
      // terms its f32 state enters the product as (3: about f32's
      // precision).
      int64_t stateTerms = 3;
      for (Operation *parent = op->getParentOp(); parent;
           parent = parent->getParentOp())
        if (seq::FormAttr form = seq::TimeLoopOf::get(parent)) {
          extent.dynamicRows = 16;
          stateTerms = form.getStateTerms().value_or(stateTerms);
        }
      extent.columnsOuter = registerTileColumnsOuter(op);
      extent.packsOnce = registerTilePacksOnce(op);
      extent.n = c.getDimSize(rank - 1);
      extent.k = b.getDimSize(rank - 2);
      if (extent.n == 0 || extent.k == 0 || extent.m == 0)
        return;
      std::string why;
      std::optional<RegisterTile> tile;
      if (f32Kernel)
        tile = chooseRegisterTile(extent, *hw, why);
      // The pair kernel where it is the cheaper (with three terms of an
      // f32 A it multiplies half again as often as the f32 kernel; with
      // one, half as often).
      if (pairKernel) {
        auto a = cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
        extent.bf16Terms = a.getElementType().isBF16() ? 1 : stateTerms;
        std::optional<RegisterTile> pairs =
            chooseRegisterTile(extent, *hw, why);
        if (pairs && (!tile || pairs->cycles < tile->cycles)) {
          tile = pairs;
          tile->bf16Terms = extent.bf16Terms;
        }
      }
      if (!tile) {
        op->emitRemark() << "keeps the loop lowering: " << why;
        return;
      }
      seq::RegisterTileOf::set(
          op, seq::RegisterTileAttr::get(
                  op->getContext(), tile->rows,
                  tile->vectors * tile->vectorWidth, tile->vectorWidth,
                  tile->bf16Terms ? std::optional<int64_t>(tile->bf16Terms)
                                  : std::nullopt,
                  tile->reductionBlock
                      ? std::optional<int64_t>(tile->reductionBlock)
                      : std::nullopt,
                  tile->packedB));
    });
  }

private:
  std::optional<HardwareModel> hw;
  std::string targetError;
};

} // namespace
