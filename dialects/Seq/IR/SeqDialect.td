//===- SeqDialect.td - the seq dialect definition ----------*- tablegen -*-===//
#ifndef SEQ_DIALECT_TD
#define SEQ_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Seq_Dialect : Dialect {
  let name = "seq";
  let cppNamespace = "::seqc::seq";
  let summary = "Sequence primitives: scans, recurrences and chunked attention";
  let description = [{
    The `seq` dialect holds the primitives every recurrent sequence layer
    reduces to: a generic associative scan, the diagonal linear recurrence, a
    general (possibly nonlinear) recurrence, and the matrix-state family of
    linear attention, the delta rule and causal softmax attention.

    Layout convention: batch first, time second. Channel-wise operands are
    `[B, T, ...]`; multi-head operands are `[B, T, H, D]`. Every op takes an
    optional initial state and returns its final state, so that a long
    sequence can be processed in pieces and decoding can run step by step.

    How an op is computed (sequential, parallel prefix, chunkwise or the
    quadratic parallel form) is recorded in the optional `form` attribute
    (`#seq.form<...>`), written by `seq-select-form` or by hand and read by
    the lowering.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

class Seq_Op<string mnemonic, list<Trait> traits = []>
    : Op<Seq_Dialect, mnemonic, traits>;

class Seq_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Seq_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // SEQ_DIALECT_TD
