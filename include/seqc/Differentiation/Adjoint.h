//===- Adjoint.h - reverse-mode differentiation of seq IR -------*- C++ -*-===//
//
// The reverse sweep over a block of tensor-level IR and what every op's
// derivative rule (AdjointOpInterface) works with. Each rule reads the
// cotangents of its op's results and adds the cotangents of its operands;
// rules are external models attached to upstream ops here
// (lib/Differentiation) and to each seq primitive in its family home
// (lib/Families/<Family>/Adjoint.cpp).
//
// Cotangents follow PyTorch's convention: for a real loss L, the cotangent
// of a value z is dL/dz; for a complex z it is the conjugate Wirtinger
// derivative (so y = a * x gives dx = conj(a) * dy).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIFFERENTIATION_ADJOINT_H
#define SEQC_DIFFERENTIATION_ADJOINT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace seqc::ad {

/// The state of one reverse sweep: the cotangent reached so far by every
/// value, and where the backward code goes.
class AdjointBuilder {
public:
  /// Backward code is built with `adjointBuilder` (its insertion point moves
  /// forward as code is added); a rule that needs more from the forward
  /// computation (a recurrence's per-step states) rewrites its op in place,
  /// before the backward code.
  explicit AdjointBuilder(mlir::OpBuilder &adjointBuilder)
      : b(adjointBuilder) {}

  mlir::OpBuilder &builder() { return b; }

  /// The cotangent accumulated for `primal`; null when none reached it
  /// (a zero cotangent).
  mlir::Value cotangent(mlir::Value primal) const {
    return cotangents.lookup(primal);
  }
  /// `cotangent(primal)`, or zeros of its type.
  mlir::Value cotangentOrZeros(mlir::Value primal, mlir::Location loc);
  /// Adds `cotangent` to what `primal` has (nothing for a null one).
  void accumulate(mlir::Value primal, mlir::Value cotangent,
                  mlir::Location loc);
  /// Moves what `from` accumulated onto `to` (a rule that replaced its op).
  void transfer(mlir::Value from, mlir::Value to);

  /// Declares that no cotangent of `value` is wanted (its derivative is
  /// built elsewhere, e.g. a weight's, hoisted out of a time loop): rules
  /// skip the work of computing it.
  void markInactive(mlir::Value value) { inactive.insert(value); }

  /// The checkpoint policy of recurrences: keep the state before every
  /// K-th step and recompute the others in the backward (0 or 1: every
  /// step).
  int64_t checkpointEvery() const { return checkpointInterval; }
  void setCheckpointEvery(int64_t every) { checkpointInterval = every; }
  bool isActive(mlir::Value value) const { return !inactive.contains(value); }

  /// Runs the derivative rules of `ops` (in program order; swept in
  /// reverse). An op none of whose results has a cotangent is skipped; one
  /// that has cotangents but no derivative rule is an error on the op.
  llvm::LogicalResult backpropagate(llvm::ArrayRef<mlir::Operation *> ops);

private:
  mlir::OpBuilder &b;
  llvm::DenseMap<mlir::Value, mlir::Value> cotangents;
  llvm::DenseSet<mlir::Value> inactive;
  int64_t checkpointInterval = 0;
};

//===----------------------------------------------------------------------===//
// Helpers the rules share (static shapes; f32/f16/bf16 or complex<f32>)
//===----------------------------------------------------------------------===//

/// A tensor of `type` filled with zeros (or ones).
mlir::Value zerosOf(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::RankedTensorType type);
mlir::Value onesOf(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::RankedTensorType type);
/// lhs + rhs, elementwise (the same type).
mlir::Value addTensors(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                       mlir::Value rhs);
/// lhs * rhs, elementwise (the same type); with `conjugateRhs`,
/// lhs * conj(rhs) for complex elements.
mlir::Value multiplyTensors(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value lhs, mlir::Value rhs,
                            bool conjugateRhs = false);
/// conj(value) elementwise; `value` itself for real elements.
mlir::Value conjugate(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value value);
/// `value` converted elementwise to `elementType` (extf/truncf; identity
/// when it already has it).
mlir::Value castElements(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, mlir::Type elementType);
/// `tensor` transposed by `permutation` (linalg.transpose).
mlir::Value transposeTensor(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value tensor,
                            llvm::ArrayRef<int64_t> permutation);
/// `sequence` ([B, T, ...]) with its time dimension reversed.
mlir::Value reverseTime(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value sequence);
/// `sequence[:, t0 : t0 + count]` of a [B, T, ...] sequence.
mlir::Value sliceTime(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value sequence, int64_t t0, int64_t count);
/// `sequence[:, t]` as [B, ...].
mlir::Value timeStep(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::Value sequence, int64_t t);
/// `sequence` with `part` ([B, count, ...], or [B, ...] for count 1)
/// written at time t0.
mlir::Value insertTime(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value part, mlir::Value sequence, int64_t t0,
                       int64_t count);
/// The states a recurrence starts each step from: `init` ([B, ...], zeros
/// when null) then `after[:, 0 .. T-2]`, from the states `after` each step
/// ([B, T, ...]).
mlir::Value statesBeforeEachStep(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value init, mlir::Value after);

/// Whether `type` is a tensor whose cotangent seqc can carry: static shape,
/// f32/f16/bf16/f64 or complex<f32> elements.
bool isDifferentiableType(mlir::Type type);

} // namespace seqc::ad

#include "lib/Differentiation/AdjointInterface.h.inc"

#endif // SEQC_DIFFERENTIATION_ADJOINT_H
