//===- CpuPipeline.cpp - the named CPU compilation pipeline ---------------===//
#include "seqc/Pipelines/CpuPipeline.h"

#include "autotune/HardwareModel.h"
#include "autotune/Passes.h"
#include "dialects/SeqNN/Transforms/Passes.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace seqc {

StringRef cpuStageName(CpuStage stage) {
  switch (stage) {
  case CpuStage::seq:
    return "seq";
  case CpuStage::loops:
    return "loops";
  case CpuStage::buffers:
    return "buffers";
  case CpuStage::llvm:
    return "llvm";
  }
  return "";
}

std::optional<CpuStage> parseCpuStage(StringRef name) {
  for (CpuStage stage :
       {CpuStage::seq, CpuStage::loops, CpuStage::buffers, CpuStage::llvm})
    if (cpuStageName(stage) == name)
      return stage;
  return std::nullopt;
}

void addTuningRecordsPass(OpPassManager &pm, StringRef tuningDatabase,
                          StringRef target) {
  if (tuningDatabase.empty())
    return;
  autotune::SeqApplyTuningRecordsOptions options;
  options.database = tuningDatabase.str();
  options.target = target.str();
  pm.addPass(autotune::createSeqApplyTuningRecords(options));
}

void addCleanupPasses(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// This machine's CPU, detected once.
static const autotune::HardwareModel &hostCpu() {
  static const autotune::HardwareModel host = autotune::detectHostCpu();
  return host;
}

/// The passes of each stage, built from their typed constructors (renaming
/// a pass breaks the build, not a run); seq-opt runs each under its
/// registered name.
void addHostToLLVMPasses(OpPassManager &pm, bool checkedAllocations) {
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefs;
  memrefs.useGenericFunctions = checkedAllocations;
  // Aligned temporaries from an aligned allocator, not from rounding up a
  // malloc'd pointer through integers: that round trip hides where the
  // pointer came from (and that it aliases nothing) from LLVM.
  memrefs.useAlignedAlloc = checkedAllocations;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefs));
  pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());
}

LogicalResult addCpuStage(OpPassManager &pm, CpuStage stage,
                          StringRef tuningDatabase, int64_t stateTerms) {
  switch (stage) {
  case CpuStage::seq: {
    // Forms come from the tuning database where it has a record, else from
    // Z3 over the cost model; ops that carry a form keep it. Records are
    // keyed by the canonical op (what seqc tune measured): the layers'
    // expansion is canonicalized before the lookup.
    // Each layer's batch rows run as one piece per core, each piece on
    // its own core through every step (no synchronization per step), when
    // its recurrent weights fit one core's L2.
    const autotune::HardwareModel &host = hostCpu();
    seqnn::SeqNNSplitBatchOptions split;
    split.pieces = host.cores;
    split.cacheBytes = host.l2Bytes;
    pm.addPass(seqnn::createSeqNNSplitBatch(split));
    pm.addPass(seqnn::createSeqNNExpand());
    // A packed batch becomes a loop over its sequences, each op in it one
    // of batch 1 and dynamic time: forms are chosen for those.
    pm.addPass(createSeqLowerPacked());
    addCleanupPasses(pm);
    addTuningRecordsPass(pm, tuningDatabase, "cpu");
    autotune::SeqSelectFormOptions select;
    select.target = "cpu";
    select.stateTerms = stateTerms;
    pm.addPass(autotune::createSeqSelectForm(select));
    addCleanupPasses(pm);
    return success();
  }
  case CpuStage::loops:
    // Elementwise arith/math on whole tensors (recurrence bodies, model
    // glue) become linalg.generic, which bufferizes.
    pm.addPass(createSeqLowerForms());
    pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
    addCleanupPasses(pm);
    // What a step computes from weights alone (a backward recurrence's R^T)
    // once, before the time loop.
    pm.addNestedPass<func::FuncOp>(createLoopInvariantCodeMotionPass());
    // A backward recurrence's time-reversed sequences indexed in place.
    pm.addNestedPass<func::FuncOp>(createSeqFoldTimeReversals());
    // Transposes that only move unit dimensions become views.
    pm.addNestedPass<func::FuncOp>(createSeqUnitTransposesToReshapes());
    {
      // A step's small state stays in vector registers from step to step;
      // half the register file, the rest for the step's operands.
      SeqStepStateInRegistersOptions registers;
      registers.registerBytes =
          hostCpu().vectorBytes * hostCpu().vectorRegisters / 2;
      pm.addNestedPass<func::FuncOp>(
          createSeqStepStateInRegisters(registers));
      addCleanupPasses(pm);
    }
    return success();
  case CpuStage::buffers: {
    // Inputs are read-only (the C ABI promises not to modify them); results
    // become out parameters the caller allocates, so that a compiled
    // function never returns memory it allocated.
    pm.addNestedPass<func::FuncOp>(createSeqReadOnlyArguments());
    pm.addNestedPass<func::FuncOp>(createSeqDistinctResults());
    bufferization::OneShotBufferizePassOptions bufferize;
    bufferize.bufferizeFunctionBoundaries = true;
    bufferize.allowReturnAllocsFromLoops = true;
    bufferize.functionBoundaryTypeConversion =
        bufferization::LayoutMapOption::IdentityLayoutMap;
    pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
    pm.addPass(createCanonicalizerPass());
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
    pm.addNestedPass<func::FuncOp>(
        bufferization::createBufferLoopHoistingPass());
    bufferization::buildBufferDeallocationPipeline(pm);
    addCleanupPasses(pm);
    pm.addNestedPass<func::FuncOp>(createSeqCopiesToLinalg());
    pm.addNestedPass<func::FuncOp>(createSeqNoAliasArguments());
    return success();
  }
  case CpuStage::llvm: {
    // Matmuls become register-blocked microkernels (the block chosen by Z3
    // for this host's vector registers); the other contractions loop with
    // a contiguous innermost update and exponentials are plain arithmetic,
    // so that LLVM vectorizes both.
    pm.addNestedPass<func::FuncOp>(autotune::createSeqSelectRegisterTiles());
    pm.addNestedPass<func::FuncOp>(createSeqRegisterTileContractions());
    pm.addNestedPass<func::FuncOp>(createSeqContractionLoopOrder());
    pm.addNestedPass<func::FuncOp>(createSeqVectorizableMath());
    // Loop nests over parallel dimensions with enough work run on every
    // core (OpenMP: a thread team per outermost such nest; loops nested in
    // a recurrence's step loop stay serial).
    pm.addPass(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createForallToParallelLoopPass());
    pm.addNestedPass<func::FuncOp>(createSeqSerializeSmallParallelLoops());
    pm.addPass(createConvertSCFToOpenMPPass());
    // The memref.alloca_scope around each parallel body holds no alloca
    // here; inlining it lets scf-to-cf give the body blocks.
    pm.addPass(createSeqInlineAllocaScopes());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createSeqContiguousDynamicExpands());
    pm.addPass(memref::createExpandStridedMetadataPass());
    pm.addPass(createLowerAffinePass());
    // bf16 conversions are expanded to integer arithmetic (the host has no
    // bf16 instructions and the JIT has no soft-float runtime); math ops
    // without an LLVM intrinsic (tanh) become libm calls.
    arith::ArithExpandOpsPassOptions expand;
    expand.includeBf16 = true;
    pm.addPass(arith::createArithExpandOpsPass(expand));
    // The bf16 pair kernels' x86vector.avx512.dot becomes vdpbf16ps.
    ConvertVectorToLLVMPassOptions vectorToLLVM;
    vectorToLLVM.x86Vector = true;
    pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
    pm.addPass(createConvertMathToLLVMPass());
    pm.addPass(createConvertMathToLibmPass());
    pm.addPass(createConvertComplexToLLVMPass());
    // The padding of vector transfers (seq-step-state-in-registers).
    pm.addPass(createUBToLLVMConversionPass());
    // Temporaries are allocated through functions that report a failed
    // allocation to the caller (CpuExecutable.h), not malloc.
    addHostToLLVMPasses(pm, /*checkedAllocations=*/true);
    pm.addPass(createConvertOpenMPToLLVMPass());
    pm.addPass(createConvertFuncToLLVMPass());
    pm.addPass(createConvertControlFlowToLLVMPass());
    pm.addPass(createReconcileUnrealizedCastsPass());
    return success();
  }
  }
  return failure();
}

LogicalResult buildCpuPipeline(OpPassManager &pm, CpuStage last, CpuStage first,
                               StringRef tuningDatabase, int64_t stateTerms) {
  for (CpuStage stage :
       {CpuStage::seq, CpuStage::loops, CpuStage::buffers, CpuStage::llvm}) {
    if (stage < first)
      continue;
    if (failed(addCpuStage(pm, stage, tuningDatabase, stateTerms)))
      return failure();
    if (stage == last)
      break;
  }
  return success();
}

namespace {
struct CpuPipelineOptions : PassPipelineOptions<CpuPipelineOptions> {
  Option<std::string> db{*this, "db",
                         llvm::cl::desc("tuning database to take forms from"),
                         llvm::cl::init("")};
  Option<std::string> stop{*this, "stop", llvm::cl::desc("last stage to run"),
                           llvm::cl::init("llvm")};
  Option<int64_t> stateTerms{
      *this, "state-terms",
      llvm::cl::desc("bf16 terms of an f32 recurrent state in the step's "
                     "product with bf16 weights (1 to 3; 0: the default, 3)"),
      llvm::cl::init(0)};
};
} // namespace

void registerCpuPipeline() {
  PassPipelineRegistration<CpuPipelineOptions>(
      "seqc-cpu-pipeline",
      "Lower seq ops through loops and buffers to the LLVM dialect for the "
      "host CPU (what `seqc run/compile --target=cpu` runs)",
      [](OpPassManager &pm, const CpuPipelineOptions &options) {
        std::optional<CpuStage> last = parseCpuStage(options.stop);
        (void)buildCpuPipeline(pm, last.value_or(CpuStage::llvm), CpuStage::seq,
                               options.db, options.stateTerms);
      });
}

} // namespace seqc
