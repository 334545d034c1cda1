//===- FormLoweringInterface.td - how a seq op is lowered -*- tablegen -*-===//
//
// Implemented by every seq primitive's family (lib/Families/<Family>), as an
// external model attached when the families are registered: the generic
// seq-lower-forms pass knows no op by name.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_FORMLOWERINGINTERFACE_TD
#define SEQC_CONVERSION_FORMLOWERINGINTERFACE_TD

include "mlir/IR/OpBase.td"

def FormLoweringOpInterface : OpInterface<"FormLoweringOpInterface"> {
  let cppNamespace = "::seqc";
  let description = [{
    The form lowerings of one seq op: which forms it has a lowering for, why
    its sequential lowering may not take a particular op, and the rewrite
    patterns that lower it to loops over tensors (one pattern per form, each
    matching only ops that carry its form).
  }];
  let methods = [
    InterfaceMethod<
      "Whether a lowering exists for `kind` (shapes aside: the generic "
      "checks of static shapes for the parallel forms come on top).",
      "bool", "hasFormLowering", (ins "::seqc::seq::FormKind":$kind)>,
    InterfaceMethod<
      "Whether the lowering of `kind` takes a dynamic batch and time (the "
      "sequential one does; a chunked form that computes its chunk count "
      "and bounds at run time may).",
      "bool", "hasDynamicShapeLowering", (ins "::seqc::seq::FormKind":$kind),
      [{}], [{
        return kind == ::seqc::seq::FormKind::sequential;
      }]>,
    InterfaceMethod<
      "Why the sequential lowering cannot take this op (a dynamic size it "
      "cannot derive, ...), or an empty string.",
      "std::string", "getSequentialFormBlocker", (ins), [{}], [{
        return "";
      }]>,
    InterfaceMethod<
      "Adds the patterns that lower this kind of op in each of its forms.",
      "void", "populateFormLoweringPatterns",
      (ins "::mlir::RewritePatternSet &":$patterns)>,
    InterfaceMethod<
      "Whether this op has hand-written GPU kernels (seq-lower-to-gpu-kernels "
      "names them and applies populateGpuKernelPatterns); the patterns may "
      "decline an op, which then takes the loop-nest path.",
      "bool", "hasGpuKernelLowering", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<
      "Adds the patterns that rewrite this kind of op to GPU kernels.",
      "void", "populateGpuKernelPatterns",
      (ins "::mlir::RewritePatternSet &":$patterns), [{}], [{ return; }]>,
  ];
}

#endif // SEQC_CONVERSION_FORMLOWERINGINTERFACE_TD
