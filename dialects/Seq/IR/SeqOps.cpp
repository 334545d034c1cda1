//===- SeqOps.cpp - verifiers and interfaces of the seq primitives --------===//
//
// ODS checks ranks and element types of each operand on its own; the
// verifiers here check what relates operands to each other: batch, time,
// head and channel sizes, state shapes, and region signatures.
//
//===----------------------------------------------------------------------===//
#include "dialects/Seq/IR/SeqOps.h"
#include "dialects/Seq/IR/ShapeChecks.h"
#include "dialects/Utils/AsmDirectives.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

#include "dialects/Seq/IR/SeqInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/Seq/IR/SeqOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Forms
//===----------------------------------------------------------------------===//

std::string seqc::seq::formatFormKinds(ArrayRef<FormKind> kinds) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(kinds, os,
                        [&](FormKind kind) { os << stringifyFormKind(kind); });
  return text;
}

LogicalResult seqc::seq::detail::verifyFormOp(Operation *op) {
  // Empty tensors: no lowering, kernel grid or reference handles a batch,
  // sequence, head or channel dimension of 0.
  auto checkNonEmpty = [&](Value value, StringRef kind,
                           unsigned index) -> LogicalResult {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type)
      return success();
    for (auto [d, size] : llvm::enumerate(type.getShape()))
      if (size == 0)
        return op->emitOpError()
               << kind << " #" << index << " (" << type << ") has size 0 in dimension "
               << d << "; seq ops need non-empty tensors";
    return success();
  };
  for (auto [i, operand] : llvm::enumerate(op->getOperands()))
    if (failed(checkNonEmpty(operand, "operand", i)))
      return failure();
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (failed(checkNonEmpty(result, "result", i)))
      return failure();
  auto formOp = cast<FormOpInterface>(op);
  FormAttr form = formOp.getFormAttr();
  if (!form)
    return success();
  SmallVector<FormKind> valid = formOp.getValidFormKinds();
  if (llvm::is_contained(valid, form.getKind()))
    return success();
  return op->emitOpError()
         << "cannot be computed in the '" << stringifyFormKind(form.getKind())
         << "' form; valid forms: " << formatFormKinds(valid);
}

SmallVector<FormKind> ScanOp::getValidFormKinds() {
  return {FormKind::sequential, FormKind::prefix};
}
SmallVector<FormKind> LinearScanOp::getValidFormKinds() {
  return {FormKind::sequential, FormKind::prefix, FormKind::chunkwise};
}
SmallVector<FormKind> RecurrenceOp::getValidFormKinds() {
  // A nonlinear body admits no reassociation; affine bodies are rewritten
  // to seq.linear_scan by seq-canonicalize rather than lowered from here.
  return {FormKind::sequential};
}
bool RecurrenceOp::hasSequentialVariants() { return true; }
SmallVector<FormKind> LinearAttentionOp::getValidFormKinds() {
  return {FormKind::sequential, FormKind::chunkwise, FormKind::parallel};
}
SmallVector<FormKind> DeltaRuleOp::getValidFormKinds() {
  // The delta rule's transition depends on the state's own keys, so no
  // closed quadratic form exists; the chunkwise WY form is its parallel one.
  return {FormKind::sequential, FormKind::chunkwise};
}
SmallVector<FormKind> SoftmaxAttentionOp::getValidFormKinds() {
  if (getQ().getType().getRank() == 3)
    return {FormKind::sequential, FormKind::prefix, FormKind::chunkwise};
  return {FormKind::sequential, FormKind::chunkwise, FormKind::parallel};
}

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

namespace {

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// States accumulate in the inputs' element type or, for low-precision real
/// inputs, in f32.
bool isValidStateElement(Type state, Type input) {
  return state == input || (isa<FloatType>(input) && state.isF32());
}

LogicalResult expectStateElement(Operation *op, StringRef what, Type type,
                                 Type inputElement) {
  Type element = getElementTypeOrSelf(type);
  if (isValidStateElement(element, inputElement))
    return success();
  return op->emitOpError() << what << " must have element type f32 or "
                           << inputElement << " (that of the inputs), got "
                           << element;
}

/// Checks that `actual` is a ranked tensor with the shape and element type
/// of `expected` (dynamic sizes are compatible with any).
LogicalResult expectTensorType(Operation *op, StringRef what, Type actual,
                               RankedTensorType expected, StringRef meaning) {
  auto actualTensor = dyn_cast<RankedTensorType>(actual);
  if (actualTensor &&
      actualTensor.getElementType() == expected.getElementType() &&
      shapesCompatible(actualTensor.getShape(), expected.getShape()))
    return success();
  return op->emitOpError() << what << " must be " << expected << " ("
                           << meaning << "), got " << actual;
}

/// Sizes shared by the attention family, read off q, k and v.
struct HeadDims {
  int64_t batch, time, heads, keyDim, valueDim;
  Type element;
};

/// Checks q ([B, T, H, dk], or [B, H, dk] when time-invariant), k
/// ([B, T, H, dk]) and v ([B, T, H, dv]) against each other.
FailureOr<HeadDims> verifyQueryKeyValue(Operation *op, Value q, Value k,
                                        Value v) {
  RankedTensorType qType = tensorType(q), kType = tensorType(k),
                   vType = tensorType(v);
  bool timeInvariant = qType.getRank() == 3;
  if (qType.getRank() != 3 && qType.getRank() != 4)
    return op->emitOpError()
           << "operand 'q' must be [B, T, H, dk] (one query per step) or "
              "[B, H, dk] (a time-invariant query), got rank "
           << qType.getRank();
  HeadDims dims;
  dims.batch = qType.getDimSize(0);
  dims.time = kType.getDimSize(1);
  dims.heads = qType.getDimSize(timeInvariant ? 1 : 2);
  dims.keyDim = qType.getDimSize(timeInvariant ? 2 : 3);
  dims.valueDim = vType.getDimSize(3);
  dims.element = qType.getElementType();
  if (!timeInvariant && !dimsCompatible(qType.getDimSize(1), dims.time))
    return op->emitOpError()
           << "operands 'q' and 'k' must have the same number of steps, got "
           << formatShape(qType.getShape()) << " and "
           << formatShape(kType.getShape());
  if (!dimsCompatible(kType.getDimSize(3), dims.keyDim))
    return op->emitOpError()
           << "head dims of 'q' and 'k' disagree: 'q' has dk = "
           << dims.keyDim << ", 'k' has dk = " << kType.getDimSize(3);
  if (failed(expectShape(op, "operand 'k'", kType,
                         {dims.batch, dims.time, dims.heads, dims.keyDim},
                         "[B, T, H, dk] with B, H, dk of 'q'")) ||
      failed(expectShape(op, "operand 'v'", vType,
                         {dims.batch, dims.time, dims.heads, dims.valueDim},
                         "[B, T, H, dv] with B, T, H of 'q' and 'k'")))
    return failure();
  if (kType.getElementType() != dims.element ||
      vType.getElementType() != dims.element)
    return op->emitOpError()
           << "operands 'q', 'k' and 'v' must have one element type, got "
           << dims.element << ", " << kType.getElementType() << " and "
           << vType.getElementType();
  return dims;
}

LogicalResult verifyAttentionOutput(Operation *op, Value output,
                                    const HeadDims &dims) {
  if (failed(expectShape(
          op, "result 'output'", output.getType(),
          {dims.batch, dims.time, dims.heads, dims.valueDim}, "[B, T, H, dv]")))
    return failure();
  return expectStateElement(op, "result 'output'", output.getType(),
                            dims.element);
}

/// The matrix state [B, H, dk, dv] of linear attention and the delta rule.
LogicalResult verifyMatrixState(Operation *op, StringRef what, Value state,
                                const HeadDims &dims) {
  if (failed(expectShape(op, what, state.getType(),
                         {dims.batch, dims.heads, dims.keyDim, dims.valueDim},
                         "[B, H, dk, dv]")))
    return failure();
  return expectStateElement(op, what, state.getType(), dims.element);
}

LogicalResult verifyMatrixStates(Operation *op, Value init, Value finalState,
                                 const HeadDims &dims) {
  if (failed(verifyMatrixState(op, "result 'final_state'", finalState, dims)))
    return failure();
  if (!init)
    return success();
  if (failed(verifyMatrixState(op, "operand 'init'", init, dims)))
    return failure();
  return expectElementType(op, "operand 'init'", init.getType(),
                           getElementTypeOrSelf(finalState.getType()));
}

/// A per-head, per-step scalar operand such as beta or a scalar gate.
LogicalResult verifyHeadScalars(Operation *op, StringRef what, Value value,
                                const HeadDims &dims, StringRef meaning) {
  if (failed(expectShape(op, what, value.getType(),
                         {dims.batch, dims.time, dims.heads}, meaning)))
    return failure();
  return expectStateElement(op, what, value.getType(), dims.element);
}

} // namespace

//===----------------------------------------------------------------------===//
// seq.scan
//===----------------------------------------------------------------------===//

LogicalResult ScanOp::verify() {
  size_t numInputs = getInputs().size();
  if (numInputs == 0)
    return emitOpError("needs at least one input sequence");
  RankedTensorType first = tensorType(getInputs().front());
  for (auto [index, input] : llvm::enumerate(getInputs())) {
    if (!shapesCompatible(tensorType(input).getShape(), first.getShape()))
      return emitOpError() << "input #" << index
                           << " must have the shape of input #0, "
                           << formatShape(first.getShape()) << ", got "
                           << formatShape(tensorType(input).getShape());
  }
  SmallVector<int64_t> stateShape = dropDim(first.getShape(), 1);

  if (!getInit().empty() && getInit().size() != numInputs)
    return emitOpError() << "takes no init values or one per input ("
                         << numInputs << "), got " << getInit().size();
  if (getExclusive() && getInit().empty())
    return emitOpError("an exclusive scan needs 'init': it is out_0 and the "
                       "identity of the combiner");
  if (getOutputs().size() != numInputs)
    return emitOpError() << "must return one output sequence per input ("
                         << numInputs << "), got " << getOutputs().size();
  if (getFinalStates().size() != numInputs)
    return emitOpError() << "must return one final state per input ("
                         << numInputs << "), got " << getFinalStates().size();

  for (size_t i = 0; i < numInputs; ++i) {
    RankedTensorType input = tensorType(getInputs()[i]);
    auto stateType =
        RankedTensorType::get(stateShape, input.getElementType());
    std::string index = std::to_string(i);
    if (failed(expectTensorType(*this, "output #" + index,
                                getOutputs()[i].getType(), input,
                                "the type of input #" + index)) ||
        failed(expectTensorType(
            *this, "final state #" + index, getFinalStates()[i].getType(),
            stateType, "input #" + index + " without the time dimension")))
      return failure();
    if (!getInit().empty() &&
        failed(expectTensorType(
            *this, "init #" + index, getInit()[i].getType(), stateType,
            "input #" + index + " without the time dimension")))
      return failure();
  }
  return success();
}

LogicalResult ScanOp::verifyRegions() {
  Block &body = getCombiner().front();
  size_t numInputs = getInputs().size();
  if (body.getNumArguments() != 2 * numInputs)
    return emitOpError() << "combiner must take " << 2 * numInputs
                         << " scalar arguments (lhs then rhs of each of the "
                         << numInputs << " inputs), got "
                         << body.getNumArguments();
  for (auto [index, arg] : llvm::enumerate(body.getArguments())) {
    Type expected = tensorType(getInputs()[index % numInputs]).getElementType();
    if (arg.getType() != expected)
      return emitOpError() << "combiner argument #" << index << " must be "
                           << expected << " (the element type of input #"
                           << index % numInputs << "), got " << arg.getType();
  }
  auto yield = cast<YieldOp>(body.getTerminator());
  if (yield.getValues().size() != numInputs)
    return emitOpError() << "combiner must yield " << numInputs
                         << " values (one per input), got "
                         << yield.getValues().size();
  for (auto [index, value] : llvm::enumerate(yield.getValues())) {
    Type expected = tensorType(getInputs()[index]).getElementType();
    if (value.getType() != expected)
      return emitOpError() << "combiner yield #" << index << " must be "
                           << expected << ", got " << value.getType();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// seq.linear_scan
//===----------------------------------------------------------------------===//

LogicalResult LinearScanOp::verify() {
  RankedTensorType aType = getA().getType(), bType = getB().getType();
  if (!shapesCompatible(aType.getShape(), bType.getShape()))
    return emitOpError() << "operands 'a' and 'b' must have the same shape, "
                            "got "
                         << formatShape(aType.getShape()) << " and "
                         << formatShape(bType.getShape());
  if (aType.getElementType() != bType.getElementType())
    return emitOpError() << "operands 'a' and 'b' must have the same element "
                            "type, got "
                         << aType.getElementType() << " and "
                         << bType.getElementType();
  Type inputElement = aType.getElementType();
  Type stateElement = getH().getType().getElementType();
  SmallVector<int64_t> stateShape = dropDim(aType.getShape(), 1);
  if (failed(expectShape(*this, "result 'h'", getH().getType(),
                         aType.getShape(), "the shape of 'a'")) ||
      failed(expectStateElement(*this, "result 'h'", getH().getType(),
                                inputElement)) ||
      failed(expectShape(*this, "result 'final_state'",
                         getFinalState().getType(), stateShape,
                         "[B, ...]: 'a' without the time dimension")) ||
      failed(expectElementType(*this, "result 'final_state'",
                               getFinalState().getType(), stateElement)))
    return failure();
  if (Value init = getInit()) {
    if (failed(expectShape(*this, "operand 'init'", init.getType(), stateShape,
                           "[B, ...]: 'a' without the time dimension")) ||
        failed(expectElementType(*this, "operand 'init'", init.getType(),
                                 stateElement)))
      return failure();
  }
  // The chunkwise form computes every step from its chunk's earlier steps:
  // O(chunk_size) work per step and channel (a 1024 chunk ran 400x slower
  // than a 128 one). Longer chunks are the prefix form's.
  constexpr int64_t kMostChunkwiseSteps = 256;
  if (FormAttr form = getFormAttr();
      form && form.getKind() == FormKind::chunkwise && form.getChunkSize() &&
      *form.getChunkSize() > kMostChunkwiseSteps)
    return emitOpError() << "chunkwise form with chunk_size = "
                         << *form.getChunkSize()
                         << ": each step sums over its chunk's earlier steps "
                            "(O(chunk_size) work per step), so chunk_size "
                            "must be at most "
                         << kMostChunkwiseSteps
                         << "; longer chunks are the prefix form's";
  return success();
}

//===----------------------------------------------------------------------===//
// seq.recurrence
//===----------------------------------------------------------------------===//

LogicalResult RecurrenceOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input sequence (it fixes B and T)");
  if (getFinalStates().empty())
    return emitOpError("needs at least one state");
  RankedTensorType first = tensorType(getInputs().front());
  int64_t batch = first.getDimSize(0), time = first.getDimSize(1);
  auto checkBatchAndTime = [&](StringRef what, Type type) -> LogicalResult {
    auto tensor = cast<RankedTensorType>(type);
    if (dimsCompatible(tensor.getDimSize(0), batch) &&
        dimsCompatible(tensor.getDimSize(1), time))
      return success();
    return emitOpError() << what << " must be [B, T, ...] with B = "
                         << formatDim(batch) << ", T = " << formatDim(time)
                         << " of input #0, got "
                         << formatShape(tensor.getShape());
  };
  for (auto [index, input] : llvm::enumerate(getInputs()))
    if (failed(checkBatchAndTime("input #" + std::to_string(index),
                                 input.getType())))
      return failure();
  for (auto [index, output] : llvm::enumerate(getOutputs()))
    if (failed(checkBatchAndTime("output #" + std::to_string(index),
                                 output.getType())))
      return failure();
  int64_t numStates = getFinalStates().size();
  int64_t accumulators = getAccumulators();
  if (accumulators > numStates)
    return emitOpError() << "declares " << accumulators
                         << " accumulators but has " << numStates
                         << " states";
  if (accumulators > 0 && getInit().empty())
    return emitOpError("needs init values: its accumulators have no "
                       "implicit zero shape");
  for (auto [index, state] : llvm::enumerate(getFinalStates())) {
    auto stateType = tensorType(state);
    if (int64_t(index) >= numStates - accumulators)
      continue;
    if (stateType.getRank() < 1 ||
        !dimsCompatible(stateType.getDimSize(0), batch))
      return emitOpError() << "state #" << index
                           << " must lead with the batch dimension B = "
                           << formatDim(batch) << ", got "
                           << formatShape(stateType.getShape());
  }
  if (!getInit().empty()) {
    if (getInit().size() != getFinalStates().size())
      return emitOpError() << "takes no init values or one per state ("
                           << getFinalStates().size() << "), got "
                           << getInit().size();
    for (auto [index, init] : llvm::enumerate(getInit()))
      if (failed(expectTensorType(*this, "init #" + std::to_string(index),
                                  init.getType(),
                                  tensorType(getFinalStates()[index]),
                                  "the type of final state #" +
                                      std::to_string(index))))
        return failure();
  }
  return success();
}

LogicalResult RecurrenceOp::verifyRegions() {
  Block &body = getBody().front();
  size_t numInputs = getInputs().size(), numStates = getFinalStates().size(),
         numWeights = getWeights().size();
  size_t expectedArgs = numInputs + numStates + numWeights;
  if (body.getNumArguments() != expectedArgs)
    return emitOpError() << "body must take " << expectedArgs
                         << " arguments (" << numInputs
                         << " input slices, then " << numStates
                         << " states, then " << numWeights
                         << " weights), got " << body.getNumArguments();
  for (size_t i = 0; i < numInputs; ++i) {
    RankedTensorType input = tensorType(getInputs()[i]);
    auto slice = RankedTensorType::get(dropDim(input.getShape(), 1),
                                       input.getElementType());
    if (failed(expectTensorType(*this, "body argument #" + std::to_string(i),
                                body.getArgument(i).getType(), slice,
                                "the per-step slice of input #" +
                                    std::to_string(i))))
      return failure();
  }
  for (size_t i = 0; i < numStates; ++i) {
    size_t arg = numInputs + i;
    if (failed(expectTensorType(
            *this, "body argument #" + std::to_string(arg),
            body.getArgument(arg).getType(),
            tensorType(getFinalStates()[i]), "state #" + std::to_string(i))))
      return failure();
  }
  for (size_t i = 0; i < numWeights; ++i) {
    size_t arg = numInputs + numStates + i;
    if (body.getArgument(arg).getType() != getWeights()[i].getType())
      return emitOpError() << "body argument #" << arg << " must be "
                           << getWeights()[i].getType() << " (weight #" << i
                           << "), got " << body.getArgument(arg).getType();
  }

  auto yield = cast<YieldOp>(body.getTerminator());
  size_t numOutputs = getOutputs().size();
  if (yield.getValues().size() != numStates + numOutputs)
    return emitOpError() << "body must yield " << numStates + numOutputs
                         << " values (" << numStates << " next states, then "
                         << numOutputs << " per-step outputs), got "
                         << yield.getValues().size();
  for (size_t i = 0; i < numStates; ++i)
    if (failed(expectTensorType(*this, "body yield #" + std::to_string(i),
                                yield.getValues()[i].getType(),
                                tensorType(getFinalStates()[i]),
                                "next value of state #" + std::to_string(i))))
      return failure();
  for (size_t i = 0; i < numOutputs; ++i) {
    RankedTensorType output = tensorType(getOutputs()[i]);
    auto slice = RankedTensorType::get(dropDim(output.getShape(), 1),
                                       output.getElementType());
    if (failed(expectTensorType(
            *this, "body yield #" + std::to_string(numStates + i),
            yield.getValues()[numStates + i].getType(), slice,
            "the per-step value of output #" + std::to_string(i))))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// The attention family
//===----------------------------------------------------------------------===//

LogicalResult LinearAttentionOp::verify() {
  FailureOr<HeadDims> dims = verifyQueryKeyValue(*this, getQ(), getK(), getV());
  if (failed(dims))
    return failure();
  GateKind kind = getGateKind();
  Value gate = getGate();
  if (kind == GateKind::none && gate)
    return emitOpError("gate_kind <none> takes no gate operand; a gate needs "
                       "gate_kind <scalar> ([B, T, H]) or <vector> "
                       "([B, T, H, dk])");
  if (kind != GateKind::none) {
    StringRef meaning = kind == GateKind::scalar
                            ? "[B, T, H] for gate_kind <scalar>"
                            : "[B, T, H, dk] for gate_kind <vector>";
    if (!gate)
      return emitOpError() << "gate_kind <" << stringifyGateKind(kind)
                           << "> needs a gate operand of shape " << meaning;
    SmallVector<int64_t> gateShape = {dims->batch, dims->time, dims->heads};
    if (kind == GateKind::vector)
      gateShape.push_back(dims->keyDim);
    if (failed(expectShape(*this, "operand 'gate'", gate.getType(), gateShape,
                           meaning)) ||
        failed(expectStateElement(*this, "operand 'gate'", gate.getType(),
                                  dims->element)))
      return failure();
  }
  if (failed(verifyAttentionOutput(*this, getOutput(), *dims)))
    return failure();
  return verifyMatrixStates(*this, getInit(), getFinalState(), *dims);
}

LogicalResult DeltaRuleOp::verify() {
  FailureOr<HeadDims> dims = verifyQueryKeyValue(*this, getQ(), getK(), getV());
  if (failed(dims))
    return failure();
  if (failed(verifyHeadScalars(*this, "operand 'beta'", getBeta(), *dims,
                               "[B, T, H]: one write strength per head and "
                               "step")))
    return failure();
  if (Value gate = getGate())
    if (failed(verifyHeadScalars(*this, "operand 'gate'", gate, *dims,
                                 "[B, T, H]: one log decay per head and step")))
      return failure();
  if (failed(verifyAttentionOutput(*this, getOutput(), *dims)))
    return failure();
  return verifyMatrixStates(*this, getInit(), getFinalState(), *dims);
}

LogicalResult SoftmaxAttentionOp::verify() {
  FailureOr<HeadDims> dims = verifyQueryKeyValue(*this, getQ(), getK(), getV());
  if (failed(dims))
    return failure();
  if (failed(verifyAttentionOutput(*this, getOutput(), *dims)))
    return failure();
  int64_t batch = dims->batch, heads = dims->heads, dk = dims->keyDim,
          dv = dims->valueDim;

  if (hasTimeInvariantQuery()) {
    // Aaren's scan state: running max m, denominator u, numerator w.
    const char *layout =
        "running max m [B, H], denominator u [B, H], numerator w [B, H, dv]";
    if (!getInit().empty() && getInit().size() != 3)
      return emitOpError() << "with a time-invariant query, 'init' is absent "
                              "or ("
                           << layout << "), got " << getInit().size()
                           << " values";
    if (getFinalStates().size() != 3)
      return emitOpError() << "with a time-invariant query, the final states "
                              "are ("
                           << layout << "), got " << getFinalStates().size()
                           << " values";
    SmallVector<SmallVector<int64_t>> shapes = {
        {batch, heads}, {batch, heads}, {batch, heads, dv}};
    const char *names[] = {"m", "u", "w"};
    for (unsigned i = 0; i < 3; ++i) {
      std::string what = std::string("final state '") + names[i] + "'";
      if (failed(expectShape(*this, what, getFinalStates()[i].getType(),
                             shapes[i], layout)) ||
          failed(expectStateElement(*this, what,
                                    getFinalStates()[i].getType(),
                                    dims->element)))
        return failure();
      if (!getInit().empty() &&
          failed(expectTensorType(*this,
                                  std::string("init '") + names[i] + "'",
                                  getInit()[i].getType(),
                                  tensorType(getFinalStates()[i]),
                                  "the type of the final state")))
        return failure();
    }
    return success();
  }

  // A key/value cache of P earlier steps.
  const char *layout = "keys [B, P, H, dk], values [B, P, H, dv]";
  if (!getInit().empty() && getInit().size() != 2)
    return emitOpError() << "with a per-step query, 'init' is absent or ("
                         << layout << "), got " << getInit().size()
                         << " values";
  if (getFinalStates().size() != 2)
    return emitOpError() << "with a per-step query, the final states are the "
                            "extended caches (keys [B, P + T, H, dk], values "
                            "[B, P + T, H, dv]), got "
                         << getFinalStates().size() << " values";
  int64_t prefix = 0;
  if (!getInit().empty()) {
    prefix = dimOf(getInit()[0].getType(), 1);
    if (failed(expectShape(*this, "init keys", getInit()[0].getType(),
                           {batch, prefix, heads, dk}, layout)) ||
        failed(expectShape(*this, "init values", getInit()[1].getType(),
                           {batch, prefix, heads, dv}, layout)) ||
        failed(expectElementType(*this, "init keys", getInit()[0].getType(),
                                 dims->element)) ||
        failed(expectElementType(*this, "init values", getInit()[1].getType(),
                                 dims->element)))
      return failure();
  }
  int64_t total = ShapedType::isDynamic(prefix) ||
                          ShapedType::isDynamic(dims->time)
                      ? kAnyDim
                      : prefix + dims->time;
  const char *finalLayout = "the caches extended by this call: keys "
                            "[B, P + T, H, dk], values [B, P + T, H, dv]";
  if (failed(expectShape(*this, "final keys", getFinalStates()[0].getType(),
                         {batch, total, heads, dk}, finalLayout)) ||
      failed(expectShape(*this, "final values", getFinalStates()[1].getType(),
                         {batch, total, heads, dv}, finalLayout)) ||
      failed(expectElementType(*this, "final keys",
                               getFinalStates()[0].getType(), dims->element)) ||
      failed(expectElementType(*this, "final values",
                               getFinalStates()[1].getType(), dims->element)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// BlockBarrierOp
//===----------------------------------------------------------------------===//

LogicalResult seqc::seq::BlockBarrierOp::verify() {
  // The launch is found by name: the seq dialect does not depend on gpu.
  for (Operation *parent = (*this)->getParentOp(); parent;
       parent = parent->getParentOp())
    if (parent->getName().getStringRef() == "gpu.launch")
      return success();
  return emitOpError("synchronizes the threads of a GPU block and must be "
                     "inside a gpu.launch");
}
