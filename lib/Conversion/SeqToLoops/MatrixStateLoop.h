//===- MatrixStateLoop.h - the sequential loop of a matrix state -*- C++
//-*-===//
//
// The loop linear attention and the delta rule share in their sequential
// form: the state [B, H, dk, dv] and the output sequence are carried over
// time; each step updates the state, then reads out o = scale * S^T q.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_SEQTOLOOPS_MATRIXSTATELOOP_H
#define SEQC_CONVERSION_SEQTOLOOPS_MATRIXSTATELOOP_H

#include "dialects/Utils/LoopBuilder.h"

#include "mlir/IR/PatternMatch.h"

namespace seqc {

/// How one step updates the matrix state: given the step's slices and the
/// current state (in the compute type), returns the next state (the same).
using MatrixStateUpdate = llvm::function_ref<mlir::Value(
    LoopBuilder &, mlir::Value t, mlir::Value state, mlir::Type compute)>;

/// Replaces `op` (results: outputs, final state) by the loop over time.
llvm::LogicalResult
lowerMatrixStateLoop(mlir::Operation *op, mlir::PatternRewriter &rewriter,
                     mlir::Value q, mlir::Value k, mlir::Value v,
                     mlir::Value init, mlir::RankedTensorType stateType,
                     mlir::RankedTensorType outputType,
                     mlir::FloatAttr scaleAttr, MatrixStateUpdate update);

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_MATRIXSTATELOOP_H
