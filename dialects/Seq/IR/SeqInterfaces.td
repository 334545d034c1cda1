//===- SeqInterfaces.td - interfaces of seq ops ------------*- tablegen -*-===//
#ifndef SEQ_INTERFACES_TD
#define SEQ_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Seq_FormOpInterface : OpInterface<"FormOpInterface"> {
  let cppNamespace = "::seqc::seq";
  let description = [{
    An op that can be computed in several forms (sequential, prefix,
    chunkwise, parallel). Each op states which forms are valid for it; the
    interface verifier rejects a `form` attribute naming any other.
  }];
  let methods = [
    InterfaceMethod<
      "The form kinds this op can be lowered to, in order of preference "
      "when no cost model is consulted.",
      "::llvm::SmallVector<::seqc::seq::FormKind>", "getValidFormKinds">,
    InterfaceMethod<
      "Whether the sequential form comes in FlashRNN's GPU variants "
      "(fused, alternating), so that a form may name one.",
      "bool", "hasSequentialVariants", (ins), [{}], [{ return false; }]>,
    InterfaceMethod<"The form chosen for this op, or null when none is set.",
      "::seqc::seq::FormAttr", "getFormAttr", (ins), [{}], [{
        return $_op->template getAttrOfType<::seqc::seq::FormAttr>("form");
      }]>,
  ];
  let verify = [{ return ::seqc::seq::detail::verifyFormOp($_op); }];
}

#endif // SEQ_INTERFACES_TD
