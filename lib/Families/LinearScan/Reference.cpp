//===- Reference.cpp - seq.linear_scan on the reference interpreter -------===//
#include "lib/Families/LinearScan/LinearScan.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using seqc::eval::InputRole;
using seqc::eval::ReferenceEvaluator;

LogicalResult
seqc::families::evaluateLinearScan(LinearScanOp op,
                                   ReferenceEvaluator &evaluator) {
  if (isa<ComplexType>(op.getA().getType().getElementType()))
    return evaluator.unsupported(*op,
                                 "complex linear scans are not modelled yet");
  evaluator.setResults(*op,
                       ref::linearScan(evaluator.get(op.getA()),
                                       evaluator.get(op.getB()),
                                       evaluator.getOptional(op.getInit())));
  return success();
}

InputRole seqc::families::linearScanInputRole(LinearScanOp op,
                                              OpOperand &operand) {
  if (operand.get() == op.getA())
    return InputRole::decay;
  return InputRole::generic;
}
