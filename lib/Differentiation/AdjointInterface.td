//===- AdjointInterface.td - an op's derivative rule -----*- tablegen -*-===//
//
// Implemented for the upstream ops seq models contain (lib/Differentiation)
// and for every seq primitive in its family home, as external models: the
// reverse sweep (seq-differentiate) knows no op by name.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIFFERENTIATION_ADJOINTINTERFACE_TD
#define SEQC_DIFFERENTIATION_ADJOINTINTERFACE_TD

include "mlir/IR/OpBase.td"

def AdjointOpInterface : OpInterface<"AdjointOpInterface"> {
  let cppNamespace = "::seqc::ad";
  let description = [{
    The reverse-mode derivative rule of an op: given the cotangents its
    results accumulated (`adjoints.cotangent(result)`, null for zero), build
    the backward computation at `adjoints.builder()` and add the cotangents
    of its operands with `adjoints.accumulate`. A rule may rewrite its own
    op (before the backward code) to keep what the backward needs, e.g. a
    recurrence's per-step states, and then moves its results' cotangents to
    the new op's with `adjoints.transfer`.
  }];
  let methods = [
    InterfaceMethod<
      "Builds the backward computation of this op; emits an error on the "
      "op for a case without a rule.",
      "::llvm::LogicalResult", "buildAdjoint",
      (ins "::seqc::ad::AdjointBuilder &":$adjoints)>,
  ];
}

#endif // SEQC_DIFFERENTIATION_ADJOINTINTERFACE_TD
