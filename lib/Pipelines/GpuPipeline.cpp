//===- GpuPipeline.cpp - the named GPU compilation pipeline ---------------===//
#include "seqc/Pipelines/GpuPipeline.h"
#include "seqc/Pipelines/CpuPipeline.h"

#include "autotune/Passes.h"
#include "dialects/SeqNN/Transforms/Passes.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
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

LogicalResult addGpuStage(OpPassManager &pm, GpuStage stage, StringRef target,
                          StringRef tuningDatabase,
                          const RecurrenceChoice &recurrences) {
  if (!isGpuTarget(target)) {
    llvm::errs() << "seqc: '" << target << "' is not a GPU target\n";
    return failure();
  }
  std::string chip = gpuChipOf(target);
  switch (stage) {
  case GpuStage::seq: {
    pm.addPass(seqnn::createSeqNNExpand());
    addCleanupPasses(pm);
    addTuningRecordsPass(pm, tuningDatabase, target);
    autotune::SeqSelectFormOptions select;
    select.target = target.str();
    select.sequentialVariant = recurrences.variant;
    select.stateTerms = recurrences.stateTerms;
    pm.addPass(autotune::createSeqSelectForm(select));
    addCleanupPasses(pm);
    return success();
  }
  case GpuStage::loops:
    // Elementwise chains are fused into one generic each (one kernel per
    // chain instead of one per op), and, with named ops generalized, into
    // the contractions that read them (the per-step transpose of an RNN
    // state folds into the h R product), except producers of
    // transcendentals a contraction would recompute per output column;
    // splat constants are computed on the device instead of living in host
    // globals.
    pm.addPass(createSeqLowerToGPUKernels());
    pm.addPass(createSeqLowerForms());
    // A form's loops over sequences or chunks (scf.forall: the CPU's
    // threads) stay host loops around the kernels of their bodies here.
    pm.addPass(createForallToForLoopPass());
    pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
    pm.addNestedPass<func::FuncOp>(createSeqSplatConstantsToFill());
    pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
    pm.addPass(createSeqFuseElementwise());
    addCleanupPasses(pm);
    return success();
  case GpuStage::buffers:
    // Bufferization is target-independent: the CPU pipeline's stage.
    return addCpuStage(pm, CpuStage::buffers);
  case GpuStage::kernels: {
    // 16-bit contractions become tensor-core kernels; a fused-variant
    // step's h R product and its cell become one kernel whose blocks keep
    // their units' columns of R in shared memory (up to the chip's opt-in
    // limit a block); adjacent loop nests over the same space with
    // matching accesses (a fill and the reduction into it, a cell and the
    // copy of its output) fuse into one kernel before kernels are formed.
    OpPassManager &function = pm.nest<func::FuncOp>();
    SeqContractionsToMmaOptions mma;
    mma.multiprocessors = multiprocessorsOf(chip);
    function.addPass(createSeqContractionsToMma(mma));
    SeqWeightStationaryStepsOptions steps;
    steps.blocks = multiprocessorsOf(chip);
    steps.sharedBytes = sharedBytesOf(chip);
    function.addPass(createSeqWeightStationarySteps(steps));
    function.addPass(createConvertLinalgToParallelLoopsPass());
    function.addPass(createParallelLoopFusionPass());
    function.addPass(createSeqParallelLoopsToGPU());
    function.addPass(createSeqPromoteKernelAccumulators());
    SeqPersistentTimeLoopsOptions persistent;
    persistent.blocks = multiprocessorsOf(chip);
    function.addPass(createSeqPersistentTimeLoops(persistent));
    function.addPass(createSeqDeviceBuffers());
    function.addPass(createSeqLowerBlockBarriers());
    function.addPass(createSeqWorkgroupAllocas());
    function.addPass(createGpuLaunchSinkIndexComputationsPass());
    pm.addPass(createGpuKernelOutliningPass());
    pm.addPass(createSeqMergeGPUModules());
    pm.addPass(createSeqAlignWorkgroupMemory());
    addCleanupPasses(pm);
    return success();
  }
  case GpuStage::llvm: {
    // Kernels: NVVM for the chip (PTX 8.0: sm_90 needs it; upstream's
    // default +ptx60 aborts). Host: launches on the caller's stream without
    // intermediate synchronization (gpu-async-region), then the LLVM
    // dialect with C-interface wrappers.
    // Before the kernels' and the host's memref lowerings: LLVM 22 crashes
    // on an expand_shape that splits a dynamic size into several.
    pm.addPass(createSeqContiguousDynamicExpands());
    GpuNVVMAttachTargetOptions nvvm;
    nvvm.chip = chip;
    nvvm.features = "+ptx80";
    nvvm.optLevel = 3;
    pm.addPass(createGpuNVVMAttachTarget(nvvm));
    OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
    kernels.addPass(createConvertGpuOpsToNVVMOps());
    addCleanupPasses(kernels);
    kernels.addPass(createReconcileUnrealizedCastsPass());
    pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
    pm.addPass(memref::createExpandStridedMetadataPass());
    pm.addPass(createLowerAffinePass());
    addHostToLLVMPasses(pm, /*checkedAllocations=*/false);
    pm.addPass(createConvertFuncToLLVMPass());
    pm.addPass(createGpuToLLVMConversionPass());
    pm.addPass(createReconcileUnrealizedCastsPass());
    return success();
  }
  }
  return failure();
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
