//===- Reference.cpp - seq.softmax_attention on the reference -------------===//
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult
seqc::families::evaluateSoftmaxAttention(SoftmaxAttentionOp op,
                                         ReferenceEvaluator &evaluator) {
  evaluator.setResults(
      *op,
      ref::softmaxAttention(
          evaluator.get(op.getQ()), evaluator.get(op.getK()),
          evaluator.get(op.getV()),
          evaluator.getAll(op.getInit()),
          ReferenceEvaluator::scaleOf(op.getScaleAttr())));
  return success();
}

InputRole seqc::families::softmaxAttentionInputRole(SoftmaxAttentionOp op,
                                                    OpOperand &operand) {
  // The scan's denominators u divide the numerators: positive.
  if (op.hasTimeInvariantQuery() && op.getInit().size() == 3 &&
      operand.get() == op.getInit()[1])
    return InputRole::positive;
  return InputRole::generic;
}
