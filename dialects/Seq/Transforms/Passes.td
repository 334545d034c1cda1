//===- Passes.td - seq dialect passes ----------------------*- tablegen -*-===//
#ifndef SEQ_TRANSFORMS_PASSES_TD
#define SEQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqCanonicalize : Pass<"seq-canonicalize"> {
  let summary = "Turn recurrences that are affine in their state into "
                "seq.linear_scan";
  let description = [{
    A `seq.recurrence` with one state whose body computes
    `h' = a (.) h + b` elementwise, with `a` and `b` independent of `h`
    (minGRU, LRU-style cells, an Elman cell without nonlinearity on a
    diagonal recurrence), becomes a `seq.linear_scan`: `a` and `b` are
    computed for all steps at once by applying the body's state-free ops to
    the whole input sequences. Such a recurrence then admits the prefix and
    chunkwise forms instead of only the sequential one.

    With `remarks`, every recurrence left alone gets a remark naming the
    operation that makes it nonlinear in its state (or the construct this
    pass does not handle yet).
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Explain, as remarks, why a recurrence stays a recurrence">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

#endif // SEQ_TRANSFORMS_PASSES_TD
