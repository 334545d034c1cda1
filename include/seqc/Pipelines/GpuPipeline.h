//===- GpuPipeline.h - the named GPU compilation pipeline ------*- C++ -*-===//
//
// seq -> loops (hand-shaped kernels for the ops that have one, loop nests
// for the rest) -> buffers -> kernels (every host-level parallel loop a
// gpu.launch, host buffers in device memory, kernels outlined) -> llvm
// (kernels in NVVM for the chip, host code in the LLVM dialect calling the
// mgpu* runtime ABI). Serialization to PTX and cubin happens after the
// last stage (gpu-module-to-binary), in the driver and in lit tests alike.
// seq-opt --seqc-gpu-pipeline runs the same passes as seqc.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_PIPELINES_GPUPIPELINE_H
#define SEQC_PIPELINES_GPUPIPELINE_H

#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>

namespace seqc {

enum class GpuStage { seq, loops, buffers, kernels, llvm };

llvm::StringRef gpuStageName(GpuStage stage);
std::optional<GpuStage> parseGpuStage(llvm::StringRef name);

/// The chips seqc generates code for, by their `--target` names.
bool isGpuTarget(llvm::StringRef target);
/// "sm_80" -> "sm_80", "sm_90"/"h100"/"h200" -> "sm_90".
std::string gpuChipOf(llvm::StringRef target);

/// What the user chose for the recurrences the form selection makes
/// sequential (written into their `#seq.form`); empty or 0: the default.
struct RecurrenceChoice {
  /// FlashRNN's GPU variant: fused, alternating, or empty.
  std::string variant;
  /// bf16 terms of an f32 state in the step's tensor-core product, either
  /// variant (1 to 3); 0: the default (3, about f32's precision).
  int64_t stateTerms = 0;
};

/// With `tuningDatabase`, the seq stage takes forms from its records first;
/// `recurrences` is what the form selection writes on the recurrences it
/// makes sequential.
mlir::LogicalResult addGpuStage(mlir::OpPassManager &pm, GpuStage stage,
                                llvm::StringRef target,
                                llvm::StringRef tuningDatabase = "",
                                const RecurrenceChoice &recurrences = {});
mlir::LogicalResult buildGpuPipeline(mlir::OpPassManager &pm,
                                     llvm::StringRef target,
                                     GpuStage last = GpuStage::llvm,
                                     GpuStage first = GpuStage::seq,
                                     llvm::StringRef tuningDatabase = "",
                                     const RecurrenceChoice &recurrences = {});

/// Registers `seqc-gpu-pipeline{target=sm_90}`.
void registerGpuPipeline();

} // namespace seqc

#endif // SEQC_PIPELINES_GPUPIPELINE_H
