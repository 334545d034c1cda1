//===- Reference.cpp - seq.delta_rule on the reference interpreter --------===//
#include "lib/Families/DeltaRule/DeltaRule.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult seqc::families::evaluateDeltaRule(DeltaRuleOp op,
                                                ReferenceEvaluator &evaluator) {
  auto rule = op;
  evaluator.setResults(
      *op.getOperation(),
      ref::deltaRule(evaluator.get(rule.getQ()), evaluator.get(rule.getK()),
                     evaluator.get(rule.getV()), evaluator.get(rule.getBeta()),
                     evaluator.getOptional(rule.getGate()),
                     evaluator.getOptional(rule.getInit()),
                     ReferenceEvaluator::scaleOf(rule.getScaleAttr())));
  return success();
}

InputRole seqc::families::deltaRuleInputRole(DeltaRuleOp op,
                                             OpOperand &operand) {
  auto rule = op;
  Value value = operand.get();
  if (value == rule.getBeta())
    return rule.getAllowNegativeEigenvalues() ? InputRole::betaNegative
                                              : InputRole::beta;
  if (value == rule.getGate())
    return InputRole::logGate;
  if (value == rule.getK() || value == rule.getQ())
    return InputRole::unitKey;
  return InputRole::generic;
}
