//===- PackedOp.cpp - seq.packed: a packed variable-length batch -----------===//
//
// The verifier of seq.packed: sequences [1, total, X...] (total shared),
// states [N, S...] with N + 1 offsets, and a body over one sequence's
// [1, ?, X...] slices and [1, S...] state rows.
//
//===----------------------------------------------------------------------===//
#include "dialects/Seq/IR/SeqOps.h"
#include "dialects/Seq/IR/ShapeChecks.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// `type` with dimension 0 set to 1 and, for a sequence, dimension 1
/// dynamic: the type the body sees of one sequence or one state row.
RankedTensorType perSequence(Type type, bool isSequence) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[0] = 1;
  if (isSequence)
    shape[1] = ShapedType::kDynamic;
  return tensor.clone(shape);
}

LogicalResult expectExactType(Operation *op, const std::string &what,
                              Type actual, RankedTensorType expected,
                              StringRef meaning) {
  if (actual == expected)
    return success();
  return op->emitOpError() << what << " must be " << expected << " ("
                           << meaning << "), got " << actual;
}

} // namespace

LogicalResult PackedOp::verify() {
  if (getSequences().empty())
    return emitOpError("needs at least one sequence operand (it fixes the "
                       "total length)");
  int64_t offsets = dimOf(getOffsets().getType(), 0);
  int64_t count = ShapedType::isDynamic(offsets) ? kAnyDim : offsets - 1;
  if (count == 0 || (count != kAnyDim && count < 0))
    return emitOpError() << "needs offsets of N + 1 >= 2 entries (N >= 1 "
                            "sequences), got "
                         << offsets;
  int64_t total = dimOf(getSequences().front().getType(), 1);
  auto checkSequence = [&](const std::string &what, Type type) -> LogicalResult {
    auto tensor = cast<RankedTensorType>(type);
    if (tensor.getRank() >= 2 && dimsCompatible(tensor.getDimSize(0), 1) &&
        dimsCompatible(tensor.getDimSize(1), total))
      return success();
    return emitOpError() << what << " must be [1, total, ...] with total = "
                         << formatDim(total) << " of sequence #0, got "
                         << formatShape(tensor.getShape());
  };
  auto checkState = [&](const std::string &what, Type type) -> LogicalResult {
    auto tensor = cast<RankedTensorType>(type);
    if (tensor.getRank() >= 1 && dimsCompatible(tensor.getDimSize(0), count))
      return success();
    return emitOpError() << what << " must be [N, ...] with N = "
                         << formatDim(count)
                         << " (one row per sequence: offsets has N + 1 "
                            "entries), got "
                         << formatShape(tensor.getShape());
  };
  struct Group {
    const char *what;
    TypeRange types;
    bool isSequence;
  } groups[] = {{"sequence", getSequences().getTypes(), true},
                {"output", getOutputs().getTypes(), true},
                {"init", getInit().getTypes(), false},
                {"final state", getFinalStates().getTypes(), false}};
  for (const Group &group : groups)
    for (auto [i, type] : llvm::enumerate(group.types)) {
      std::string what = std::string(group.what) + " #" + std::to_string(i);
      if (failed(group.isSequence ? checkSequence(what, type)
                                  : checkState(what, type)))
        return failure();
    }
  if (!getInit().empty() && getInit().size() != getFinalStates().size())
    return emitOpError() << "has " << getInit().size()
                         << " initial states but " << getFinalStates().size()
                         << " final states (init gives all or none)";
  return success();
}

LogicalResult PackedOp::verifyRegions() {
  Block &body = getBody().front();
  size_t numSequences = getSequences().size(), numInit = getInit().size(),
         numWeights = getWeights().size();
  if (body.getNumArguments() != numSequences + numInit + numWeights)
    return emitOpError() << "body must take "
                         << numSequences + numInit + numWeights
                         << " arguments (" << numSequences
                         << " sequence slices, then " << numInit
                         << " state rows, then " << numWeights
                         << " weights), got " << body.getNumArguments();
  unsigned index = 0;
  for (auto [values, isSequence, meaning] :
       {std::tuple(ValueRange(getSequences()), true, "one sequence's steps"),
        std::tuple(ValueRange(getInit()), false,
                   "one sequence's initial state")}) {
    for (Value v : values) {
      if (failed(expectExactType(*this,
                                 "body argument #" + std::to_string(index),
                                 body.getArgument(index).getType(),
                                 perSequence(v.getType(), isSequence),
                                 meaning)))
        return failure();
      ++index;
    }
  }
  for (Value v : getWeights()) {
    if (body.getArgument(index).getType() != v.getType())
      return emitOpError() << "body argument #" << index << " must be "
                           << v.getType() << " (a captured weight), got "
                           << body.getArgument(index).getType();
    ++index;
  }
  Operation *yield = body.getTerminator();
  size_t numOutputs = getOutputs().size(), numFinal = getFinalStates().size();
  if (yield->getNumOperands() != numOutputs + numFinal)
    return emitOpError() << "body must yield " << numOutputs + numFinal
                         << " values (" << numOutputs
                         << " output slices, then " << numFinal
                         << " final state rows), got "
                         << yield->getNumOperands();
  for (auto [i, v] : llvm::enumerate(getOutputs()))
    if (failed(expectExactType(*this, "body yield #" + std::to_string(i),
                               yield->getOperand(i).getType(),
                               perSequence(v.getType(), true),
                               "one sequence's output steps")))
      return failure();
  for (auto [i, v] : llvm::enumerate(getFinalStates()))
    if (failed(expectExactType(
            *this, "body yield #" + std::to_string(numOutputs + i),
            yield->getOperand(numOutputs + i).getType(),
            perSequence(v.getType(), false), "one sequence's final state")))
      return failure();
  return success();
}
