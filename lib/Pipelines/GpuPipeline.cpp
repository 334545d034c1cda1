//===- GpuPipeline.cpp - the named GPU compilation pipeline ---------------===//
#include "seqc/Pipelines/GpuPipeline.h"
#include "seqc/Pipelines/CpuPipeline.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace seqc {

StringRef gpuStageName(GpuStage stage) {
  switch (stage) {
  case GpuStage::seq:
    return "seq";
  case GpuStage::loops:
    return "loops";
  case GpuStage::buffers:
    return "buffers";
  case GpuStage::kernels:
    return "kernels";
  case GpuStage::llvm:
    return "llvm";
  }
  return "";
}

static constexpr GpuStage kGpuStages[] = {GpuStage::seq, GpuStage::loops,
                                          GpuStage::buffers, GpuStage::kernels,
                                          GpuStage::llvm};

std::optional<GpuStage> parseGpuStage(StringRef name) {
  for (GpuStage stage : kGpuStages)
    if (gpuStageName(stage) == name)
      return stage;
  return std::nullopt;
}

bool isGpuTarget(StringRef target) { return !gpuChipOf(target).empty(); }

std::string gpuChipOf(StringRef target) {
  return llvm::StringSwitch<std::string>(target)
      .Case("sm_80", "sm_80")
      .Cases({"sm_90", "h100", "h200"}, "sm_90")
      .Default("");
}

/// Multiprocessors of the smallest chip of an architecture: the blocks a
/// persistent kernel can keep resident (one each).
static int64_t multiprocessorsOf(StringRef chip) {
  return chip == "sm_80" ? 108 : 132; // A100; H100 and H200
}

/// Shared memory a block may opt into: A100 163 KiB, H100 and H200
/// 227 KiB.
static int64_t sharedBytesOf(StringRef chip) {
  return chip == "sm_80" ? 166912 : 232448;
}

static std::string stagePipeline(GpuStage stage, StringRef target,
                                 StringRef tuningDatabase,
                                 const RecurrenceChoice &recurrences) {
  std::string chip = gpuChipOf(target);
  switch (stage) {
  case GpuStage::seq:
    return "seqnn-expand,canonicalize,cse," +
           tuningRecordsPass(tuningDatabase, target) +
           "seq-select-form{target=" + target.str() +
           (recurrences.variant.empty()
                ? std::string()
                : " sequential-variant=" + recurrences.variant) +
           (recurrences.stateTerms
                ? " state-terms=" + std::to_string(recurrences.stateTerms)
                : std::string()) +
           "},canonicalize,cse";
  case GpuStage::loops:
    // Elementwise chains are fused into one generic each (one kernel per
    // chain instead of one per op), and, with named ops generalized, into
    // the contractions that read them (the per-step transpose of an RNN
    // state folds into the h R product), except producers of
    // transcendentals a contraction would recompute per output column;
    // splat constants are computed on the device instead of living in host
    // globals.
    return "seq-lower-to-gpu-kernels,seq-lower-forms,"
           "func.func(convert-elementwise-to-linalg,seq-splat-constants-to-"
           "fill,linalg-generalize-named-ops),seq-fuse-elementwise,"
           "canonicalize,cse";
  case GpuStage::buffers:
    return ""; // the CPU pipeline's, see addGpuStage
  case GpuStage::kernels:
    // 16-bit contractions become tensor-core kernels; a fused-variant
    // step's h R product and its cell become one kernel whose blocks keep
    // their units' columns of R in shared memory (up to the chip's opt-in
    // limit a block); adjacent loop nests over the same space with
    // matching accesses (a fill and the reduction into it, a cell and the
    // copy of its output) fuse into one kernel before kernels are formed.
    return "func.func(seq-contractions-to-mma{multiprocessors=" +
           std::to_string(multiprocessorsOf(chip)) +
           "},"
           "seq-weight-stationary-steps{blocks=" +
           std::to_string(multiprocessorsOf(chip)) +
           " shared-bytes=" + std::to_string(sharedBytesOf(chip)) +
           "},"
           "convert-linalg-to-parallel-loops,"
           "scf-parallel-loop-fusion,"
           "seq-parallel-loops-to-gpu,seq-promote-kernel-accumulators,"
           "seq-persistent-time-loops{blocks=" +
           std::to_string(multiprocessorsOf(chip)) +
           "},seq-device-buffers,seq-lower-block-barriers,"
           "seq-workgroup-allocas,"
           "gpu-launch-sink-index-computations),"
           "gpu-kernel-outlining,seq-merge-gpu-modules,"
           "seq-align-workgroup-memory,canonicalize,cse";
  case GpuStage::llvm:
    // Kernels: NVVM for the chip (PTX 8.0: sm_90 needs it; upstream's
    // default +ptx60 aborts). Host: launches on the caller's stream without
    // intermediate synchronization (gpu-async-region), then the LLVM
    // dialect with C-interface wrappers.
    return "nvvm-attach-target{chip=" + chip +
           " features=+ptx80 O=3},"
           "gpu.module(convert-gpu-to-nvvm,canonicalize,cse,"
           "reconcile-unrealized-casts),"
           "func.func(gpu-async-region),"
           "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
           "convert-cf-to-llvm,convert-arith-to-llvm,convert-index-to-llvm,"
           "finalize-memref-to-llvm,func.func(llvm-request-c-wrappers),"
           "convert-func-to-llvm,gpu-to-llvm,reconcile-unrealized-casts";
  }
  return "";
}

LogicalResult addGpuStage(OpPassManager &pm, GpuStage stage, StringRef target,
                          StringRef tuningDatabase,
                          const RecurrenceChoice &recurrences) {
  if (!isGpuTarget(target)) {
    llvm::errs() << "seqc: '" << target << "' is not a GPU target\n";
    return failure();
  }
  // Bufferization is target-independent: the CPU pipeline's stage.
  if (stage == GpuStage::buffers)
    return addCpuStage(pm, CpuStage::buffers);
  std::string errors;
  llvm::raw_string_ostream os(errors);
  if (failed(parsePassPipeline(
          stagePipeline(stage, target, tuningDatabase, recurrences), pm,
          os))) {
    llvm::errs() << "seqc: internal error: GPU pipeline stage '"
                 << gpuStageName(stage) << "' does not parse: " << errors
                 << "\n";
    return failure();
  }
  return success();
}

LogicalResult buildGpuPipeline(OpPassManager &pm, StringRef target,
                               GpuStage last, GpuStage first,
                               StringRef tuningDatabase,
                               const RecurrenceChoice &recurrences) {
  for (GpuStage stage : kGpuStages) {
    if (stage < first)
      continue;
    if (failed(
            addGpuStage(pm, stage, target, tuningDatabase, recurrences)))
      return failure();
    if (stage == last)
      break;
  }
  return success();
}

namespace {
struct GpuPipelineOptions : PassPipelineOptions<GpuPipelineOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("sm_80, sm_90, h100 or h200"),
                             llvm::cl::init("sm_90")};
  Option<std::string> stop{*this, "stop", llvm::cl::desc("last stage to run"),
                           llvm::cl::init("llvm")};
  Option<std::string> db{*this, "db",
                         llvm::cl::desc("tuning database to take forms from"),
                         llvm::cl::init("")};
  Option<std::string> variant{
      *this, "variant",
      llvm::cl::desc("GPU variant of sequential recurrences: fused or "
                     "alternating"),
      llvm::cl::init("")};
  Option<int64_t> stateTerms{
      *this, "state-terms",
      llvm::cl::desc("bf16 terms of an f32 state in the step's tensor-core "
                     "product, either variant (1 to 3; 0: the default, 3)"),
      llvm::cl::init(0)};
};
} // namespace

void registerGpuPipeline() {
  PassPipelineRegistration<GpuPipelineOptions>(
      "seqc-gpu-pipeline",
      "Lower seq ops to GPU kernels (NVVM) and host code calling the seqc "
      "runtime (what `seqc compile --target=sm_80|sm_90` runs, before "
      "serialization)",
      [](OpPassManager &pm, const GpuPipelineOptions &options) {
        std::optional<GpuStage> last = parseGpuStage(options.stop);
        (void)buildGpuPipeline(pm, options.target,
                               last.value_or(GpuStage::llvm), GpuStage::seq,
                               options.db,
                               RecurrenceChoice{options.variant,
                                                options.stateTerms});
      });
}

} // namespace seqc
