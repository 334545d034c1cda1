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

def SeqDistinctResults : Pass<"seq-distinct-results", "mlir::func::FuncOp"> {
  let summary = "Give every result of a public function its own tensor";
  let description = [{
    A function that returns one value in several result positions (an
    output that is also a residual of a gradient function, or a model that
    returns a state twice) gets a copy (`bufferization.alloc_tensor
    copy(...)`) for each repeat. Results become distinct out parameters the
    caller allocates; buffer-results-to-out-params cannot fill two of them
    from one buffer.
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect"];
}

def SeqFoldTimeReversals
    : Pass<"seq-fold-time-reversals", "mlir::func::FuncOp"> {
  let summary = "Index reversed sequences in place inside time loops";
  let description = [{
    A backward recurrence runs over reversed time, and the differentiation
    reverses its input sequences into new tensors and its per-step outputs
    back (linalg.generic copies with `T-1-t` in one map). Once the
    recurrence is a time loop, a reversed copy that is only read one step
    at a time (`tensor.extract_slice` of size 1 along the reversed
    dimension) is read at the mirrored step of the original instead, and a
    loop output written one step at a time into an empty tensor and then
    reversed is written at the mirrored steps: the copies go (for an LSTM's
    backward at B16 T1024 H256, 250 MB written and read again).
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

def SeqUnitTransposesToReshapes
    : Pass<"seq-unit-transposes-to-reshapes", "mlir::func::FuncOp"> {
  let summary = "Turn transposes that move only unit dimensions into reshapes";
  let description = [{
    A `linalg.transpose` on tensors whose permutation keeps the order of
    the dimensions larger than 1 moves no element: it becomes a
    `tensor.collapse_shape` onto those dimensions and a
    `tensor.expand_shape` to the result's shape, views after
    bufferization instead of a copy (a recurrence's backward stacks its
    per-step [1, B, X] values and moves the unit dimension of the whole
    sequence: 64 MB copied for an LSTM at B16 T1024 H256).
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
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

def SeqLowerPacked : Pass<"seq-lower-packed", "mlir::ModuleOp"> {
  let summary = "Run each seq.packed body once per sequence of its packed batch";
  let description = [{
    `seq.packed` becomes an `scf.for` over its N sequences: each iteration
    slices steps `[offsets[n], offsets[n + 1])` of every sequence operand
    and row n of every initial state, runs a copy of the body on them (its
    seq ops then have a dynamic time, and the sequential form), and writes
    the outputs back at the same steps and the final states at row n.

    Before the loop the offsets are checked (`offsets[0] = 0`, strictly
    increasing, `offsets[N]` = the total length); offsets that fail call
    `seqc_invalid_packed_offsets()`, which the C entry point and the JIT
    runner turn into an error (status 3) without returning. The slices are
    clamped to the buffers besides, so no offsets make the code read or
    write out of bounds.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect", "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
}

def SeqContiguousDynamicExpands : Pass<"seq-contiguous-dynamic-expands"> {
  let summary = "Rewrite expand_shapes that split one dynamic size into "
                "several as reinterpret_casts";
  let description = [{
    With a dynamic batch and time, a layer's hoisted input projection
    (one GEMM over all B*T steps) is split back into [B, T, ...]: a
    `memref.expand_shape` with two dynamic sizes in one group. LLVM 22's
    `expand-strided-metadata` crashes on that form (it builds a
    reinterpret_cast from a stride it cannot compute). Its source is always
    a contiguous buffer here (an allocation or an argument of the C ABI), so
    the view is a `memref.reinterpret_cast` with row-major strides computed
    from the sizes. An expand of a strided source of that form is reported,
    not left to crash. It runs on any op (the CPU pipeline's functions, and
    the GPU pipeline's host functions and kernels alike).
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
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
      every nested loop's dimensions, times the arithmetic operations of
      an innermost body, at least 1: an LSTM cell's, whose exponentials
      are polynomials by now, are about a hundred; or a microkernel step's
      multiply-adds) is below `min-iterations`, or below
      `min-iterations-in-loop` inside a step loop (`scf.for`, `scf.while`),
      where the team forks and joins every step: on this 2-core machine a
      GLA step (2 x 4 x 64 x 64 state elements) ran 3.6x slower in parallel
      than serial, an LSTM step's h R product (1M multiply-adds) and a
      flash-attention chunk 1.6-1.9x faster.

    A nest whose work depends on a dynamic size (a batch or length known at
    run time) is versioned instead: `scf.if` on its work computed before it
    runs, the `scf.parallel` where it reaches the threshold and the serial
    nest where not. A decoding step at batch 1 then pays no fork and join.
    (Without it, a GRU layer with a dynamic batch and time ran 14% slower
    than the same layer compiled for B = 16, T = 1024.)

    Loops with reductions (results) are left alone.
  }];
  let options = [
    Option<"minIterations", "min-iterations", "int64_t", /*default=*/"32768",
           "Fewest iterations of a loop nest run by the thread team">,
    Option<"minIterationsInLoop", "min-iterations-in-loop", "int64_t",
           /*default=*/"262144",
           "The same inside a step loop (a fork and join every step)">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::scf::SCFDialect"];
}

def SeqContractionLoopOrder
    : Pass<"seq-contraction-loop-order", "mlir::func::FuncOp"> {
  let summary = "Order a contraction's loops for a vectorizing CPU backend";
  let description = [{
    A linalg contraction (matmul, batch_matmul, or a generic whose result
    accumulates products, `out + a * b` or `out - a * b` as in a triangular
    solve's row update) lowers to loops in the order of its
    iteration space, which for a named matmul puts the reduction innermost:
    a serial chain LLVM cannot vectorize without reassociating. This pass
    generalizes each contraction and interchanges its loops to
    (parallel..., reduction..., n), where n is the parallel loop indexing
    the output's innermost dimension: the innermost loop then updates a
    contiguous output row from a contiguous operand row, an independent
    multiply-add per element that LLVM's loop vectorizer takes. Contractions
    whose output's innermost index is not a loop dimension are left alone.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def SeqRegisterTileContractions
    : Pass<"seq-register-tile-contractions", "mlir::func::FuncOp"> {
  let summary = "Lower register-tiled CPU contractions to microkernels";
  let description = [{
    Every `linalg.matmul` and `linalg.batch_matmul` on buffers that carries
    a `seq.register_tile` (written by `seq-select-register-tiles`, or by
    hand) becomes a microkernel nest: an `scf.parallel` over blocks of
    `rows` x `columns` outputs whose reduction loop carries the block's
    accumulators as vectors (`vector.fma` of a broadcast row element of A
    and a vector of B's row), so that they stay in registers for the whole
    reduction; a masked column tail and a one-row kernel for the rows left
    (which also covers a dynamic row count). The reduction loop carries the
    tile too: each of its iterations is `rows * columns` multiply-adds.

    A tile with `bf16_terms` builds the bf16 pair kernel (AVX-512 BF16):
    B's bf16 values (bf16 elements, or an f32 buffer that only holds a bf16
    argument widened, such as a recurrence's weights) packed in pairs of
    rows once, before the outermost loop that does not define B when
    nothing writes B; A's pairs broadcast as 32-bit words, from A itself
    (bf16) or from its `bf16_terms` bf16 terms (f32); one
    `x86vector.avx512.dot` per accumulator, term and pair of steps.

    A tiled op whose operands are not f32 (or, for the pair kernel, not
    as above), whose maps are not the default ones, whose reduction or
    column size is dynamic, or whose B or C rows are not contiguous is an
    error naming the reason: the tile was written for a kernel that cannot
    be built.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::x86vector::X86VectorDialect"];
}

def SeqInlineAllocaScopes : Pass<"seq-inline-alloca-scopes"> {
  let summary = "Inline the memref.alloca_scope ops that hold no alloca";
  let description = [{
    `convert-scf-to-openmp` wraps every parallel body in a
    `memref.alloca_scope`, which must stay one block until the memref
    lowering, so `convert-scf-to-cf` cannot lower the loops inside it.
    Upstream's canonicalization inlines a scope only when nothing in it may
    allocate, and counts every op without memory effects (a `func.call`,
    such as the deallocation helper bufferization calls) as one that may: a
    body holding a whole layer (a piece of `seqnn-split-batch`) keeps its
    scope and the pipeline fails. Here only a `memref.alloca` that is not
    inside a nested allocation scope of its own keeps the scope: the
    pipeline creates no other stack allocation.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def SeqVectorizableMath : Pass<"seq-vectorizable-math", "mlir::func::FuncOp"> {
  let summary = "Expand f32 math.exp and math.tanh to arithmetic LLVM can "
                "vectorize";
  let description = [{
    On the CPU, math.exp and math.tanh become calls to libm's expf and
    tanhf, which LLVM does not vectorize without a vector math library: a
    loop with one per element (the decays of chunked linear attention,
    softmax weights, every LSTM and GRU cell) runs one element at a time;
    an LSTM step at B16 H256 spent longer in tanhf than in its h R product.
    This pass rewrites f32 math.exp into upstream MLIR's range-reduced
    polynomial (the approximation IREE uses, within a few ulp of expf; -inf
    gives 0, overflow gives +inf) and f32 math.tanh into upstream's
    rational approximation (clamped to +-1 beyond |x| = 7.9, odd, exact
    at 0), plain arithmetic that vectorizes with the loop around it.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def SeqStepStateInRegisters
    : Pass<"seq-step-state-in-registers", "mlir::func::FuncOp"> {
  let summary = "Carry a step loop's small elementwise state in vector "
                "registers";
  let description = [{
    A step loop of the sequential and prefix forms updates its state with a
    `linalg.generic` over the channels: `h = a * h + b` on a `tensor<64xf32>`
    iter_arg. Bufferized, the state is a buffer that every step loads and
    stores again, and LLVM cannot keep it in registers (it is a loop over
    the channels inside the step loop): the store-to-load forwarding sits
    on the chain of dependent steps. This pass rewrites each such update
    (directly in an `scf.for`; one static dimension; identity maps, all
    parallel; arith operations and the f32 math operations that have
    vector code) into vector arithmetic (upstream's linalg vectorizer),
    then moves the state's read before the loop and its write after it
    (upstream's loop-invariant subset hoisting): the loop carries a
    `vector<64xf32>` from step to step.

    Only updates whose outputs fit in `register-bytes` (the CPU pipeline
    passes half the host's vector register file) are rewritten: a state of
    1024 channels as one vector would spill every step, and the loop over
    the channels in memory is already bound by bandwidth there.
  }];
  let options = [
    Option<"registerBytes", "register-bytes", "int64_t", "1024",
           "Most bytes of state (the update's outputs) carried in registers">
  ];
  let dependentDialects = ["mlir::vector::VectorDialect",
                           "mlir::arith::ArithDialect"];
}

#endif // SEQC_CONVERSION_PASSES_TD
