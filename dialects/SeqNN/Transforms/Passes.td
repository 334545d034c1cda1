//===- Passes.td - seqnn passes ----------------------------*- tablegen -*-===//
#ifndef SEQNN_TRANSFORMS_PASSES_TD
#define SEQNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqNNExpand : Pass<"seqnn-expand"> {
  let summary = "Expand seqnn layers into seq primitives with explicit cells";
  let description = [{
    Rewrites every seqnn layer into seq primitives, upstream linalg/tensor
    ops and elementwise arithmetic. Every input projection (x W of the
    classic RNNs, the q/k/v/gate projections of the attention family,
    Mamba's dt/B/C projections) is hoisted out of the recurrence as one
    matmul over all B*T steps. The cells of the classic RNNs become the body
    of a seq.recurrence with the block-diagonal recurrent matrix captured as
    a weight; diagonal SSMs become seq.linear_scan; the attention family
    becomes seq.linear_attention, seq.delta_rule or seq.softmax_attention.
    Arithmetic is f32 whatever the input precision.
  }];
  let dependentDialects = [
    "::seqc::seq::SeqDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def SeqNNSplitBatch : Pass<"seqnn-split-batch"> {
  let summary = "Run each layer's batch as independent pieces, one per core";
  let description = [{
    Every row of a layer's batch is computed independently of the others
    (its own states through every step, the weights shared). On a CPU this
    pass makes each seqnn layer with a static batch B of at least 2 an
    `scf.forall` over `pieces` slices of B / pieces rows (B rounded to a
    divisor: the largest number of pieces from 2 up to `pieces` that
    divides B), each the same layer on its slice of the input and the
    initial states, written into its slice of every result. After
    bufferization the forall is the only thread team: every piece runs its
    projection and its whole time loop on one core, with no fork, join or
    barrier per step, and the recurrent weights stay in that core's cache.
    (LSTM B16 T1024 H256 on 2 cores: a team per step spent as long in the
    serial cell and the synchronization of each step as in its h R.)
    Layers with a dynamic batch, a batch of 1 and `pieces` below 2 are left
    alone; `pieces` = 0 takes the host's core count.

    With `cache-bytes`, a layer whose largest weight (its recurrent
    weights, read every step) is larger stays whole: one core would stream
    all of it from a shared cache every step, where a thread team per step
    splits it between the cores' own caches. (LSTM B16 T1024 on 2 Zen 4
    cores, 2 MiB L2 each: split, H256 (R 1 MiB) ran in 0.94x the time of
    the team per step, H768 (R 9 MiB) in 1.06x.)
  }];
  let options = [
    Option<"pieces", "pieces", "int64_t", /*default=*/"0",
           "Most pieces a batch is split into (0: the host's cores)">,
    Option<"cacheBytes", "cache-bytes", "int64_t", /*default=*/"0",
           "Largest weight a split layer may have, in bytes (0: any)">
  ];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect"];
}

#endif // SEQNN_TRANSFORMS_PASSES_TD
