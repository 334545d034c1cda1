//===- UnitTransposesToReshapesPass.cpp - seq-unit-transposes-to-reshapes -===//
//
// A linalg.transpose that moves only dimensions of size 1 keeps every
// element at the same linear position: it is a reshape, not a copy. The
// backward of a recurrence makes such transposes of whole sequences (its
// per-step values [B, 1, X] rows first [1, B, X], then stacked over steps:
// for an LSTM at B16 T1024 H256, 64 MB of dG copied to move a unit
// dimension). They become tensor.collapse_shape to the non-unit
// dimensions followed by tensor.expand_shape to the result's shape, which
// bufferize to views.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQUNITTRANSPOSESTORESHAPES
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

struct SeqUnitTransposesToReshapesPass
    : seqc::impl::SeqUnitTransposesToReshapesBase<
          SeqUnitTransposesToReshapesPass> {
  void runOnOperation() override {
    SmallVector<linalg::TransposeOp> transposes;
    getOperation().walk([&](linalg::TransposeOp op) {
      if (op.hasPureTensorSemantics())
        transposes.push_back(op);
    });
    for (linalg::TransposeOp op : transposes) {
      auto input = cast<RankedTensorType>(op.getInput().getType());
      auto result = cast<RankedTensorType>(op->getResult(0).getType());
      if (!input.hasStaticShape())
        continue;
      // The non-unit dimensions must keep their order.
      SmallVector<int64_t> nonUnit;
      for (int64_t source : op.getPermutation())
        if (input.getDimSize(source) != 1)
          nonUnit.push_back(source);
      if (!llvm::is_sorted(nonUnit))
        continue;
      SmallVector<int64_t> flat;
      for (int64_t source : nonUnit)
        flat.push_back(input.getDimSize(source));
      if (flat.empty())
        continue;
      std::optional<SmallVector<ReassociationIndices>> from =
          getReassociationIndicesForCollapse(input.getShape(), flat);
      std::optional<SmallVector<ReassociationIndices>> to =
          getReassociationIndicesForCollapse(result.getShape(), flat);
      if (!from || !to)
        continue;
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto flatType = RankedTensorType::get(flat, input.getElementType());
      // (A side without unit dimensions needs no reshape.)
      Value collapsed =
          int64_t(from->size()) == input.getRank()
              ? op.getInput()
              : tensor::CollapseShapeOp::create(b, loc, flatType,
                                                op.getInput(), *from)
                    .getResult();
      Value reshaped =
          int64_t(to->size()) == result.getRank()
              ? collapsed
              : tensor::ExpandShapeOp::create(b, loc, result, collapsed, *to)
                    .getResult();
      op->getResult(0).replaceAllUsesWith(reshaped);
      op->erase();
    }
  }
};

} // namespace
