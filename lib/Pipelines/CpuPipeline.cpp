//===- CpuPipeline.cpp - the named CPU compilation pipeline ---------------===//
#include "seqc/Pipelines/CpuPipeline.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

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

/// The passes of each stage, as a textual pipeline: each is an upstream or
/// seqc pass that seq-opt runs under the same name.
static std::string stagePipeline(CpuStage stage, StringRef tuningDatabase) {
  switch (stage) {
  case CpuStage::seq:
    // Forms come from the tuning database where it has a record, else from
    // Z3 over the cost model; ops that carry a form keep it. Records are
    // keyed by the canonical op (what seqc tune measured): the layers'
    // expansion is canonicalized before the lookup.
    return "seqnn-expand,canonicalize,cse," +
           tuningRecordsPass(tuningDatabase, "cpu") +
           "seq-select-form{target=cpu},canonicalize,cse";
  case CpuStage::loops:
    // Elementwise arith/math on whole tensors (recurrence bodies, model
    // glue) become linalg.generic, which bufferizes.
    return "seq-lower-forms,func.func(convert-elementwise-to-linalg),"
           "canonicalize,cse";
  case CpuStage::buffers:
    // Inputs are read-only (the C ABI promises not to modify them); results
    // become out parameters the caller allocates, so that a compiled
    // function never returns memory it allocated.
    return "func.func(seq-readonly-arguments),"
           "one-shot-bufferize{bufferize-function-boundaries "
           "allow-return-allocs-from-loops "
           "function-boundary-type-conversion=identity-layout-map},"
           "canonicalize,"
           "buffer-results-to-out-params{hoist-static-allocs=true "
           "modify-public-functions=true},"
           "func.func(buffer-loop-hoisting),"
           "buffer-deallocation-pipeline,canonicalize,cse,"
           "func.func(seq-copies-to-linalg,seq-noalias-arguments)";
  case CpuStage::llvm:
    // Loop nests over parallel dimensions with enough work run on every
    // core (OpenMP: a thread team per outermost such nest; loops nested in
    // a recurrence's step loop stay serial). bf16 conversions are expanded
    // to integer arithmetic (the host has no bf16 instructions and the JIT
    // has no soft-float runtime); math ops without an LLVM intrinsic (tanh)
    // become libm calls.
    // Contractions loop with a contiguous innermost update and
    // exponentials are plain arithmetic, so that LLVM vectorizes both.
    return "func.func(seq-contraction-loop-order,seq-vectorizable-exp),"
           "convert-linalg-to-parallel-loops,"
           "func.func(seq-serialize-small-parallel-loops),"
           "convert-scf-to-openmp,"
           // The memref.alloca_scope around each parallel body holds no
           // alloca here; inlining it lets scf-to-cf give the body blocks.
           "canonicalize,"
           "expand-strided-metadata,lower-affine,"
           "arith-expand{include-bf16=true},"
           "convert-math-to-llvm,convert-math-to-libm,convert-complex-to-llvm,"
           "convert-scf-to-cf,convert-cf-to-llvm,convert-arith-to-llvm,"
           "convert-index-to-llvm,finalize-memref-to-llvm,"
           "func.func(llvm-request-c-wrappers),convert-openmp-to-llvm,"
           "convert-func-to-llvm,convert-cf-to-llvm,"
           "reconcile-unrealized-casts";
  }
  return "";
}

std::string tuningRecordsPass(StringRef tuningDatabase, StringRef target) {
  if (tuningDatabase.empty())
    return "";
  return ("seq-apply-tuning-records{db=\"" + tuningDatabase +
          "\" target=" + target + "},")
      .str();
}

LogicalResult addCpuStage(OpPassManager &pm, CpuStage stage,
                          StringRef tuningDatabase) {
  std::string errors;
  llvm::raw_string_ostream os(errors);
  if (failed(parsePassPipeline(stagePipeline(stage, tuningDatabase), pm, os))) {
    llvm::errs() << "seqc: internal error: CPU pipeline stage '"
                 << cpuStageName(stage) << "' does not parse: " << errors
                 << "\n";
    return failure();
  }
  return success();
}

LogicalResult buildCpuPipeline(OpPassManager &pm, CpuStage last, CpuStage first,
                               StringRef tuningDatabase) {
  for (CpuStage stage :
       {CpuStage::seq, CpuStage::loops, CpuStage::buffers, CpuStage::llvm}) {
    if (stage < first)
      continue;
    if (failed(addCpuStage(pm, stage, tuningDatabase)))
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
                               options.db);
      });
}

} // namespace seqc
