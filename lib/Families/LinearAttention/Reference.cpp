//===- Reference.cpp - seq.linear_attention on the reference interpreter
//---===//
#include "lib/Families/LinearAttention/LinearAttention.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult
seqc::families::evaluateLinearAttention(LinearAttentionOp op,
                                        ReferenceEvaluator &evaluator) {
  auto attention = op;
  ref::GateKind kind =
      attention.getGateKind() == GateKind::none     ? ref::GateKind::none
      : attention.getGateKind() == GateKind::scalar ? ref::GateKind::scalar
                                                    : ref::GateKind::vector;
  evaluator.setResults(
      *op.getOperation(),
      ref::linearAttention(
          evaluator.get(attention.getQ()), evaluator.get(attention.getK()),
          evaluator.get(attention.getV()), kind,
          evaluator.getOptional(attention.getGate()),
          evaluator.getOptional(attention.getInit()),
          ReferenceEvaluator::scaleOf(attention.getScaleAttr())));
  return success();
}

InputRole seqc::families::linearAttentionInputRole(LinearAttentionOp op,
                                                   OpOperand &operand) {
  if (operand.get() == op.getGate())
    return InputRole::logGate;
  return InputRole::generic;
}
