//===- Passes.td - seqc differentiation passes -------------*- tablegen -*-===//
#ifndef SEQC_DIFFERENTIATION_PASSES_TD
#define SEQC_DIFFERENTIATION_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqDifferentiate : Pass<"seq-differentiate", "mlir::ModuleOp"> {
  let summary = "Builds the forward-with-residuals and backward functions";
  let description = [{
    For each selected function `@f(inputs) -> outputs` at the seq level
    (after seqnn-expand), adds

    - `@f_fwd(inputs) -> (outputs, residuals)` and
    - `@f_bwd(inputs, residuals, output cotangents) -> input cotangents`,

    one cotangent per input (initial states and weights included) and per
    output (pass zeros for an output the loss does not use). Every op's
    derivative rule is an external model of AdjointOpInterface: the seq
    primitives' rules live in their family homes and build seq ops again
    (a linear scan's backward is a reverse-time linear scan, a recurrence's
    is a recurrence over reversed time whose body is the differentiated
    step), so form selection, tiling and both targets apply to the backward
    functions. An op a gradient reaches without a rule, or an argument that
    is not a statically shaped float tensor, is an error naming it.
  }];
  let options = [
    ListOption<"functions", "functions", "std::string",
               "The functions to differentiate (default: every function "
               "with a body)">,
    Option<"checkpointEvery", "checkpoint-every", "int64_t", "0",
           "Recurrences keep the state before every K-th step only (where "
           "K divides their length) and the backward recomputes the others "
           "from it; 0: every step's state is kept">,
    Option<"memoryBudget", "memory-budget", "int64_t", "0",
           "Bytes the residuals may take: each recurrence's checkpoint "
           "interval is chosen by Z3 over the cost model to fit it "
           "(seq.checkpoint_every on the recurrence); 0: no budget">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::complex::ComplexDialect",
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
    "::seqc::seq::SeqDialect"
  ];
}

#endif // SEQC_DIFFERENTIATION_PASSES_TD
