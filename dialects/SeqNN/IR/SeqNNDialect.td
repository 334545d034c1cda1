//===- SeqNNDialect.td - the seqnn dialect definition ------*- tablegen -*-===//
#ifndef SEQNN_DIALECT_TD
#define SEQNN_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def SeqNN_Dialect : Dialect {
  let name = "seqnn";
  let cppNamespace = "::seqc::seqnn";
  let summary = "Model-level recurrent and attention layers";
  let description = [{
    The layers a user writes when describing a sequence model: the classic
    RNNs (Elman, LSTM, GRU, sLSTM), diagonal state-space models (LRU, S4D,
    Mamba's S6), and the attention family (RetNet, GLA, Mamba-2, DeltaNet,
    Gated DeltaNet, Aaren, causal softmax attention).

    Each layer takes its input `x` (`[B, T, M]`, batch first, time second)
    and its weights as operands, an optional initial state, and returns its
    output sequence and final state(s). `seqnn-expand` rewrites every layer
    into `seq` primitives with explicit cell bodies, hoisting each input
    projection out of the recurrence as one matmul over all time steps.

    Weight layout: projections are `[in, out]` (the layer computes `x W`).
    Gates of the classic RNNs are gate-major along the output dimension
    (`[gate_0 | gate_1 | ...]`, PyTorch's order), and the recurrent matrix is
    block-diagonal by heads in FlashRNN's layout `[heads, D/heads,
    gates*D/heads]`, head h mapping hidden units `h*D/heads ...`.
  }];
  let dependentDialects = ["::seqc::seq::SeqDialect"];
  let useDefaultAttributePrinterParser = 1;
}

class SeqNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<SeqNN_Dialect, mnemonic, traits>;

def SeqNN_Activation : I32EnumAttr<"Activation",
    "nonlinearity of an Elman RNN", [
    I32EnumAttrCase<"tanh", 0>,
    I32EnumAttrCase<"relu", 1>]> {
  let cppNamespace = "::seqc::seqnn";
  let genSpecializedAttr = 0;
}
def SeqNN_ActivationAttr : EnumAttr<SeqNN_Dialect, SeqNN_Activation,
                                    "activation"> {
  let assemblyFormat = "`<` $value `>`";
}

def SeqNN_Discretization : I32EnumAttr<"Discretization",
    "discretization of a continuous-time state-space model", [
    I32EnumAttrCase<"zoh", 0>,
    I32EnumAttrCase<"bilinear", 1>]> {
  let cppNamespace = "::seqc::seqnn";
  let genSpecializedAttr = 0;
}
def SeqNN_DiscretizationAttr : EnumAttr<SeqNN_Dialect, SeqNN_Discretization,
                                        "discretization"> {
  let assemblyFormat = "`<` $value `>`";
}

#endif // SEQNN_DIALECT_TD
