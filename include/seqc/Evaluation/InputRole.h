//===- InputRole.h - how generated inputs are distributed ------*- C++ -*-===//
//
// Random inputs must exercise an op the way real models do, or a check
// proves little: a decay drawn from N(0, 1) makes a long linear scan
// overflow, a log gate drawn from N(0, 1) makes linear attention explode.
// Each argument's role is read off the ops that use it.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_EVALUATION_INPUTROLE_H
#define SEQC_EVALUATION_INPUTROLE_H

#include "seqc/Support/HostTensor.h"

#include "mlir/IR/Value.h"

#include <random>

namespace seqc::eval {

enum class InputRole {
  generic,      // N(0, 1)
  decay,        // linear_scan a: |a| in (0.5, 0.999), either sign
  logGate,      // log of a decay in (0.85, 0.999)
  beta,         // U(0, 1)
  betaNegative, // U(0, 2): allow_negative_eigenvalues
  unitKey,      // L2-normalized over the last dim
  positive,     // U(0.5, 2): softmax-scan denominators
  weight,       // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), torch.nn's default
  /// A seq.recurrence weight, [heads, H_in, ...]: fan-in is dimension 1.
  /// (Scaled like torch's: with unit-scale entries a 256-wide tanh RNN is
  /// chaotic, and f32 and the f64 reference part ways within a few steps.)
  recurrentWeight,
};

/// The role of a function argument, from the ops that use it: a seq
/// primitive says through its ReferenceOpInterface, a seqnn layer's matrix
/// operands are weights.
InputRole inputRoleOf(mlir::BlockArgument argument);

/// Fills `tensor` with values drawn for `role`.
void fillInput(HostTensor &tensor, InputRole role, std::mt19937_64 &rng);

} // namespace seqc::eval

#endif // SEQC_EVALUATION_INPUTROLE_H
