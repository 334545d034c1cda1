//===- MatrixStateSteps.h - one step of a matrix-state model ---*- C++ -*-===//
//
// The step of the attention family's recurrences on tensors (state S
// [B, H, dk, dv], per-step q, k [B, H, dk], v [B, H, dv], scalars [B, H])
// as linalg.generic ops the derivative rules know: what the linear
// attention and delta rule families build their sequential definition from
// when they are differentiated. Inputs may be 16-bit; the arithmetic is in
// the state's element type.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIFFERENTIATION_MATRIXSTATESTEPS_H
#define SEQC_DIFFERENTIATION_MATRIXSTATESTEPS_H

#include "mlir/IR/Builders.h"

namespace seqc::ad {

/// S' = alpha (S - beta k (k^T S)) + beta k v^T, with alpha = exp(gate)
/// (gate null: 1; [B, H]: per head; [B, H, dk]: per key channel), beta
/// null: 1, and the k (k^T S) term only when `deltaRule`.
mlir::Value matrixStateUpdate(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value state, mlir::Value k, mlir::Value v,
                              mlir::Value gate, mlir::Value beta,
                              bool deltaRule);

/// o = scale S^T q ([B, H, dv]) as `outputElement`.
mlir::Value matrixStateReadout(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value state, mlir::Value q, double scale,
                               mlir::Type outputElement);

} // namespace seqc::ad

#endif // SEQC_DIFFERENTIATION_MATRIXSTATESTEPS_H
