//===- StepResiduals.cpp - what a recurrence keeps per step for its backward ===//
//
// The forward recurrence rewritten to output, per step, what its backward
// reads: its states (a state it already yields as an output is not stored
// twice) and the products of the contractions whose weight gradient is
// hoisted (seq.kept_products).
//
//===----------------------------------------------------------------------===//
#include "lib/Families/Recurrence/StepResiduals.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::ad;

namespace seqc::families {

RankedTensorType sequenceOf(Type state, int64_t steps) {
  auto type = cast<RankedTensorType>(state);
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + 1, steps);
  return RankedTensorType::get(shape, type.getElementType());
}

int64_t stepsOf(RecurrenceOp op) {
  if (!op.getInputs().empty())
    return cast<RankedTensorType>(op.getInputs()[0].getType()).getDimSize(1);
  if (!op.getOutputs().empty())
    return cast<RankedTensorType>(op.getOutputs()[0].getType()).getDimSize(1);
  return ShapedType::kDynamic;
}

SmallVector<Value> withMoreOutputs(RecurrenceOp &op, ValueRange extra,
                                          SmallVectorImpl<Value> &outputs,
                                          AdjointBuilder &adjoints) {
  if (extra.empty())
    return {};
  auto yield = cast<YieldOp>(op.getBody().front().getTerminator());
  int64_t steps = stepsOf(op);
  SmallVector<Type> outputTypes(op.getOutputs().getTypes());
  for (Value v : extra)
    outputTypes.push_back(sequenceOf(v.getType(), steps));
  yield->insertOperands(yield->getNumOperands(), extra);
  OpBuilder b(op);
  auto kept = RecurrenceOp::create(b, op.getLoc(), outputTypes,
                                   op.getFinalStates().getTypes(),
                                   op.getInputs(), op.getInit(),
                                   op.getWeights(), op.getFormAttr(),
                                   op.getAccumulatorsAttr());
  kept->setDiscardableAttrs(op->getDiscardableAttrDictionary());
  kept.getBody().takeBody(op.getBody());
  unsigned numOutputs = op.getOutputs().size();
  for (unsigned m = 0; m < numOutputs; ++m) {
    op.getOutputs()[m].replaceAllUsesWith(kept.getOutputs()[m]);
    adjoints.transfer(op.getOutputs()[m], kept.getOutputs()[m]);
    for (Value &v : outputs)
      if (v == op.getOutputs()[m])
        v = kept.getOutputs()[m];
  }
  for (auto [old, now] : llvm::zip(op.getFinalStates(), kept.getFinalStates())) {
    old.replaceAllUsesWith(now);
    adjoints.transfer(old, now);
  }
  op.erase();
  op = kept;
  return SmallVector<Value>(kept.getOutputs().drop_front(numOutputs));
}

std::optional<unsigned> outputHoldingState(RecurrenceOp op, unsigned j) {
  auto yield = cast<YieldOp>(op.getBody().front().getTerminator());
  unsigned numStates = op.getFinalStates().size();
  for (unsigned m = 0; m < op.getOutputs().size(); ++m)
    if (yield.getOperand(numStates + m) == yield.getOperand(j))
      return m;
  return std::nullopt;
}

SmallVector<Value> keepStatesPerStep(RecurrenceOp &op,
                                     AdjointBuilder &adjoints) {
  auto yield = cast<YieldOp>(op.getBody().front().getTerminator());
  unsigned numStates = op.getFinalStates().size();
  SmallVector<Value> missing, unchanged;
  for (unsigned j = 0; j < numStates; ++j)
    if (!outputHoldingState(op, j))
      missing.push_back(yield.getOperand(j));
  withMoreOutputs(op, missing, unchanged, adjoints);
  SmallVector<Value> perStep;
  for (unsigned j = 0; j < numStates; ++j)
    perStep.push_back(op.getOutputs()[*outputHoldingState(op, j)]);
  return perStep;
}

Value rowsFirst(OpBuilder &b, Location loc, Value value, bool batched) {
  return batched ? transposeTensor(b, loc, value, {1, 0, 2}) : value;
}

// Recomputing a step's products in the backward costs as many multiply-adds
// as the forward's; keeping them costs their bytes (cuDNN keeps its gates
// too).
SmallVector<Value>
keepProductsPerStep(RecurrenceOp &op, ArrayRef<linalg::LinalgOp> contractions,
                    SmallVectorImpl<Value> &outputs, AdjointBuilder &adjoints) {
  if (contractions.empty())
    return {};
  OpBuilder bb(op.getBody().front().getTerminator());
  SmallVector<Value> products;
  for (linalg::LinalgOp contraction : contractions)
    products.push_back(rowsFirst(bb, op.getLoc(), contraction->getResult(0),
                                 isa<linalg::BatchMatmulOp>(contraction)));
  SmallVector<Value> kept = withMoreOutputs(op, products, outputs, adjoints);
  KeptProductsOf::set(op, bb.getI64IntegerAttr(contractions.size()));
  return kept;
}

} // namespace seqc::families
