//===- Adjoint.cpp - the derivative rule of seq.linear_scan ---------------===//
//
// h_t = a_t h_{t-1} + b_t has the reverse-time linear recurrence
//
//   lambda_t = gh_t + conj(a_{t+1}) lambda_{t+1},  lambda_{T-1} = gh_{T-1} + gF
//   da_t = lambda_t conj(h_{t-1}),  db_t = lambda_t,  dinit = conj(a_0) lambda_0
//
// built as a seq.linear_scan over the time-reversed sequences (decays
// a_{t+1}, shifted, with 1 at the end so that the final state's cotangent
// gF enters as the reverse scan's initial state). The backward scan is an
// ordinary linear_scan: form selection, Z3 tiling and both targets apply to
// it as to the forward one. It runs in the state's type (f32 for bf16
// inputs); the cotangents of a and b are converted back to theirs.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearScan/LinearScan.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::ad;

LogicalResult families::buildLinearScanAdjoint(LinearScanOp op,
                                               AdjointBuilder &adjoints) {
  Location loc = op.getLoc();
  OpBuilder &b = adjoints.builder();
  Value gh = adjoints.cotangent(op.getH());
  Value gF = adjoints.cotangent(op.getFinalState());
  if (!gh && !gF)
    return success();
  auto hType = cast<RankedTensorType>(op.getH().getType());
  if (!hType.hasStaticShape())
    return op.emitOpError("has no derivative rule for dynamic shapes");
  auto inputType = cast<RankedTensorType>(op.getA().getType());
  Type stateElement = hType.getElementType();
  int64_t steps = hType.getDimSize(1);

  // The decays a_{t+1} (1 after the last step), conjugated, in the state's
  // type, time-reversed.
  Value a = castElements(b, loc, op.getA(), stateElement);
  Value shifted = onesOf(b, loc, hType);
  if (steps > 1)
    shifted = insertTime(b, loc, sliceTime(b, loc, a, 1, steps - 1), shifted,
                         0, steps - 1);
  Value reverseDecays = reverseTime(b, loc, conjugate(b, loc, shifted));
  Value reverseInputs =
      reverseTime(b, loc, gh ? gh : zerosOf(b, loc, hType));
  // A form written on the forward scan is the backward scan's too (the
  // same shapes, the same trade-offs); otherwise seq-select-form chooses.
  auto reverse = LinearScanOp::create(
      b, loc, hType, op.getFinalState().getType(), reverseDecays,
      reverseInputs, gF, op.getFormAttr());
  Value lambda = reverseTime(b, loc, reverse.getH());

  adjoints.accumulate(op.getB(),
                      castElements(b, loc, lambda, inputType.getElementType()),
                      loc);
  Value before = statesBeforeEachStep(b, loc, op.getInit(), op.getH());
  Value da = multiplyTensors(b, loc, lambda, before, /*conjugateRhs=*/true);
  adjoints.accumulate(op.getA(),
                      castElements(b, loc, da, inputType.getElementType()),
                      loc);
  if (Value init = op.getInit()) {
    // lambda_0 is the reverse scan's final state.
    Value a0 = conjugate(b, loc, timeStep(b, loc, a, 0));
    Value dinit = multiplyTensors(b, loc, a0, reverse.getFinalState());
    adjoints.accumulate(init, dinit, loc);
  }
  return success();
}
