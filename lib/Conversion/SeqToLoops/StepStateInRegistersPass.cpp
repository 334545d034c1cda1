//===- StepStateInRegistersPass.cpp ---------------------------------------===//
//
// A step loop's small elementwise update becomes vector arithmetic, and the
// state it carries from step to step a vector iter_arg (a register) instead
// of a buffer stored and reloaded every step. See Passes.td.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace seqc {
#define GEN_PASS_DEF_SEQSTEPSTATEINREGISTERS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Operations whose vector form lowers to vector instructions on the CPU
/// (math.exp and math.tanh through seq-vectorizable-math's polynomials).
bool hasVectorInstructions(Operation &op) {
  if (isa<linalg::YieldOp>(op))
    return true;
  if (isa<arith::ArithDialect>(op.getDialect()))
    return llvm::all_of(op.getResultTypes(),
                        [](Type t) { return t.isIntOrFloat(); });
  return isa<math::AbsFOp, math::FmaOp, math::SqrtOp, math::ExpOp,
             math::TanhOp>(op) &&
         op.getResultTypes().front().isF32();
}

/// Bytes of `type`'s elements, rounded up to whole bytes.
int64_t bytesOf(RankedTensorType type) {
  return type.getNumElements() *
         llvm::divideCeil(type.getElementTypeBitWidth(), 8);
}

/// Whether the buffer `tensor` becomes has consecutive elements along its
/// innermost dimension, as a vector load needs (the transfer of a strided
/// column would become a gather). Followed through slices (the innermost
/// dimension kept with stride 1), reshapes, loops and in-place updates to
/// where the buffer is made; function arguments and new buffers have the
/// identity layout.
bool hasUnitInnermostStride(Value tensor) {
  if (auto arg = dyn_cast<BlockArgument>(tensor)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<LoopLikeOpInterface>(owner))
      if (OpOperand *init = loop.getTiedLoopInit(arg))
        return hasUnitInnermostStride(init->get());
    return isa<func::FuncOp>(owner);
  }
  Operation *op = tensor.getDefiningOp();
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op)) {
    unsigned innermost = slice.getSourceType().getRank() - 1;
    return !slice.getDroppedDims().test(innermost) &&
           isConstantIntValue(slice.getMixedStrides().back(), 1) &&
           hasUnitInnermostStride(slice.getSource());
  }
  // A collapsed dimension takes the stride of the innermost dimension of its
  // group that is not 1 long: the source's innermost one only if it is not.
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
    return collapse.getSrcType().getShape().back() != 1 &&
           hasUnitInnermostStride(collapse.getSrc());
  if (isa<tensor::ExpandShapeOp, tensor::CastOp>(op))
    return hasUnitInnermostStride(op->getOperand(0));
  if (auto insert = dyn_cast<tensor::InsertSliceOp>(op))
    return hasUnitInnermostStride(insert.getDest());
  auto result = cast<OpResult>(tensor);
  if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
    if (loop.getLoopResults())
      if (OpOperand *init = loop.getTiedLoopInit(result))
        return hasUnitInnermostStride(init->get());
  if (auto update = dyn_cast<DestinationStyleOpInterface>(op))
    return hasUnitInnermostStride(update.getTiedOpOperand(result)->get());
  return isa<tensor::EmptyOp, bufferization::AllocTensorOp, arith::ConstantOp>(
      op);
}

/// Whether `op` is a step loop's update this pass rewrites: directly in an
/// scf.for, one static dimension of at least 2, elementwise (identity maps, parallel),
/// operands with consecutive elements, arithmetic with vector
/// instructions, and its outputs (the state it carries) within `budget`
/// bytes.
bool isSmallElementwiseStep(linalg::GenericOp op, int64_t budget) {
  if (!isa_and_nonnull<scf::ForOp>(op->getParentOp()) ||
      !op.hasPureTensorSemantics() || op.getNumLoops() != 1 ||
      op.getStaticLoopRanges().front() < 2 ||
      op.getNumParallelLoops() != 1 ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  int64_t outputBytes = 0;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.hasStaticShape() ||
        !type.getElementType().isIntOrFloat() ||
        !hasUnitInnermostStride(operand))
      return false;
  }
  for (Value output : op.getDpsInits())
    outputBytes += bytesOf(cast<RankedTensorType>(output.getType()));
  return outputBytes <= budget &&
         llvm::all_of(op.getBody()->getOperations(), hasVectorInstructions);
}

struct StepStateInRegistersPass
    : seqc::impl::SeqStepStateInRegistersBase<StepStateInRegistersPass> {
  using Base::Base;

  void runOnOperation() override {
    if (failed(seqc::checkPassOption(getOperation(), getArgument(),
                                     "register-bytes", registerBytes, 0)))
      return signalPassFailure();
    SmallVector<linalg::GenericOp> steps;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (isSmallElementwiseStep(op, registerBytes))
        steps.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    llvm::SetVector<scf::ForOp> loops;
    for (linalg::GenericOp op : steps) {
      auto loop = cast<scf::ForOp>(op->getParentOp());
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, op);
      if (failed(vectorized))
        continue;
      rewriter.replaceOp(op, vectorized->replacements);
      loops.insert(loop);
    }
    // The state's read at the start of the step and its write at the end
    // (same tensor, same offsets) move out of the loop; the loop carries
    // the vector between them. Constants go first: the offsets must be
    // defined outside the loop.
    for (scf::ForOp loop : loops) {
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      hoistLoopInvariantSubsets(rewriter, loop);
    }
  }
};

} // namespace
