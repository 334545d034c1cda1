//===- FormCostModelInterface.td - how a seq op is costed -*- tablegen -*-===//
//
// Implemented by every seq primitive's family (lib/Families/<Family>), as an
// external model attached when the families are registered: seq-select-form,
// seqc explain and seqc tune know no op by name.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_FORMCOSTMODELINTERFACE_TD
#define SEQC_AUTOTUNE_FORMCOSTMODELINTERFACE_TD

include "mlir/IR/OpBase.td"

def FormCostModelOpInterface : OpInterface<"FormCostModelOpInterface"> {
  let cppNamespace = "::seqc::autotune";
  let description = [{
    The tiling problem and cost of each form of one seq op on a target: its
    tile variables, the constraints a configuration must meet (for Z3) and
    the predicted time of a configuration. An op without it is costed as a
    sequential loop that moves its operands once.
  }];
  let methods = [
    InterfaceMethod<
      "Appends a FormModel for each form this op can be computed in on "
      "`target` (forms without a lowering are dropped by the caller).",
      "void", "addFormModels",
      (ins "const ::seqc::autotune::HardwareModel &":$target,
           "::seqc::autotune::FormModels &":$models)>,
  ];
}

#endif // SEQC_AUTOTUNE_FORMCOSTMODELINTERFACE_TD
