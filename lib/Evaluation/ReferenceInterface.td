//===- ReferenceInterface.td - a seq op on the reference -*- tablegen -*-===//
//
// Implemented by every seq primitive's family (lib/Families/<Family>), as an
// external model attached when the families are registered: the reference
// evaluator and the generator of inputs know no op by name.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_EVALUATION_REFERENCEINTERFACE_TD
#define SEQC_EVALUATION_REFERENCEINTERFACE_TD

include "mlir/IR/OpBase.td"

def ReferenceOpInterface : OpInterface<"ReferenceOpInterface"> {
  let cppNamespace = "::seqc::eval";
  let description = [{
    How the f64 reference interpreter (lib/Reference) computes one seq op,
    and what values its operands take in real models, so that generated
    inputs exercise it as a model would (decays inside (-1, 1), negative log
    gates, betas in range, unit-norm keys).
  }];
  let methods = [
    InterfaceMethod<
      "Evaluates this op with lib/Reference on the operand values "
      "`evaluator` holds and binds its results there; emits an error on the "
      "op for a case the reference does not model.",
      "::llvm::LogicalResult", "evaluateReference",
      (ins "::seqc::eval::ReferenceEvaluator &":$evaluator)>,
    InterfaceMethod<
      "The distribution generated inputs flowing into `operand` should "
      "follow.",
      "::seqc::eval::InputRole", "getInputRole",
      (ins "::mlir::OpOperand &":$operand), [{}], [{
        return ::seqc::eval::InputRole::generic;
      }]>,
  ];
}

#endif // SEQC_EVALUATION_REFERENCEINTERFACE_TD
