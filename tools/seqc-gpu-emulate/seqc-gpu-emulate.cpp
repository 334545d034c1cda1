//===- seqc-gpu-emulate.cpp - check a GPU transformation on the CPU -------===//
//
//   seqc-gpu-emulate FILE --func=F [--before=PIPELINE] --pipeline=PIPELINE
//
// (pipelines as inside builtin.module(...), e.g. func.func(cse))
//
// Runs @F (a function on static memrefs, as the GPU pipeline has it before
// kernels are outlined) on seeded inputs in the emulator (Emulator.h), once
// as FILE is (after --before) and once after --pipeline, and compares every
// buffer argument: the kernels a GPU pass writes must compute what the
// loops or kernels they replace computed. Prints one line and exits 1 on a
// mismatch or on anything the emulator cannot run.
//
//===----------------------------------------------------------------------===//
#include "Emulator.h"

#include "seqc/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <random>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir>"));
static cl::opt<std::string> functionName("func", cl::Required,
                                         cl::desc("Function to run"));
static cl::opt<std::string>
    before("before", cl::init(""),
           cl::desc("Pass pipeline applied before both runs"));
static cl::opt<std::string> referencePipeline(
    "reference", cl::init(""),
    cl::desc("Pass pipeline giving the reference run instead (e.g. the CPU "
             "pipeline to buffers), for kernels --before already has"));
static cl::opt<std::string>
    pipeline("pipeline", cl::Required,
             cl::desc("Pass pipeline whose result is compared"));
static cl::opt<unsigned> seed("seed", cl::init(1), cl::desc("Input seed"));
static cl::opt<bool> residualsFromForward(
    "residuals-from-forward", cl::init(false),
    cl::desc("For a backward function @f_bwd (seq-differentiate): its "
             "residuals are what the reference run of @f_fwd computes on the "
             "seeded inputs, not seeded themselves, so that they are "
             "consistent with the inputs as a forward would pass them"));
static cl::opt<double> rtol("rtol", cl::init(1e-4),
                            cl::desc("Relative tolerance"));
static cl::opt<double>
    inputHigh("input-high", cl::init(1.0),
              cl::desc("Inputs are uniform in [-1, input-high): 0 keeps "
                       "every log gate and decay exponent negative"));

static int fail(const std::string &message) {
  llvm::errs() << "seqc-gpu-emulate: error: " << message << "\n";
  return 1;
}

static LogicalResult applyPipeline(ModuleOp module, StringRef text) {
  if (text.empty())
    return success();
  // Anchored on the module: the text is what goes inside builtin.module(),
  // e.g. func.func(seq-contractions-to-mma).
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  if (failed(parsePassPipeline(text, pm, llvm::errs())))
    return failure();
  return pm.run(module);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  seqc::registerAllPasses();
  cl::ParseCommandLineOptions(argc, argv, "seqc GPU emulator\n");

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  seqc::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Kernels run on many OS threads; the IR is only read.
  context.disableMultithreading();

  llvm::SourceMgr sources;
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(inputFile, sources, &context);
  if (!module)
    return fail("cannot parse " + inputFile);
  OwningOpRef<ModuleOp> after = module->clone();
  if (failed(applyPipeline(*after, before)))
    return fail("--before failed");
  if (failed(applyPipeline(*after, pipeline)))
    return fail("--pipeline failed");
  if (failed(applyPipeline(
          *module, referencePipeline.empty() ? before : referencePipeline)))
    return fail("the reference pipeline failed");
  // The CPU pipeline's thread loops (scf.forall on buffers) run as the
  // serial loops they are equivalent to.
  if (failed(applyPipeline(*module, "scf-forall-to-for")) ||
      failed(applyPipeline(*after, "scf-forall-to-for")))
    return fail("scf-forall-to-for failed");

  auto reference = module->lookupSymbol<func::FuncOp>(functionName);
  auto transformed = after->lookupSymbol<func::FuncOp>(functionName);
  if (!reference || !transformed)
    return fail("no function @" + functionName);

  // Seeded inputs in [-1, input-high), multiples of 2^-7 (integers: 0).
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, inputHigh);
  std::vector<seqc::emulate::Contents> inputs;
  for (Type type : reference.getArgumentTypes()) {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || !memref.hasStaticShape())
      return fail("@" + functionName + " takes a non-static-memref argument");
    seqc::emulate::Contents data(memref.getNumElements(), 0.0);
    // Exactly representable in every float type (bf16 has 8 bits).
    if (isa<FloatType>(memref.getElementType()))
      for (double &x : data)
        x = std::ldexp(std::round(std::ldexp(uniform(rng), 7)), -7);
    inputs.push_back(std::move(data));
  }
  // The residuals of a backward from its forward: after buffer results
  // became out-parameters, @f is (inputs, outputs), @f_fwd (inputs,
  // outputs, residuals) and @f_bwd (inputs, residuals, output cotangents,
  // input cotangents).
  if (residualsFromForward) {
    StringRef name = functionName;
    if (!name.consume_back("_bwd"))
      return fail("--residuals-from-forward needs a backward function "
                  "(@f_bwd), not @" + functionName);
    auto original = module->lookupSymbol<func::FuncOp>(name);
    auto forward = module->lookupSymbol<func::FuncOp>((name + "_fwd").str());
    if (!original || !forward)
      return fail("--residuals-from-forward: no @" + name.str() + " and @" +
                  name.str() + "_fwd next to @" + functionName);
    int64_t all = reference.getNumArguments(),
            forwardArgs = forward.getNumArguments();
    int64_t numInputs = all - forwardArgs,
            numOutputs = int64_t(original.getNumArguments()) - numInputs,
            numResiduals = forwardArgs - numInputs - numOutputs;
    if (numInputs < 0 || numOutputs < 0 || numResiduals < 0)
      return fail("--residuals-from-forward: @" + name.str() +
                  ", its _fwd and _bwd do not have seq-differentiate's "
                  "signatures");
    std::vector<seqc::emulate::Contents> forwardBuffers(
        inputs.begin(), inputs.begin() + numInputs);
    for (Type type : forward.getArgumentTypes().drop_front(numInputs))
      forwardBuffers.emplace_back(cast<MemRefType>(type).getNumElements(), 0.0);
    if (std::string error = seqc::emulate::runFunction(forward, forwardBuffers);
        !error.empty())
      return fail("the forward: " + error);
    for (int64_t r = 0; r < numResiduals; ++r)
      inputs[numInputs + r] = forwardBuffers[numInputs + numOutputs + r];
  }
  std::vector<seqc::emulate::Contents> expected = inputs, actual = inputs;
  if (std::string error = seqc::emulate::runFunction(reference, expected);
      !error.empty())
    return fail("before: " + error);
  int64_t launchesBefore = seqc::emulate::kernelLaunches();
  if (std::string error = seqc::emulate::runFunction(transformed, actual);
      !error.empty())
    return fail("after: " + error);
  int64_t launchesAfter = seqc::emulate::kernelLaunches();

  double maxAbs = 0, maxRel = 0;
  int64_t bad = 0, total = 0;
  for (size_t a = 0; a < expected.size(); ++a)
    for (size_t i = 0; i < expected[a].size(); ++i) {
      double r = expected[a][i], y = actual[a][i], err = std::fabs(y - r);
      ++total;
      maxAbs = std::max(maxAbs, err);
      maxRel = std::max(maxRel, err / std::max(std::fabs(r), 1e-30));
      if (!(err <= rtol * (std::fabs(r) + 1e-3)))
        ++bad;
    }
  llvm::outs() << "seqc-gpu-emulate: @" << functionName << ": "
               << launchesBefore << " -> " << launchesAfter
               << " kernel launches, " << total << " elements in "
               << expected.size() << " buffers, max abs err "
               << llvm::format("%.3e", maxAbs) << ", max rel err "
               << llvm::format("%.3e", maxRel) << ": "
               << (bad ? "FAIL (" + std::to_string(bad) + " out of rtol)"
                       : std::string("PASS"))
               << "\n";
  return bad ? 1 : 0;
}
