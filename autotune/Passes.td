//===- Passes.td - form selection and tuning passes --------*- tablegen -*-===//
#ifndef SEQC_AUTOTUNE_PASSES_TD
#define SEQC_AUTOTUNE_PASSES_TD

include "mlir/Pass/PassBase.td"

def SeqSelectForm : Pass<"seq-select-form"> {
  let summary = "Choose each seq op's form and tiles with Z3 over the cost "
                "model";
  let description = [{
    For every seq op without a `form`, builds the tiling problem of each
    form that has a lowering (CostModel.h: the tile parameters the lowering
    reads, the target's constraints on them, the predicted cost), lets Z3
    find each form's cheapest feasible configuration (TilingProblem.h), and
    writes the cheapest overall as `#seq.form<...>` with its tiles
    (`chunk_size`, and on GPUs `block_threads`, `items_per_thread`). A form
    the user (or the tuner) wrote is never overridden; if it violates a
    constraint of the target, the pass warns with the constraint. `force`
    sets one form on every op that admits it, for testing: `prefix`,
    `sequential`, or `chunkwise:64` with a chunk size.
    On a GPU a `seq.recurrence`'s sequential form comes in FlashRNN's two
    variants, each with its own cost (`variant = fused` when the fused one
    is predicted faster); `sequential-variant` overrides the variant
    (`fused`, `alternating`) on the recurrences it puts in the sequential
    form, and
    `state-terms` how many bf16 terms their f32 state is split into for
    the step's tensor cores (either variant).
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "Target: cpu, sm_80, a100, sm_90, h100, h200, or a .json model "
           "file">,
    Option<"force", "force", "std::string", /*default=*/"\"\"",
           "Form to set wherever valid, e.g. prefix or chunkwise:64">,
    Option<"sequentialVariant", "sequential-variant", "std::string",
           /*default=*/"\"\"",
           "GPU variant of the recurrences it puts in the sequential form: "
           "fused (one persistent kernel) or alternating (kernels per step); "
           "empty: the cost model's pick">,
    Option<"stateTerms", "state-terms", "int64_t", /*default=*/"0",
           "bf16 terms of the f32 state of the sequential recurrences it "
           "writes "
           "(1 to 3; 0: the form's default, 3)">
  ];
}

def SeqApplyTuningRecords : Pass<"seq-apply-tuning-records"> {
  let summary = "Set each seq op's form from the best measured record in a "
                "tuning database";
  let description = [{
    For every seq op without a `form`, looks up the op's workload (seqc
    version, target, structural hash of the op, shape bucket, element type)
    in the SQLite tuning database written by `seqc tune`, and sets the
    fastest configuration that passed its check, marked with the unit
    attribute `seq.tuned`. Ops without a record keep no form, for
    `seq-select-form` to choose. A missing, corrupt or foreign database is a
    warning, and every op falls back to the cost model.
  }];
  let options = [
    Option<"database", "db", "std::string", /*default=*/"\"\"",
           "Path of the tuning database">,
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "Target whose records apply">
  ];
}

def SeqSelectRegisterTiles
    : Pass<"seq-select-register-tiles", "mlir::func::FuncOp"> {
  let summary = "Choose the register block of each CPU contraction with Z3";
  let description = [{
    For every f32 `linalg.matmul` and `linalg.batch_matmul` on buffers
    without a `seq.register_tile` that `seq-register-tile-contractions` can
    lower (default indexing maps, static reduction and column sizes,
    contiguous rows of B and C), solves the register-block problem of the
    target (RegisterTileProblem.h: rows x vectors accumulators, B's vectors
    and a broadcast within the vector registers, the modeled cycles of the
    whole contraction with its tails minimized) and writes the block as
    `#seq.register_tile<rows, columns, vector_width>`. A block already
    written is kept. Contractions it cannot lower keep the loop lowering.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"",
           "Target: cpu (this host) or a .json CPU model file">
  ];
  let dependentDialects = ["seqc::seq::SeqDialect"];
}

#endif // SEQC_AUTOTUNE_PASSES_TD
