//===- FuseElementwisePass.cpp - seq-fuse-elementwise ---------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQFUSEELEMENTWISE
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Whether `op`'s body computes a transcendental function (what is
/// expensive to compute again for every read).
bool computesTranscendental(Operation *op) {
  bool found = false;
  op->walk([&](Operation *inner) {
    if (inner->getDialect() &&
        inner->getDialect()->getNamespace() ==
            math::MathDialect::getDialectNamespace() &&
        !isa<math::AbsFOp, math::FmaOp, math::CopySignOp>(inner))
      found = true;
  });
  return found;
}

/// Whether the consumer reads each element of `operand` more than once.
bool rereads(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!consumer)
    return false;
  AffineMap map = consumer.getMatchingIndexingMap(operand);
  return map.getNumResults() < consumer.getNumLoops();
}

struct FuseElementwisePass
    : seqc::impl::SeqFuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn upstream = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    linalg::ControlFusionFn control = [&](OpOperand *fused) {
      if (!upstream(fused) || !rereads(fused))
        return upstream(fused);
      // A 16-bit operand of a contraction is a tensor-core operand
      // (seq-contractions-to-mma): it stays a buffer of its own, which the
      // kernel stages through shared memory, instead of a value recomputed
      // for every output column.
      if (isa<BFloat16Type, Float16Type>(
              getElementTypeOrSelf(fused->get().getType())))
        return false;
      return !computesTranscendental(fused->get().getDefiningOp());
    };
    // As linalg-fuse-elementwise-ops, with `control` for the fusion of
    // elementwise ops.
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, upstream);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, upstream);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
