//===- CpuPipeline.h - the named CPU compilation pipeline ------*- C++ -*-===//
//
// seq (+ upstream tensor IR) -> loops -> buffers -> LLVM dialect. The same
// functions build the pipeline for `seqc` and for `seq-opt
// --seqc-cpu-pipeline`, so every driver run can be reproduced with seq-opt.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_PIPELINES_CPUPIPELINE_H
#define SEQC_PIPELINES_CPUPIPELINE_H

#include "mlir/Pass/PassManager.h"

#include <optional>

namespace seqc {

/// The stages of the CPU pipeline, in order. `--emit=<stage>` prints the IR
/// after one of them.
enum class CpuStage {
  /// seqnn layers expanded into seq primitives (seqnn-expand): the level
  /// the reference interpreter checks.
  seq,
  /// seq ops lowered by form to scf/linalg/tensor (seq-lower-forms).
  loops,
  /// One-shot bufferized; results turned into caller-allocated out
  /// parameters; temporaries deallocated.
  buffers,
  /// Everything in the LLVM dialect, with C-interface wrappers.
  llvm,
};

/// Stage names as the driver spells them: "seq", "loops", "buffers", "llvm".
llvm::StringRef cpuStageName(CpuStage stage);
std::optional<CpuStage> parseCpuStage(llvm::StringRef name);

/// Appends the passes of `stage` to `pm`.
/// With `tuningDatabase`, the seq stage takes forms from its records first.
/// `stateTerms` (1 to 3; 0: the default, 3): bf16 terms of a recurrence's
/// f32 state in its step's product with bf16 weights, written on the
/// sequential form the seq stage picks.
mlir::LogicalResult addCpuStage(mlir::OpPassManager &pm, CpuStage stage,
                                llvm::StringRef tuningDatabase = "",
                                int64_t stateTerms = 0);

/// Appends the stages from `first` up to and including `last`.
mlir::LogicalResult buildCpuPipeline(mlir::OpPassManager &pm,
                                     CpuStage last = CpuStage::llvm,
                                     CpuStage first = CpuStage::seq,
                                     llvm::StringRef tuningDatabase = "",
                                     int64_t stateTerms = 0);

/// seq-apply-tuning-records{db=... target=...}; nothing without a database.
void addTuningRecordsPass(mlir::OpPassManager &pm,
                          llvm::StringRef tuningDatabase,
                          llvm::StringRef target);

/// canonicalize, cse.
void addCleanupPasses(mlir::OpPassManager &pm);

/// Host code's scf, cf, arith, index and memref ops to the LLVM dialect,
/// C-interface wrappers requested for every function (func itself is
/// converted after the target's own ops: OpenMP, GPU launches). With
/// `checkedAllocations`, memref.alloc calls _mlir_memref_to_llvm_alloc
/// (CpuExecutable.h) instead of malloc.
void addHostToLLVMPasses(mlir::OpPassManager &pm, bool checkedAllocations);

/// Registers `seqc-cpu-pipeline` with the pass pipeline registry.
void registerCpuPipeline();

} // namespace seqc

#endif // SEQC_PIPELINES_CPUPIPELINE_H
