//===- Reference.cpp - seq.delta_rule on the reference interpreter --------===//
#include "lib/Families/DeltaRule/DeltaRule.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult seqc::families::evaluateDeltaRule(DeltaRuleOp op,
                                                ReferenceEvaluator &evaluator) {
  evaluator.setResults(
      *op,
      ref::deltaRule(evaluator.get(op.getQ()), evaluator.get(op.getK()),
                     evaluator.get(op.getV()), evaluator.get(op.getBeta()),
                     evaluator.getOptional(op.getGate()),
                     evaluator.getOptional(op.getInit()),
                     ReferenceEvaluator::scaleOf(op.getScaleAttr())));
  return success();
}

InputRole seqc::families::deltaRuleInputRole(DeltaRuleOp op,
                                             OpOperand &operand) {
  Value value = operand.get();
  if (value == op.getBeta())
    return op.getAllowNegativeEigenvalues() ? InputRole::betaNegative
                                              : InputRole::beta;
  if (value == op.getGate())
    return InputRole::logGate;
  if (value == op.getK() || value == op.getQ())
    return InputRole::unitKey;
  return InputRole::generic;
}
