//===- seqc.cpp - the seqc driver -----------------------------------------===//
//
//   seqc run FILE.mlir [--func NAME] --target=cpu [--check] [--seed N]
//            [--input NAME=x.npy ...] [--dump-outputs DIR] [--repeat N]
//   seqc compile FILE.mlir --target=cpu|sm_80|sm_90 -o DIR
//   common: --emit=<seq|loops|buffers|llvm|llvm-ir> (GPU targets:
//           seq|loops|buffers|kernels|llvm), --print-ir-after-all
//
// Every compilation step is a pipeline function that seq-opt also runs
// (`seq-opt --seqc-cpu-pipeline`), so any driver output can be reproduced
// pass by pass.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "dialects/Seq/IR/SeqOps.h"
#include "seqc/InitAll.h"
#include "seqc/Pipelines/CpuPipeline.h"
#include "seqc/Pipelines/GpuPipeline.h"
#include "seqc/Target/CPU/CpuBundle.h"
#include "seqc/Target/CPU/CpuExecutable.h"
#include "seqc/Target/GPU/GpuBundle.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Module.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace seqc;
using namespace seqc::driver;
namespace cl = llvm::cl;

namespace seqc::driver {
cl::SubCommand runCommand("run", "Compile a function, run it on generated "
                                 "or given inputs, and optionally check it");
cl::SubCommand explainCommand("explain",
                              "Print, per seq op, every valid form with its "
                              "best tiles, predicted cost and the one chosen");
cl::SubCommand compileCommand("compile",
                              "Compile a module to an object, a shared "
                              "library with a C ABI and a C header");
cl::SubCommand tuneCommand("tune",
                           "Measure the best configurations Z3 proposes for "
                           "each seq op and record them in a tuning database");

cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                               cl::desc("<input.mlir>"), cl::sub(runCommand),
                               cl::sub(compileCommand),
                               cl::sub(explainCommand), cl::sub(tuneCommand));
cl::opt<std::string> functionName(
    "func", cl::desc("Function to run (default: the first public one)"),
    cl::sub(runCommand), cl::sub(compileCommand), cl::sub(tuneCommand));
cl::opt<std::string> targetName(
    "target", cl::init("cpu"),
    cl::desc("cpu | sm_80 | a100 | sm_90 | h100 | h200 | model.json"),
    cl::sub(runCommand), cl::sub(compileCommand), cl::sub(explainCommand),
    cl::sub(tuneCommand));
cl::opt<std::string> tuningDatabase(
    "db",
    cl::desc("Tuning database (SQLite): seqc tune writes it; run, compile and "
             "explain take each op's form from its best record"),
    cl::value_desc("FILE"), cl::sub(runCommand), cl::sub(compileCommand),
    cl::sub(explainCommand), cl::sub(tuneCommand));
cl::opt<std::string> rnnVariant(
    "rnn-variant",
    cl::desc("GPU targets: FlashRNN's variant for nonlinear recurrences in the "
             "sequential form: alternating (kernels per step) or fused (one "
             "persistent kernel, a grid barrier between the kernels of a "
             "step); by default the cost model's pick"),
    cl::value_desc("fused|alternating"), cl::init(""), cl::sub(compileCommand));
cl::opt<int64_t> rnnStateTerms(
    "rnn-state-terms",
    cl::desc("Recurrences with bf16 weights: bf16 terms an f32 recurrent "
             "state is split into for the step's h R product (GPU tensor "
             "cores, either variant; CPUs with AVX-512 BF16): 3 (the "
             "default) keeps about f32's precision, 2 about 2^-17, 1 rounds "
             "the state to bf16 as cuDNN's and oneDNN's bf16 LSTMs do"),
    cl::value_desc("1|2|3"), cl::init(0), cl::sub(compileCommand),
    cl::sub(runCommand));
cl::opt<std::string> maxMemory(
    "max-memory",
    cl::desc("The most host memory the buffers of a run may take, checked "
             "before anything is allocated: bytes, or with a K, M, G or T "
             "suffix (default: half of this machine's physical memory)"),
    cl::value_desc("SIZE"), cl::init(""), cl::sub(runCommand),
    cl::sub(compileCommand), cl::sub(tuneCommand));
cl::opt<uint64_t> seed("seed", cl::init(0),
                       cl::desc("Seed of the generated inputs"),
                       cl::sub(runCommand), cl::sub(compileCommand),
                       cl::sub(tuneCommand));
} // namespace seqc::driver

static cl::opt<std::string> emitStage(
    "emit",
    cl::desc("Print the IR after a stage and stop: input (parsed and "
             "verified), seq (layers expanded), loops, buffers, llvm (LLVM "
             "dialect), llvm-ir; for GPU targets seq, loops, buffers, "
             "kernels, llvm"),
    cl::sub(runCommand), cl::sub(compileCommand));
static cl::opt<bool> printIRAfterAll("print-ir-after-all",
                                     cl::desc("Print the IR after every pass"),
                                     cl::sub(runCommand),
                                     cl::sub(compileCommand));
static cl::opt<bool> check("check",
                           cl::desc("Compare every output with the reference "
                                    "interpreter"),
                           cl::sub(runCommand));
static cl::opt<std::string> checkVectorsMode(
    "check-vectors", cl::init("auto"),
    cl::desc("GPU targets: write seeded inputs and the reference "
             "interpreter's outputs to DIR/check for seqc-gpu-check: on, "
             "off, or auto (on unless the reference would hold more than "
             "1 GiB, then skipped with a note)"),
    cl::value_desc("on|off|auto"), cl::sub(compileCommand));
static cl::list<std::string>
    inputFiles("input", cl::desc("NAME=file.npy: the value of an argument"),
               cl::sub(runCommand));
static cl::opt<int64_t> batchSize(
    "batch", cl::init(0),
    cl::desc("The batch size of a function with a dynamic batch (a `?` in "
             "dimension 0)"),
    cl::sub(runCommand));
static cl::opt<int64_t> timeSize(
    "time", cl::init(0),
    cl::desc("The length of a function with a dynamic time (a `?` in "
             "dimension 1)"),
    cl::sub(runCommand));
static cl::opt<std::string>
    dumpOutputs("dump-outputs",
                cl::desc("Write every output to DIR/<func>_out<i>.npy"),
                cl::sub(runCommand));
static cl::opt<unsigned> repeats("repeat", cl::init(3),
                                 cl::desc("Timed runs after one warm-up"),
                                 cl::sub(runCommand));
static cl::opt<std::string> outputDir("o", cl::desc("Output directory"),
                                      cl::value_desc("DIR"),
                                      cl::sub(compileCommand));

int seqc::driver::lowerForCpu(ModuleOp module, CpuStage last,
                              CpuStage first) {
  PassManager pm(module.getContext());
  if (printIRAfterAll) {
    module.getContext()->disableMultithreading();
    pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                        [](Pass *, Operation *) { return true; },
                        /*printModuleScope=*/true,
                        /*printAfterOnlyOnChange=*/false);
  }
  if (rnnStateTerms && (rnnStateTerms < 1 || rnnStateTerms > 3))
    return fail("--rnn-state-terms must be 1, 2 or 3, not " +
                std::to_string(rnnStateTerms));
  if (failed(buildCpuPipeline(pm, last, first, tuningDatabase, rnnStateTerms)))
    return 1;
  if (failed(pm.run(module)))
    return fail("compilation failed (see the diagnostics above)");
  return 0;
}

namespace {

/// `allowGpu`: seqc compile writes GPU bundles; seqc run executes on the
/// host only.
int checkTarget(bool allowGpu) {
  if (targetName == "cpu")
    return 0;
  if (isGpuTarget(targetName)) {
    if (allowGpu)
      return 0;
    return fail("seqc run executes on the host CPU only; for '" +
                targetName + "' write a bundle with `seqc compile FILE "
                "--target=" + targetName + " -o DIR` and run it on a GPU "
                "machine with `seqc-gpu-check DIR`");
  }
  return fail("unknown target '" + targetName +
              "' (expected cpu, sm_80, sm_90, h100 or h200)");
}

/// Runs the CPU pipeline on `module` in place, from `first` up to `last`.
/// Handles --emit: prints the IR after the requested stage. Returns true
/// when the caller should stop (rc holds the exit status).
bool handleEmit(ModuleOp module, int &rc) {
  if (emitStage.empty())
    return false;
  rc = 0;
  if (emitStage == "input") {
    module.print(llvm::outs());
    return true;
  }
  // GPU targets stop after a stage of the GPU pipeline, which has its own
  // (seq, loops, buffers, kernels, llvm).
  if (isGpuTarget(targetName)) {
    std::optional<GpuStage> stage = parseGpuStage(emitStage);
    if (!stage) {
      rc = fail("unknown --emit stage '" + emitStage + "' for target '" +
                targetName +
                "' (expected input, seq, loops, buffers, kernels, llvm)");
      return true;
    }
    PassManager pm(module.getContext());
    if (failed(buildGpuPipeline(pm, targetName, *stage, GpuStage::seq,
                                tuningDatabase,
                                RecurrenceChoice{rnnVariant, rnnStateTerms})))
      rc = 1;
    else if (failed(pm.run(module)))
      rc = fail("compilation failed (see the diagnostics above)");
    else
      module.print(llvm::outs());
    return true;
  }
  if (emitStage == "llvm-ir") {
    if ((rc = lowerForCpu(module, CpuStage::llvm)))
      return true;
    llvm::LLVMContext llvmContext;
    auto llvmModule = translateModuleToLLVMIR(module, llvmContext);
    if (!llvmModule) {
      rc = fail("cannot translate to LLVM IR");
      return true;
    }
    llvmModule->print(llvm::outs(), nullptr);
    return true;
  }
  std::optional<CpuStage> stage = parseCpuStage(emitStage);
  if (!stage) {
    rc = fail("unknown --emit stage '" + emitStage +
              "' (expected input, seq, loops, buffers, llvm, llvm-ir)");
    return true;
  }
  if ((rc = lowerForCpu(module, *stage)))
    return true;
  module.print(llvm::outs());
  return true;
}

int runMain(MLIRContext &context) {
  if (int rc = checkTarget(/*allowGpu=*/false))
    return rc;
  Program program;
  if (int rc = loadProgram(context, inputFile, functionName, program))
    return rc;
  int rc;
  if (handleEmit(*program.module, rc))
    return rc;
  // A dynamic batch or time runs at the sizes given on the command line.
  FunctionType signature = func::FuncOp(program.function).getFunctionType();
  DynamicSizes dynamic = dynamicSizesOf(program.function);
  if (dynamic.any()) {
    if (check || gradient)
      return fail(std::string(check ? "--check" : "--grad") +
                  " needs static shapes (the reference interpreter and "
                  "seq-differentiate do): write the sizes into the types");
    auto concrete = concreteSignature(program, batchSize, timeSize);
    if (!concrete)
      return 1;
    signature = *concrete;
  } else if (batchSize || timeSize) {
    return fail("--batch and --time size a function with a dynamic batch or "
                "time; @" + func::FuncOp(program.function).getSymName().str() +
                " has static shapes");
  }
  if ((rc = checkStaticSignature(signature, program.argumentNames,
                                 func::FuncOp(program.function).getSymName(),
                                 /*withReference=*/check)))
    return rc;

  std::vector<HostTensor> inputs;
  if ((rc = makeInputs(program, inputFiles, seed, inputs, signature)))
    return rc;
  if (gradient)
    return runGradient(program, inputs,
                       RunSettings{repeats, check, dumpOutputs});
  // The reference sees exactly the values the compiled code sees.
  std::vector<ref::Tensor> referenceInputs;
  for (const HostTensor &input : inputs)
    referenceInputs.push_back(eval::toReference(input));

  std::string name = func::FuncOp(program.function).getSymName().str();
  // The reference interpreter checks the layers expanded as written, the
  // compiled code comes from the pipeline's seq level (which also splits
  // each layer's batch into one piece per core: the check covers that).
  OwningOpRef<ModuleOp> reference;
  if (check) {
    reference = cast<ModuleOp>(program.module->clone());
    if ((rc = expandLayers(*reference)))
      return rc;
  }
  auto compileStart = std::chrono::steady_clock::now();
  if ((rc = lowerForCpu(*program.module, CpuStage::seq, CpuStage::seq)))
    return rc;
  program.function = program.module->lookupSymbol<func::FuncOp>(name);
  OwningOpRef<ModuleOp> lowered(cast<ModuleOp>(program.module->clone()));
  if ((rc = lowerForCpu(*lowered, CpuStage::llvm, CpuStage::loops)))
    return rc;
  auto executable = CpuExecutable::create(*lowered);
  if (!executable)
    return fail("JIT compilation failed: " +
                llvm::toString(executable.takeError()));
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - compileStart)
                         .count();

  std::vector<HostTensor> outputs = buffersFor(signature.getResults());
  std::vector<MemRefArgument> arguments;
  for (HostTensor &t : inputs)
    arguments.push_back({t.data(), t.shape});
  for (HostTensor &t : outputs)
    arguments.push_back({t.data(), t.shape});

  auto call = (*executable)->prepare(name, arguments);
  if (!call)
    return fail("running '" + name + "' failed: " +
                llvm::toString(call.takeError()));
  // One warm-up run (it also touches every output page), then the timed
  // runs on the same buffers.
  unsigned timedRuns = std::max(1u, unsigned(repeats));
  double median = timeCall(*call, timedRuns);
  if (median < 0 && call->failedOnInvalidOffsets())
    return fail("@" + name + ": the offsets of a packed batch are invalid "
                "(they must start at 0, increase strictly, end at the total "
                "length, with one state row per sequence)");
  if (median < 0)
    return fail("@" + name + " ran out of memory: an allocation of " +
                std::to_string(call->failedAllocationBytes()) +
                " bytes for its temporaries failed");
  llvm::outs() << "seqc: ran @" << name << " on cpu: "
               << llvm::format("%.3f", median) << " ms (median of "
               << timedRuns << " runs after a warm-up; compile "
               << llvm::format("%.0f", compileMs) << " ms)\n";

  if (!dumpOutputs.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(dumpOutputs))
      return fail("cannot create '" + dumpOutputs + "': " + ec.message());
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::string path = (llvm::Twine(dumpOutputs) + "/" + name + "_out" +
                          llvm::Twine(i) + ".npy")
                             .str();
      std::string error;
      if (!writeNpy(path, outputs[i], error))
        return fail(error);
    }
    llvm::outs() << "seqc: wrote " << outputs.size() << " outputs to "
                 << dumpOutputs << "\n";
  }

  if (!check)
    return 0;
  std::vector<ref::Tensor> expected;
  program.function = reference->lookupSymbol<func::FuncOp>(name);
  if ((rc = evaluateReference(program, referenceInputs, expected)))
    return fail("--check: the reference interpreter could not run @" + name);
  llvm::outs() << "seqc: check against the reference interpreter (f64):\n";
  bool allPass = true;
  for (size_t i = 0; i < outputs.size(); ++i)
    allPass &= compareOutput("output #" + std::to_string(i), outputs[i],
                             expected[i]);
  llvm::outs() << "seqc: check " << (allPass ? "PASSED" : "FAILED") << "\n";
  return allPass ? 0 : 1;
}

} // namespace

namespace {

enum class CheckVectors { on, off, autoSize };
constexpr int64_t kAutoCheckVectorBytes = int64_t(1) << 30;

/// What the reference interpreter holds for `function`: every tensor value
/// (arguments and op results, regions included) in f64, an upper bound.
int64_t referenceBytesOf(func::FuncOp function) {
  int64_t bytes = 0;
  auto add = [&](Value value) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.hasStaticShape())
      return;
    std::optional<int64_t> elements =
        checkedElementCount(std::vector<int64_t>(type.getShape()));
    int64_t valueBytes;
    if (!elements ||
        __builtin_mul_overflow(*elements, int64_t(sizeof(double)),
                               &valueBytes) ||
        __builtin_add_overflow(bytes, valueBytes, &bytes))
      bytes = INT64_MAX;
  };
  for (BlockArgument argument : function.getArguments())
    add(argument);
  function.walk([&](Operation *op) {
    for (Value result : op->getResults())
      add(result);
  });
  return bytes;
}

int compileMain(MLIRContext &context) {
  if (int rc = checkTarget(/*allowGpu=*/true))
    return rc;
  CheckVectors checkVectors;
  if (checkVectorsMode == "on" || checkVectorsMode == "true")
    checkVectors = CheckVectors::on;
  else if (checkVectorsMode == "off" || checkVectorsMode == "false")
    checkVectors = CheckVectors::off;
  else if (checkVectorsMode == "auto")
    checkVectors = CheckVectors::autoSize;
  else
    return fail("--check-vectors expects on, off or auto, got '" +
                checkVectorsMode + "'");
  if (outputDir.empty())
    return fail("seqc compile needs an output directory: -o DIR");
  if (!rnnVariant.empty() && rnnVariant != "fused" &&
      rnnVariant != "alternating")
    return fail("unknown --rnn-variant '" + rnnVariant +
                "' (expected fused or alternating)");
  if (!rnnVariant.empty() && !isGpuTarget(targetName))
    return fail("--rnn-variant chooses GPU code; the target is '" +
                targetName + "'");
  if (rnnStateTerms && (rnnStateTerms < 1 || rnnStateTerms > 3))
    return fail("--rnn-state-terms must be 1, 2 or 3, not " +
                std::to_string(rnnStateTerms));
  Program program;
  if (int rc = loadProgram(context, inputFile, functionName, program))
    return rc;
  int rc;
  // With --grad, --emit shows the gradient functions too.
  if (!gradient && handleEmit(*program.module, rc))
    return rc;
  // With --func, the bundle exports that function; otherwise every public
  // one, each of which needs a static signature.
  std::vector<func::FuncOp> functions;
  if (!functionName.empty()) {
    functions.push_back(program.function);
  } else {
    for (auto function : program.module->getOps<func::FuncOp>())
      if (function.isPublic() && !function.isExternal())
        functions.push_back(function);
  }
  for (func::FuncOp function : functions)
    if ((rc = checkStaticSignature(
             function,
             function == program.function ? program.argumentNames
                                          : std::vector<std::string>(),
             /*withReference=*/isGpuTarget(targetName) &&
                 checkVectors == CheckVectors::on &&
                 function == program.function,
             /*allowDynamicBatchTime=*/!isGpuTarget(targetName))))
      return rc;
  std::string stem = llvm::sys::path::stem(inputFile).str();
  if (gradient && (rc = addGradientFunctions(*program.module, functions)))
    return rc;
  if (gradient && handleEmit(*program.module, rc))
    return rc;
  if (isGpuTarget(targetName)) {
    WalkResult packed = program.module->walk([](seq::PackedOp op) {
      op.emitOpError("is lowered for the CPU target only so far (GPU code "
                     "needs static shapes; a packed batch's sequences have "
                     "dynamic lengths)");
      return WalkResult::interrupt();
    });
    if (packed.wasInterrupted())
      return fail("compilation failed (see the diagnostics above)");
    // Expanded and forms chosen for the chip: the level the reference
    // checks and the GPU pipeline continues from.
    std::vector<std::string> names;
    for (func::FuncOp function : functions)
      names.push_back(function.getSymName().str());
    std::string selected = program.function.getSymName().str();
    // Inputs by role need the layers (a weight is a weight of seqnn.lstm).
    std::vector<HostTensor> inputs;
    if (checkVectors != CheckVectors::off &&
        (rc = makeInputs(program, {}, seed, inputs)))
      return rc;
    PassManager pm(&context);
    if (failed(buildGpuPipeline(pm, targetName, GpuStage::seq,
                                GpuStage::seq, tuningDatabase,
                                RecurrenceChoice{rnnVariant, rnnStateTerms})) ||
        failed(pm.run(*program.module)))
      return fail("compilation failed (see the diagnostics above)");
    program.function = program.module->lookupSymbol<func::FuncOp>(selected);
    functions.clear();
    for (const std::string &name : names)
      functions.push_back(program.module->lookupSymbol<func::FuncOp>(name));
    bool writeChecks = checkVectors == CheckVectors::on;
    if (checkVectors == CheckVectors::autoSize) {
      // The reference holds every value of the seq-level function in f64
      // at once: an S4D with B = 255 took over 10 GB and a minute.
      int64_t bytes = referenceBytesOf(program.function);
      writeChecks = bytes <= kAutoCheckVectorBytes;
      if (!writeChecks)
        llvm::outs() << "seqc: note: check vectors skipped: the reference "
                        "interpreter would hold about "
                     << (bytes >> 20) << " MiB for @" << selected
                     << " (auto writes them up to "
                     << (kAutoCheckVectorBytes >> 20)
                     << " MiB; --check-vectors=on writes them anyway)\n";
    }
    seqc::gpu::CheckVectors check{program.function, std::move(inputs), seed};
    auto bundle =
        seqc::gpu::writeGpuBundle(*program.module, functions, targetName, stem,
                                  outputDir, writeChecks ? &check : nullptr);
    if (!bundle)
      return fail(llvm::toString(bundle.takeError()));
    llvm::outs() << "seqc: wrote a " << bundle->chip << " bundle to "
                 << outputDir << ": lib" << stem << ".so, " << stem << ".ptx, "
                 << stem << ".cubin, " << stem << ".h, " << stem
                 << ".manifest.json (" << bundle->kernels << " kernel"
                 << (bundle->kernels == 1 ? "" : "s") << ")\n";
    return 0;
  }
  OwningOpRef<ModuleOp> lowered(cast<ModuleOp>(program.module->clone()));
  if ((rc = lowerForCpu(*lowered, CpuStage::llvm)))
    return rc;
  auto written = writeCpuBundle(functions, *lowered, stem, outputDir);
  if (!written)
    return fail(llvm::toString(written.takeError()));
  llvm::outs() << "seqc: wrote " << llvm::join(*written, ", ") << " ("
               << functions.size() << " function"
               << (functions.size() == 1 ? "" : "s") << ")\n";
  return 0;
}
} // namespace

void seqc::driver::registerEverything(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  seqc::registerAllDialects(registry);
  // LLVM IR export of host code, and of kernels for gpu-module-to-binary.
  mlir::registerAllToLLVMIRTranslations(registry);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  seqc::registerAllPasses();
  DialectRegistry registry;
  registerEverything(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  cl::ParseCommandLineOptions(argc, argv, "seqc: a compiler for sequence "
                                          "models\n");
  if (runCommand)
    return runMain(context);
  if (compileCommand)
    return compileMain(context);
  if (explainCommand)
    return explainMain(context);
  if (tuneCommand)
    return tuneMain(context);
  llvm::errs() << "seqc: error: expected a subcommand: run, compile, explain "
                  "or tune (see seqc --help)\n";
  return 1;
}
