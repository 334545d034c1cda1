//===- Reference.cpp - seq.softmax_attention on the reference interpreter
//---===//
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult
seqc::families::evaluateSoftmaxAttention(SoftmaxAttentionOp op,
                                         ReferenceEvaluator &evaluator) {
  auto attention = op;
  evaluator.setResults(
      *op.getOperation(),
      ref::softmaxAttention(
          evaluator.get(attention.getQ()), evaluator.get(attention.getK()),
          evaluator.get(attention.getV()),
          evaluator.getAll(attention.getInit()),
          ReferenceEvaluator::scaleOf(attention.getScaleAttr())));
  return success();
}

InputRole seqc::families::softmaxAttentionInputRole(SoftmaxAttentionOp op,
                                                    OpOperand &operand) {
  // The scan's denominators u divide the numerators: positive.
  auto attention = op;
  if (attention.hasTimeInvariantQuery() && attention.getInit().size() == 3 &&
      operand.get() == attention.getInit()[1])
    return InputRole::positive;
  return InputRole::generic;
}
