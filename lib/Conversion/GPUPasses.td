//===- GPUPasses.td - seqc passes toward GPU code ----------*- tablegen -*-===//
#ifndef SEQC_CONVERSION_GPUPASSES_TD
#define SEQC_CONVERSION_GPUPASSES_TD

include "mlir/Pass/PassBase.td"

def SeqLowerToGPUKernels : Pass<"seq-lower-to-gpu-kernels", "mlir::ModuleOp"> {
  let summary = "Lower seq ops that have a hand-shaped GPU kernel to gpu.launch";
  let description = [{
    Rewrites the seq ops whose form has a dedicated GPU kernel into
    `gpu.launch` ops on buffers (`bufferization.to_buffer` of the operands,
    freshly allocated results wrapped back with `bufferization.to_tensor`),
    with the grid, block and unrolling taken from `#seq.form<...>`. Each
    launch is tagged `seq.kernel = "<op>_<form>[_<phase>]"`. Today:
    `seq.linear_scan` (real element types) in the sequential and prefix
    forms. Ops without a kernel here are left for `seq-lower-forms`, whose
    loop nests reach the GPU through `seq-parallel-loops-to-gpu`.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::bufferization::BufferizationDialect",
    "mlir::gpu::GPUDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
    "seqc::seq::SeqDialect"
  ];
}

def SeqContractionsToMma : Pass<"seq-contractions-to-mma", "mlir::func::FuncOp"> {
  let summary = "Run 16-bit contractions on tensor cores (mma.sync)";
  let description = [{
    A `linalg.generic` on buffers that multiplies two bf16 (or two f16)
    operands into an f32 accumulator (`out + extf(a) * extf(b)`), or an
    f32 operand by a bf16 one (`out + a * extf(b)`: the alternating
    variant's h R with an f32 state and bf16 weights; the f32 operand is
    staged as `f32-terms` bf16 terms, smallest first, one product each,
    recorded as `seq.mma_terms = [terms of A, terms of B]`; 3 terms keep
    f32's precision), with
    loops that are batch, m, n or k dimensions (several of each allowed)
    and M, K multiples of 16 and N of 8, becomes one `gpu.launch`: grid
    (N / BN, M / BM, batch), up to 4 warps per block, each warp owning a
    16 x WN output tile as `nvvm.mma.sync` m16n8k16 fragments with f32
    accumulators; the A and B slices of each 16- or 32-deep step of the
    reduction are staged in shared memory (workgroup attributions, pairs
    of k packed in 32-bit words, rows padded against bank conflicts)
    between two barriers (BN narrowed down to 16, then BM, while the grid
    has fewer blocks than `multiprocessors`; 64-deep steps for a grid of
    fewer than twice as many). The launch records its tiling: `seq.kernel =
    "mma_contraction"`, `seq.mma_tile = [BM, BN, KS]`, `seq.mma_warps`.
    A zero fill of the output right before the contraction (each RNN
    step's gates) is absorbed: the accumulators start from 0
    (`seq.accumulators_start = "zero"`) and the fill goes, a launch fewer.
    A 16-bit contraction whose shape does not tile is left to the SIMT
    path with a remark.
  }];
  let options = [
    Option<"f32Terms", "f32-terms", "int64_t", /*default=*/"3",
           "bf16 terms an f32 operand is split into against a bf16 one "
           "(1 to 3)">,
    Option<"multiprocessors", "multiprocessors", "int64_t", /*default=*/"132",
           "multiprocessors of the chip: a grid with fewer blocks gets "
           "narrower tiles, and one of fewer than twice as many deeper "
           "slices">
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::LLVM::LLVMDialect", "mlir::NVVM::NVVMDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect", "seqc::seq::SeqDialect"
  ];
}

def SeqPersistentTimeLoops : Pass<"seq-persistent-time-loops", "mlir::func::FuncOp"> {
  let summary = "Run a fused-variant recurrence's time loop as one "
                "persistent, cooperatively launched kernel";
  let description = [{
    A host `scf.for` marked `seq.persistent` (the time loop of a
    `seq.recurrence` in `#seq.form<sequential, variant = fused>`) whose
    steps launch kernels becomes one `gpu.launch` of `blocks` blocks of 256
    threads (one per multiprocessor, all resident: the kernel is named
    `<func>_persistent_cooperative`, which the runtime launches with
    cuLaunchCooperativeKernel) that runs the loop itself: each kernel of a
    step is run by the grid's threads striding over its threads, followed
    by a grid barrier (a global atomic counter, membar.gl fences, block
    barriers; the counter is reset by a one-thread kernel before the
    launch). The state buffers the steps allocate become two buffers the
    steps alternate between. The launch is tagged `seq.kernel =
    "persistent_recurrence"` and `seq.cooperative`. A loop that cannot be
    made persistent (a kernel with barriers or shared memory, host work
    other than views and index arithmetic) stays a host loop, with a
    remark saying why.
  }];
  let options = [
    Option<"blocks", "blocks", "int64_t", /*default=*/"132",
           "blocks of the persistent kernel: the multiprocessors of the "
           "smallest chip it must run on (H100 132, A100 108)">
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::NVVM::NVVMDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "seqc::seq::SeqDialect"
  ];
}

def SeqWeightStationarySteps : Pass<"seq-weight-stationary-steps", "mlir::func::FuncOp"> {
  let summary = "In a fused-variant time loop, fuse the step's contraction "
                "with the cell that consumes it into one kernel whose blocks "
                "keep their slice of the recurrent weights in shared memory";
  let description = [{
    FlashRNN's fused kernel: inside a time loop marked `seq.persistent`, a
    contraction `acc += f(state, W)` whose weights `W` the loop does not
    write (the recurrent matrix R), the fill of `acc` before it, and the
    elementwise cell after it that reads `acc` become one `gpu.launch` of
    `blocks` blocks of 256 threads. The hidden units (the dimensions of
    `acc` that index W and that every read of the cell indexes alike: head
    and unit, not the gate) are split into `blocks` contiguous ranges; a
    block stages the columns of W of its units in shared memory, computes
    every gate pre-activation of its units for every batch row, a block
    barrier, then the cell for its units. So the cell needs no grid-wide
    barrier after the contraction, and once seq-persistent-time-loops makes
    the loop one kernel, the staging (tagged `seq.step_invariant`) runs once
    before the first step: R is read from global memory once per sequence
    instead of once per step. The launch is tagged `seq.kernel =
    "weight_stationary_step"` and `seq.units_per_block`. A step this cannot
    take (no loop-invariant weights, a cell that reads other units' gates,
    weights over `shared-bytes` per block) is left alone, with a remark.
    Weights up to 48 KiB a block are a workgroup attribution (static shared
    memory); more are dynamic shared memory (`gpu.dynamic_shared_memory`,
    the launch's dynamic size; the runtime raises the kernel's limit).

    With 16-bit weights, an f32 accumulator and a state that only rows and
    the depth index (not a head), the gates are computed on tensor cores
    (`mma.sync.m16n8k16`, `seq.gate_products = "mma.m16n8k16"`): the
    block's rows x (units x gates) slice of acc in m16n8 tiles, the depth
    in 16-deep steps, split among the 8 warps (`seq.mma_warps = [m, n,
    k]`: the fewest mma a warp, then, within 64 accumulators a thread, the
    shortest chain of dependent mma). A warp's fragments of R stay in registers across steps when they
    fit (`seq.weights_in = "registers"`: loaded once, by an op tagged
    `seq.step_invariant`), else R is staged in shared memory as packed k
    pairs (`"shared"`). An f32 state enters as a sum of `state-terms` bf16
    terms, one product each (`seq.state_terms`): 3 keep the state to about
    f32's precision (the gates then differ from the FMA path's by summation
    order only), 2 to about 2^-17, 1 rounds it to bf16 (what cuDNN's bf16
    LSTM does). The k groups' partial tiles are added in shared memory:
    by the cell itself when acc is filled every step and read by nothing
    else (`seq.gates_in = "shared"`: acc is never written), else into acc
    before the cell (`"global"`). Otherwise the gates are FMA
    (`seq.gate_products = "fma"`, `seq.split_k`), with a remark saying why
    when the weights are 16-bit.
  }];
  let options = [
    Option<"blocks", "blocks", "int64_t", /*default=*/"132",
           "blocks of the persistent kernel (seq-persistent-time-loops')">,
    Option<"sharedBytes", "shared-bytes", "int64_t", /*default=*/"232448",
           "shared memory a block may use for its weights: the chip's "
           "opt-in limit (H100 227 KiB, A100 163 KiB); over 48 KiB it is "
           "dynamic shared memory">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "compute the gates of 16-bit weights with mma.sync (sm_80+); "
           "false: FMA units">,
    Option<"fragmentRegisters", "fragment-registers", "int64_t",
           /*default=*/"64",
           "32-bit registers a thread may hold its warp's fragments of the "
           "weights in across steps; more, and they are read from shared "
           "memory every step">,
    Option<"stateTerms", "state-terms", "int64_t", /*default=*/"3",
           "bf16 terms an f32 state is split into for the tensor cores (1 "
           "to 3; 3 keeps about f32's precision)">
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::memref::MemRefDialect", "mlir::scf::SCFDialect",
    "mlir::NVVM::NVVMDialect", "mlir::LLVM::LLVMDialect",
    "mlir::vector::VectorDialect", "seqc::seq::SeqDialect"
  ];
}

def SeqSplatConstantsToFill : Pass<"seq-splat-constants-to-fill", "mlir::func::FuncOp"> {
  let summary = "Replace splat tensor constants by linalg.fill";
  let description = [{
    Bufferized, a tensor constant becomes a global in host memory, which a
    kernel cannot read. A splat constant (the zero accumulator of a matmul,
    a tensor of ones) becomes `tensor.empty` + `linalg.fill`, computed on
    the device instead of copied. Other constants stay; seq-device-buffers
    copies their globals to the device.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def SeqParallelLoopsToGPU : Pass<"seq-parallel-loops-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Launch every host-level scf.parallel as one GPU kernel";
  let description = [{
    Each outermost `scf.parallel` outside a kernel (from linalg ops and the
    target-independent seq lowerings) becomes a `gpu.launch` with one thread
    per iteration: the iteration space is linearized, cut into blocks of
    `block-threads` threads (fewer, down to a warp, when that leaves fewer
    than `min-blocks` blocks), and each thread recovers its indices by
    delinearization, so that the innermost loop dimension runs across
    consecutive threads (coalesced for row-major buffers). Parallel loops
    with reductions are reported as errors.

    A nest that holds a reduction loop may run `factor` consecutive
    iterations of one dimension (not the innermost) inside each thread when
    a load of the reduction does not depend on it: the largest divisor of
    its trip count up to `coarsen-max` that leaves at least `min-threads`
    threads or keeps factor x reduction length within `coarsen-work`. The loop is marked `seq.coarsened` (the launch
    `seq.coarsened_dim` and `seq.coarsened_factor`) and
    seq-promote-kernel-accumulators jams it into the reduction, so that the
    value is loaded once for `factor` uses.
  }];
  let options = [
    Option<"blockThreads", "block-threads", "int64_t", /*default=*/"256",
           "threads per block">,
    Option<"coarsenMax", "coarsen-max", "int64_t", /*default=*/"16",
           "most iterations of a dimension run inside each thread (1: none)">,
    Option<"minThreads", "min-threads", "int64_t", /*default=*/"65536",
           "threads a coarsened launch keeps (unless coarsen-work allows)">,
    Option<"coarsenWork", "coarsen-work", "int64_t", /*default=*/"1024",
           "factor x reduction length a thread may walk whatever the thread "
           "count">,
    Option<"minBlocks", "min-blocks", "int64_t", /*default=*/"128",
           "halve the block (down to a warp) while a constant-size launch has "
           "fewer blocks than this">
  ];
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::arith::ArithDialect",
                           "seqc::seq::SeqDialect"];
}

def SeqPromoteKernelAccumulators : Pass<"seq-promote-kernel-accumulators", "mlir::func::FuncOp"> {
  let summary = "Carry kernel reductions in registers and unroll them";
  let description = [{
    A reduction from a linalg op reaches a kernel as an `scf.for` that
    loads its output element, adds to it and stores it back every step: a
    chain through memory (kernel arguments may alias, so neither LLVM nor
    ptxas can keep it in a register) that makes a 768-long dot product wait
    768 times for the cache. Inside every `gpu.launch`, an innermost loop
    whose loads and stores of one buffer all use the same loop-invariant
    indices carries that element as an iteration argument instead (one load
    before, one store after), and is then unrolled by `unroll` so that the
    loads of several steps are in flight at once (a thread's dot product is
    latency-bound: one step in flight waits a cache round trip per step). A loop that
    seq-parallel-loops-to-gpu marked `seq.coarsened` around such a
    reduction is unrolled and jammed into it: one pass over the reduction
    updates every accumulator, sharing the loads that do not depend on it.

    Linalg semantics make this exact: an output element is accessed only
    through its own indices within the reduction.
  }];
  let options = [
    Option<"unroll", "unroll", "int64_t", /*default=*/"16",
           "unroll factor of the promoted reduction loops (1: none)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::memref::MemRefDialect"];
}

def SeqDeviceBuffers : Pass<"seq-device-buffers", "mlir::func::FuncOp"> {
  let summary = "Place host-level buffers in device memory";
  let description = [{
    After kernels are formed, every buffer the host code allocates is used
    by kernels only: `memref.alloc`/`memref.dealloc` outside kernels become
    `gpu.alloc`/`gpu.dealloc`, and a constant global read by kernels is
    copied into a device buffer (`gpu.alloc` + `gpu.memcpy`, freed before
    the function returns). Host code that would still touch device memory
    (a load, store or copy) is an error at its location, never a segfault
    at run time. Buffers of `index` or `i1`
    elements are the buffer deallocation pipeline's host bookkeeping
    (pointer lists, ownership flags) and stay on the host.
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

def SeqLowerBlockBarriers : Pass<"seq-lower-block-barriers", "mlir::func::FuncOp"> {
  let summary = "Turn seq.block_barrier into gpu.barrier";
  let description = [{
    Runs once buffers are final (after the deallocation pipeline, which
    accepts only ops with declared memory effects, as `seq.block_barrier`
    is and `gpu.barrier` is not) and before kernels are outlined.
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

def SeqWorkgroupAllocas : Pass<"seq-workgroup-allocas", "mlir::func::FuncOp"> {
  let summary = "Make seq.workgroup allocas in kernels shared memory";
  let description = [{
    Kernels built before bufferization (the linear scan's carry) cannot
    carry workgroup attributions through the buffer deallocation pipeline;
    they allocate their shared scratch as a `memref.alloca` marked
    `seq.workgroup` in the `gpu.launch` body. Once buffers are final, each
    becomes a workgroup attribution of its launch (the block's shared
    memory, `#gpu.address_space<workgroup>`). Runs before kernel
    outlining; the GPU pipeline always runs it (an unpromoted alloca would
    be per-thread memory).
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

def SeqAlignWorkgroupMemory : Pass<"seq-align-workgroup-memory", "mlir::ModuleOp"> {
  let summary = "Align every kernel's shared-memory buffers to 16 bytes";
  let description = [{
    Sets `llvm.align = 16` on every workgroup attribution of every
    `gpu.func`, so that the `.shared` declarations in the PTX are as aligned
    as LLVM's optimizer assumes when it vectorizes shared-memory accesses
    (it takes an array global over 16 bytes without explicit alignment to
    be 16-byte aligned; the NVPTX printer declares it with its element
    type's alignment).
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def SeqMergeGPUModules : Pass<"seq-merge-gpu-modules", "mlir::ModuleOp"> {
  let summary = "Put every outlined kernel into one gpu.module";
  let description = [{
    gpu-kernel-outlining makes one gpu.module per kernel, all kernels named
    after the host function. One module per compiled file gives one PTX
    file and one cubin (one `cuModuleLoadData` at load time): the kernels
    move into `gpu.module @seqc_kernels`, each renamed after its former
    module (unique), and every `gpu.launch_func` follows.
  }];
}

def SeqFuseElementwise : Pass<"seq-fuse-elementwise"> {
  let summary = "Fuse elementwise producers into their consumers, unless "
                "that recomputes transcendentals";
  let description = [{
    upstream `linalg-fuse-elementwise-ops` (elementwise producers with one
    use fused into their consumer, reshapes folded by expansion), with one
    more condition: a producer whose body computes a transcendental (any
    math dialect op but abs, neg and fma-like ones) is not fused into a
    consumer that reads each of its elements more than once (an operand map
    with fewer results than the consumer has loops: a contraction,
    a broadcast). Fused there, the exponential of every decay factor of a
    chunked linear attention was recomputed for every output column of the
    matmul that reads it (dv times), where computing it once and reading it
    costs a pass over memory.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::affine::AffineDialect"];
}

#endif // SEQC_CONVERSION_GPUPASSES_TD
