//===- Differentiate.h - forward and backward functions -------*- C++ -*-===//
//
// f(inputs) -> outputs becomes
//   f_fwd(inputs) -> (outputs, residuals)
//   f_bwd(inputs, residuals, output cotangents) -> input cotangents
// at the seq level (after seqnn-expand). The residuals are what the
// backward reads of the forward computation and cannot recompute cheaply
// (reshapes, fills and constants are recomputed): a recurrence's states at
// every step, projections feeding elementwise cells. Both functions are
// ordinary seq IR: form selection, tiling and both targets apply to them.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIFFERENTIATION_DIFFERENTIATE_H
#define SEQC_DIFFERENTIATION_DIFFERENTIATE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

#include <string>

namespace seqc::ad {

struct GradientFunctions {
  mlir::func::FuncOp forward;
  mlir::func::FuncOp backward;
  /// How many of forward's results are residuals (after f's outputs).
  unsigned numResiduals = 0;
};

/// Builds `<f>_fwd` and `<f>_bwd` next to `function` (which is kept). Errors
/// (an integer or dynamically shaped argument, an op without a derivative
/// rule) are emitted on the offending argument or op. `checkpointEvery` K
/// > 1: recurrences keep the state before every K-th step only (where K
/// divides their length) and the backward recomputes the rest.
llvm::FailureOr<GradientFunctions>
differentiateFunction(mlir::func::FuncOp function,
                      int64_t checkpointEvery = 0);

/// How seq-differentiate treats a function's recurrences.
struct DifferentiationOptions {
  /// K > 1: recurrences keep the state before every K-th step (as above);
  /// a recurrence's own seq.checkpoint_every takes precedence.
  int64_t checkpointEvery = 0;
  /// > 0: the checkpoint intervals are chosen for this many bytes of
  /// residuals (CheckpointPlan.h), and residuals beyond it are an error.
  int64_t memoryBudget = 0;
};
struct CheckpointPlan;

/// `differentiateFunction` under `options`; the plan made for a memory
/// budget is returned through `plan` when given.
llvm::FailureOr<GradientFunctions>
differentiateFunction(mlir::func::FuncOp function,
                      const DifferentiationOptions &options,
                      CheckpointPlan *plan = nullptr);

/// The names of the derived functions.
std::string forwardFunctionName(llvm::StringRef function);
std::string backwardFunctionName(llvm::StringRef function);

/// Attaches the derivative rules of the upstream ops (arith, tensor,
/// linalg); the seq primitives' rules are attached by their families.
void registerTensorAdjoints(mlir::DialectRegistry &registry);
/// The same scalar rules for arith/math ops applied to whole tensors.
void registerElementwiseAdjoints(mlir::DialectRegistry &registry);
void attachGenericAdjoint(mlir::MLIRContext &context);

} // namespace seqc::ad

#endif // SEQC_DIFFERENTIATION_DIFFERENTIATE_H
