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
      `chunk_size` is the length of the sequential leaf segment. `workers`
      (CPU loop nests): the chunks of one sequence in flight at once, one
      per thread. Each round reduces `workers` chunks in parallel, chains
      their carries, then scans each chunk from its carry while its a and b
      are still in that thread's L2, so that the sequence is read from
      memory once; absent, every chunk is reduced at once (the GPU shape).
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

    `units_per_block` and `split_k` (sequential form only) set the GPU
    step kernel of the recurrence (seq-weight-stationary-steps) instead of
    its own choice: the hidden units each block owns with its slice of the
    recurrent weights, and the lanes that share one unit's dot product
    (FMA path; 1, 2, 4, ..., 32). A value the step kernel cannot honour
    (units that do not fit the blocks or shared memory, a split past the
    depth) is an error naming the field.

    Example: `#seq.form<chunkwise, chunk_size = 64, block_threads = 128>`.
  }];
  let parameters = (ins
    EnumParameter<Seq_FormKind>:$kind,
    OptionalParameter<"std::optional<::seqc::seq::SequentialVariant>">:$variant,
    OptionalParameter<"std::optional<int64_t>">:$chunk_size,
    OptionalParameter<"std::optional<int64_t>">:$block_threads,
    OptionalParameter<"std::optional<int64_t>">:$items_per_thread,
    OptionalParameter<"std::optional<int64_t>">:$head_tile,
    OptionalParameter<"std::optional<int64_t>">:$state_terms,
    OptionalParameter<"std::optional<int64_t>">:$units_per_block,
    OptionalParameter<"std::optional<int64_t>">:$split_k,
    OptionalParameter<"std::optional<int64_t>">:$workers
  );
  let assemblyFormat = [{
    `<` $kind (`,` struct($variant, $chunk_size, $block_threads,
                          $items_per_thread, $head_tile, $state_terms,
                          $units_per_block, $split_k, $workers)^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// This form with another chunk size, or another (or no) variant; every
    /// other parameter kept.
    FormAttr withChunkSize(std::optional<int64_t> chunkSize) const;
    FormAttr withVariant(
        std::optional<::seqc::seq::SequentialVariant> variant) const;
  }];
}

def Seq_GpuKernelKind : I32EnumAttr<"GpuKernelKind",
    "what a GPU kernel built by the seq pipeline computes", [
    I32EnumAttrCase<"parallel_loop", 0>,
    I32EnumAttrCase<"mma_contraction", 1>,
    I32EnumAttrCase<"weight_stationary_step", 2>,
    I32EnumAttrCase<"persistent_recurrence", 3>,
    I32EnumAttrCase<"grid_barrier_reset", 4>,
    I32EnumAttrCase<"linear_scan_sequential", 5>,
    I32EnumAttrCase<"linear_scan_prefix_aggregate", 6>,
    I32EnumAttrCase<"linear_scan_prefix_carry", 7>,
    I32EnumAttrCase<"linear_scan_prefix_apply", 8>]> {
  let cppNamespace = "::seqc::seq";
  let genSpecializedAttr = 0;
}

def Seq_GateProducts : I32EnumAttr<"GateProducts",
    "how a recurrent step computes its gates' products", [
    I32EnumAttrCase<"fma", 0>,
    I32EnumAttrCase<"mma_m16n8k16", 1>]> {
  let cppNamespace = "::seqc::seq";
  let genSpecializedAttr = 0;
}

def Seq_MemorySpace : I32EnumAttr<"MemorySpace",
    "where a kernel keeps an operand", [
    I32EnumAttrCase<"registers", 0>,
    I32EnumAttrCase<"shared", 1>,
    I32EnumAttrCase<"global", 2>]> {
  let cppNamespace = "::seqc::seq";
  let genSpecializedAttr = 0;
}

def Seq_GpuKernelAttr : Seq_Attr<"GpuKernel", "gpu_kernel"> {
  let summary = "What a GPU kernel computes and the strategy it was built with";
  let description = [{
    Set as `seq.gpu_kernel` on every `gpu.launch` the seq GPU pipeline
    builds, by the pass that decided: the record of the kernel's strategy
    that lit tests pin, the emulator and the manifest read, and a reader of
    the IR sees. Each field belongs to some kinds only (the verifier says
    which):

    - `parallel_loop`: `coarsened_dim`, `coarsened_factor` (the loop
      dimension each thread runs `coarsened_factor` iterations of).
    - `mma_contraction`: `mma_tile` (block rows, columns, depth),
      `mma_warps` (warps along rows, columns), `mma_terms` (bf16 terms of
      each f32 operand), `accumulators_from_zero`.
    - `weight_stationary_step`: `units_per_block`, `gate_products`; with
      `fma`, `split_k`; with `mma_m16n8k16`, `mma_warps` (rows, columns,
      depth), `state_terms`, `weights_in` (registers or shared), `gates_in`
      (shared or global).
    - `persistent_recurrence`: `cooperative` (launched with every block
      resident: it has a grid barrier).
    - `linear_scan_*`: `vector_width` (channels a thread accesses at once);
      the carry kernel also `carry_warps`.

    Example: `#seq.gpu_kernel<weight_stationary_step, units_per_block = 4,
    gate_products = fma, split_k = 8>`.
  }];
  let parameters = (ins
    EnumParameter<Seq_GpuKernelKind>:$kind,
    OptionalParameter<"std::optional<int64_t>">:$coarsened_dim,
    OptionalParameter<"std::optional<int64_t>">:$coarsened_factor,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$mma_tile,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$mma_warps,
    OptionalParameter<"::mlir::DenseI64ArrayAttr">:$mma_terms,
    OptionalParameter<"::mlir::BoolAttr">:$accumulators_from_zero,
    OptionalParameter<"std::optional<int64_t>">:$units_per_block,
    OptionalParameter<"std::optional<::seqc::seq::GateProducts>">:$gate_products,
    OptionalParameter<"std::optional<int64_t>">:$split_k,
    OptionalParameter<"std::optional<int64_t>">:$state_terms,
    OptionalParameter<"std::optional<::seqc::seq::MemorySpace>">:$weights_in,
    OptionalParameter<"std::optional<::seqc::seq::MemorySpace>">:$gates_in,
    OptionalParameter<"::mlir::BoolAttr">:$cooperative,
    OptionalParameter<"std::optional<int64_t>">:$vector_width,
    OptionalParameter<"std::optional<int64_t>">:$carry_warps
  );
  let assemblyFormat = [{
    `<` $kind (`,` struct($coarsened_dim, $coarsened_factor, $mma_tile,
                          $mma_warps, $mma_terms, $accumulators_from_zero,
                          $units_per_block, $gate_products, $split_k,
                          $state_terms, $weights_in, $gates_in, $cooperative,
                          $vector_width, $carry_warps)^)? `>`
  }];
  let genVerifyDecl = 1;
}

def Seq_RegisterTileAttr : Seq_Attr<"RegisterTile", "register_tile"> {
  let summary = "The register block of a CPU contraction's microkernel";
  let description = [{
    Set as `seq.register_tile` on a `linalg.matmul` or `linalg.batch_matmul`
    on buffers by `seq-select-register-tiles` (Z3 over the host's vector
    registers and caches) or by hand, and read by
    `seq-register-tile-contractions`, which lowers the contraction to a
    microkernel: `rows` x `columns` accumulators held in vector registers of
    `vector_width` lanes across the whole reduction, one broadcast
    multiply-add per row and register per reduction step. The same pass
    puts the attribute on the reduction loop it builds, whose iterations
    each stand for `rows * columns` multiply-adds (what the thread-team
    threshold of `seq-serialize-small-parallel-loops` counts).

    `bf16_terms` (1 to 3), where the host has AVX-512 BF16: B is bf16 (or
    an f32 buffer that only holds a bf16 one widened, such as a recurrence's
    weights) and the kernel multiplies pairs of reduction steps with
    `x86vector.avx512.dot` (vdpbf16ps, f32 accumulators), B packed once
    into pairs of rows. A bf16 A is 1 term; an f32 A (a recurrent state)
    enters as a sum of this many bf16 terms, one product each: 3 keeps
    about f32's precision, 2 about 2^-17 relative, 1 rounds it to bf16 (the
    recurrence's `state_terms`, as on the GPU).

    `reduction_block`: the reduction runs in blocks of this many steps of
    K, one thread team per block, the accumulators stored to C between
    them, so that the rows of B a block reads stay in the L2 cache while
    every row block of A sweeps them (a contraction over all of a
    sequence's steps, K = B x T, whose B would otherwise stream from L3 or
    memory once per row block). Absent: the whole reduction at once.

    `packed_b`: B is copied once into panels of `columns` columns
    ([batch?, ceil(N / columns), K, columns]) where nothing writes it (a
    recurrence's weights: before the time loop) or else before the
    contraction, so that a block's reduction reads one contiguous panel
    instead of a vector from each of K rows N apart (rows a page or more
    apart: a new page and cache set every step). The bf16 pair kernel
    always packs its B, in panels of pairs of rows, whatever this says.

    Example: `#seq.register_tile<rows = 8, columns = 48, vector_width = 16>`.
  }];
  let parameters = (ins "int64_t":$rows, "int64_t":$columns,
                        "int64_t":$vector_width,
                        OptionalParameter<"std::optional<int64_t>">:$bf16_terms,
                        OptionalParameter<"std::optional<int64_t>">:$reduction_block,
                        DefaultValuedParameter<"bool", "false">:$packed_b);
  let assemblyFormat = "`<` struct(params) `>`";
  let builders = [
    AttrBuilder<(ins "int64_t":$rows, "int64_t":$columns,
                     "int64_t":$vector_width), [{
      return $_get($_ctxt, rows, columns, vector_width, std::nullopt,
                   std::nullopt, false);
    }]>
  ];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Vector registers of accumulators per row.
    int64_t getVectorsPerRow() const { return getColumns() / getVectorWidth(); }
  }];
}

#endif // SEQ_ATTRS_TD
