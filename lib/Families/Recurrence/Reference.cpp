//===- Reference.cpp - seq.recurrence on the reference interpreter --------===//
#include "lib/Families/Recurrence/Recurrence.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;
using seqc::ref::Tensor;

/// The body is evaluated by a nested evaluator on each step's slices,
/// states and weights: the cell's arith, math and linalg ops are the
/// upstream ops the evaluator models.
LogicalResult
seqc::families::evaluateRecurrence(RecurrenceOp op,
                                   ReferenceEvaluator &evaluator) {
  Block &body = op.getBody().front();
  std::vector<Tensor> weights = evaluator.getAll(op.getWeights());
  std::vector<std::vector<int64_t>> stateShapes;
  for (Value s : op.getFinalStates())
    stateShapes.push_back(eval::shapeOf(s.getType()));
  bool ok = true;
  ref::RecurrenceStep step = [&](const std::vector<Tensor> &slices,
                                 const std::vector<Tensor> &states) {
    std::vector<Tensor> args(slices);
    args.insert(args.end(), states.begin(), states.end());
    args.insert(args.end(), weights.begin(), weights.end());
    ReferenceEvaluator inner;
    auto results = inner.runBlock(body, args);
    if (failed(results)) {
      ok = false;
      std::vector<Tensor> zeros;
      for (Value v : body.getTerminator()->getOperands())
        zeros.emplace_back(eval::shapeOf(v.getType()));
      return zeros;
    }
    return *results;
  };
  ref::ScanResult r = ref::recurrence(
      evaluator.getAll(op.getInputs()), evaluator.getAll(op.getInit()),
      stateShapes, op.getOutputs().size(), step);
  if (!ok)
    return failure();
  evaluator.setResults(*op, r);
  return success();
}

InputRole seqc::families::recurrenceInputRole(RecurrenceOp op,
                                              OpOperand &operand) {
  for (Value weight : op.getWeights())
    if (operand.get() == weight)
      return InputRole::recurrentWeight;
  return InputRole::generic;
}
