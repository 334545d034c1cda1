//===- SeqAttrs.td - seq enums and the form attribute ------*- tablegen -*-===//
#ifndef SEQ_ATTRS_TD
#define SEQ_ATTRS_TD

include "dialects/Seq/IR/SeqDialect.td"
include "mlir/IR/EnumAttr.td"

def Seq_FormKind : I32EnumAttr<"FormKind", "how a sequence op is computed", [
    I32EnumAttrCase<"sequential", 0>,
    I32EnumAttrCase<"prefix", 1>,
    I32EnumAttrCase<"chunkwise", 2>,
    I32EnumAttrCase<"parallel", 3>]> {
  let cppNamespace = "::seqc::seq";
  let genSpecializedAttr = 0;
}

def Seq_SequentialVariant : I32EnumAttr<"SequentialVariant",
    "GPU variant of the sequential form (FlashRNN)", [
    I32EnumAttrCase<"fused", 0>,
    I32EnumAttrCase<"alternating", 1>]> {
  let cppNamespace = "::seqc::seq";
  let genSpecializedAttr = 0;
}

def Seq_GateKind : I32EnumAttr<"GateKind", "gate of linear attention", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"scalar", 1>,
    I32EnumAttrCase<"vector", 2>]> {
  let cppNamespace = "::seqc::seq";
  let genSpecializedAttr = 0;
}

def Seq_GateKindAttr : EnumAttr<Seq_Dialect, Seq_GateKind, "gate_kind"> {
  let assemblyFormat = "`<` $value `>`";
}

def Seq_FormAttr : Seq_Attr<"Form", "form"> {
  let summary = "How a sequence op is computed, with its tile parameters";
  let description = [{
    Written by `seq-select-form` (or by hand, or by the tuner) and read by
    `seq-lower-forms`. The selection pass never overrides a form that is
    already present.

    - `sequential`: a loop over time, parallel over batch, heads and
      channels. `variant` picks FlashRNN's `fused` (one persistent kernel,
      grid barrier per step) or `alternating` (GEMM + pointwise per step)
      GPU code.
    - `prefix`: a hierarchical parallel prefix over time (reduce-then-scan);
      `chunk_size` is the length of the sequential leaf segment.
    - `chunkwise`: chunks of `chunk_size` steps, intra-chunk work as dense
      matmuls, inter-chunk state passing. `chunk_size` need not divide T.
    - `parallel`: the quadratic masked form of the attention family.

    GPU tile parameters: `block_threads` (threads per block),
    `items_per_thread` (sequence items per thread), `head_tile` (tile of the
    key/value head dims per block).

    `state_terms` (sequential form only, 1 to 3): with bf16 recurrent
    weights, either GPU variant computes the step's h R on tensor cores and
    its f32 state h enters as a sum of this many bf16 terms, one product
    each: 3 (the default) keeps about f32's precision, 2 about 2^-17
    relative, 1 rounds h to bf16 (what cuDNN's bf16 LSTM computes with).

    Example: `#seq.form<chunkwise, chunk_size = 64, block_threads = 128>`.
  }];
  let parameters = (ins
    EnumParameter<Seq_FormKind>:$kind,
    OptionalParameter<"std::optional<::seqc::seq::SequentialVariant>">:$variant,
    OptionalParameter<"std::optional<int64_t>">:$chunk_size,
    OptionalParameter<"std::optional<int64_t>">:$block_threads,
    OptionalParameter<"std::optional<int64_t>">:$items_per_thread,
    OptionalParameter<"std::optional<int64_t>">:$head_tile,
    OptionalParameter<"std::optional<int64_t>">:$state_terms
  );
  let assemblyFormat = [{
    `<` $kind (`,` struct($variant, $chunk_size, $block_threads,
                          $items_per_thread, $head_tile, $state_terms)^)? `>`
  }];
  let genVerifyDecl = 1;
}

#endif // SEQ_ATTRS_TD
