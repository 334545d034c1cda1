//===- Passes.td - seq dialect passes ----------------------*- tablegen -*-===//
#ifndef SEQ_TRANSFORMS_PASSES_TD
#define SEQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqCanonicalize : Pass<"seq-canonicalize"> {
  let summary = "Turn recurrences that are affine in their state into "
                "seq.linear_scan";
  let description = [{
    A `seq.recurrence` whose body computes, for every state,
    `h' = a (.) h + b` elementwise, with `a` and `b` independent of the
    states (minGRU, LRU-style cells with a learned decay, an Elman cell
    without nonlinearity on a diagonal recurrence), becomes one
    `seq.linear_scan` per state: `a` and `b` are computed for all steps at
    once by applying the body's state-free ops to the whole input sequences
    (weights shaped like the state broadcast over time). States that read
    each other form a non-diagonal system and stay. Such a recurrence then admits the prefix and
    chunkwise forms instead of only the sequential one.

    With `remarks`, every recurrence left alone gets a remark naming the
    operation that makes it nonlinear in its state (or the construct this
    pass does not handle yet).
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Explain, as remarks, why a recurrence stays a recurrence">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // SEQ_TRANSFORMS_PASSES_TD
