//===- Reference.cpp - seq.linear_attention on the reference --------------===//
#include "lib/Families/LinearAttention/LinearAttention.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult
seqc::families::evaluateLinearAttention(LinearAttentionOp op,
                                        ReferenceEvaluator &evaluator) {
  ref::GateKind kind =
      op.getGateKind() == GateKind::none     ? ref::GateKind::none
      : op.getGateKind() == GateKind::scalar ? ref::GateKind::scalar
                                                    : ref::GateKind::vector;
  evaluator.setResults(
      *op,
      ref::linearAttention(
          evaluator.get(op.getQ()), evaluator.get(op.getK()),
          evaluator.get(op.getV()), kind,
          evaluator.getOptional(op.getGate()),
          evaluator.getOptional(op.getInit()),
          ReferenceEvaluator::scaleOf(op.getScaleAttr())));
  return success();
}

InputRole seqc::families::linearAttentionInputRole(LinearAttentionOp op,
                                                   OpOperand &operand) {
  if (operand.get() == op.getGate())
    return InputRole::logGate;
  return InputRole::generic;
}
