//===- Passes.td - seqc conversion passes ------------------*- tablegen -*-===//
#ifndef SEQC_CONVERSION_PASSES_TD
#define SEQC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqLowerForms : Pass<"seq-lower-forms", "mlir::ModuleOp"> {
  let summary = "Lower seq ops to loops over tiles, by the form each carries";
  let description = [{
    Rewrites every seq op into target-independent upstream IR (scf, linalg,
    tensor, arith, math, complex) according to its `#seq.form<...>`. An op
    without a form is lowered in the sequential form. This version provides
    the sequential form of every op; an op whose form has no lowering yet is
    reported as an error at its location.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::cf::ControlFlowDialect",
    "mlir::complex::ComplexDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def SeqReadOnlyArguments : Pass<"seq-readonly-arguments", "mlir::func::FuncOp"> {
  let summary = "Mark tensor arguments of public functions read-only";
  let description = [{
    Sets `bufferization.writable = false` on every tensor argument of a
    public function, so that one-shot bufferization never updates a
    caller's input buffer in place (the compiled functions' C ABI promises
    that inputs are not modified).
  }];
}

def SeqNoAliasArguments : Pass<"seq-noalias-arguments", "mlir::func::FuncOp"> {
  let summary = "Mark memref arguments of public functions llvm.noalias";
  let description = [{
    The C ABI of compiled functions requires every buffer (inputs and
    outputs) to be distinct. Saying so to LLVM (`noalias` on each pointer)
    lets it vectorize the per-step loops without runtime overlap checks.
    Runs after bufferization, when results have become out parameters.
  }];
}

def SeqCopiesToLinalg : Pass<"seq-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies state slices into output sequences with
    memref.copy, which the LLVM lowering turns into a call to the generic,
    element-at-a-time `memrefCopy` runtime function for strided views. As
    linalg.copy the copy becomes an inline loop nest that LLVM vectorizes.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def SeqSerializeSmallParallelLoops
    : Pass<"seq-serialize-small-parallel-loops", "mlir::func::FuncOp"> {
  let summary = "Keep only the scf.parallel loops worth a thread team";
  let description = [{
    On the CPU, every `scf.parallel` that survives this pass becomes an
    OpenMP parallel region (`convert-scf-to-openmp`), with a fork and join
    of the thread team each time it runs. This pass turns into nested
    `scf.for` loops every `scf.parallel` that is not worth that:

    - one nested in another `scf.parallel`: the outer loop already has the
      threads;
    - one whose static work (the product of the trip counts of its own and
      every nested loop's dimensions) is below `min-iterations`, or below
      `min-iterations-in-loop` inside a step loop (`scf.for`, `scf.while`),
      where the team forks and joins every step: on this 2-core machine a
      GLA step (2 x 4 x 64 x 64 state elements) ran 3.6x slower in parallel
      than serial, an LSTM step's h R product (1M multiply-adds) and a
      flash-attention chunk 1.6-1.9x faster.

    Loops with reductions (results) are left alone.
  }];
  let options = [
    Option<"minIterations", "min-iterations", "int64_t", /*default=*/"32768",
           "Fewest iterations of a loop nest run by the thread team">,
    Option<"minIterationsInLoop", "min-iterations-in-loop", "int64_t",
           /*default=*/"262144",
           "The same inside a step loop (a fork and join every step)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect"];
}

#endif // SEQC_CONVERSION_PASSES_TD
