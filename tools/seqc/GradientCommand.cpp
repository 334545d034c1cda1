//===- GradientCommand.cpp - seqc run --grad ------------------------------===//
//
// Compiles the function's forward-with-residuals and backward functions
// (seq-differentiate) for the host, runs them, and with --check verifies
// the gradients independently of the derivative rules: the directional
// derivative <grad, v> along random directions v must equal the central
// finite difference of <cotangents, f(x)> computed by the f64 reference
// interpreter on the original function.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "seqc/Differentiation/Differentiate.h"
#include "seqc/Differentiation/Passes.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"
#include "seqc/Target/CPU/CpuExecutable.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"

#include <chrono>
#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::driver;
namespace cl = llvm::cl;

cl::opt<bool> seqc::driver::gradient(
    "grad",
    cl::desc("The function's gradients: its forward-with-residuals and "
             "backward functions (seq-differentiate); run: on seeded or "
             "given output cotangents; compile: exported next to it"),
    cl::sub(runCommand), cl::sub(compileCommand));
cl::opt<int64_t> seqc::driver::gradCheckpoint(
    "grad-checkpoint",
    cl::desc("With --grad: recurrences keep the state before every K-th "
             "step only (where K divides their length) and the backward "
             "recomputes the others (default 0: every step's state)"),
    cl::init(0), cl::value_desc("K"), cl::sub(runCommand),
    cl::sub(compileCommand), cl::sub(explainCommand));

static cl::opt<std::string> gradMemoryBudget(
    "grad-memory-budget",
    cl::desc("With --grad: the bytes the residuals may take (K, M, G "
             "suffixes); each recurrence's checkpoint interval is chosen for "
             "it by Z3 over the cost model (least recomputation, then least "
             "memory), shown by explain --grad"),
    cl::value_desc("SIZE"), cl::sub(runCommand), cl::sub(compileCommand),
    cl::sub(explainCommand));

bool seqc::driver::gradientOptions(ad::DifferentiationOptions &options) {
  if (gradCheckpoint < 0) {
    fail("--grad-checkpoint must be >= 0");
    return false;
  }
  options.checkpointEvery = gradCheckpoint;
  options.memoryBudget = 0;
  if (!gradMemoryBudget.empty()) {
    std::optional<int64_t> bytes = parseByteSize(gradMemoryBudget);
    if (!bytes) {
      fail("--grad-memory-budget expects a positive size in bytes, or with a "
           "K, M, G or T suffix, got '" + gradMemoryBudget + "'");
      return false;
    }
    options.memoryBudget = *bytes;
  }
  return true;
}

static cl::list<std::string> cotangentFiles(
    "cotangent",
    cl::desc("With --grad, INDEX=file.npy: the cotangent of output #INDEX "
             "(default: seeded standard normal values)"),
    cl::sub(runCommand));

namespace {

/// The directions of the finite-difference check, and its step. The
/// reference evaluates in f64, so the step's truncation error (eps^2 times
/// the third derivative) and rounding error (1e-16 / eps) are both far
/// below the f32 gradients' own error.
constexpr unsigned kCheckDirections = 4;
constexpr double kStep = 1e-4;

double randomNormal(std::mt19937_64 &rng) {
  return std::normal_distribution<double>(0.0, 1.0)(rng);
}

/// Half an ulp of 1 in a gradient stored as `type` (0 for f32, whose
/// arithmetic error the check's base tolerance covers).
double unitRoundoff(ElementType type) {
  switch (type) {
  case ElementType::bf16:
    return 0x1p-8;
  case ElementType::f16:
    return 0x1p-11;
  default:
    return 0;
  }
}

int makeCotangents(TypeRange outputTypes, uint64_t seed,
                   std::vector<HostTensor> &cotangents) {
  cotangents = buffersFor(outputTypes);
  std::mt19937_64 rng(seed ^ 0x5eedc07a9e75ULL);
  for (HostTensor &t : cotangents)
    for (int64_t i = 0; i < t.numElements(); ++i)
      t.set(i, randomNormal(rng));
  for (const std::string &entry : cotangentFiles) {
    size_t eq = entry.find('=');
    unsigned index;
    if (eq == std::string::npos ||
        llvm::StringRef(entry).take_front(eq).getAsInteger(10, index) ||
        index >= cotangents.size())
      return fail("--cotangent expects INDEX=file.npy with INDEX an output "
                  "number below " +
                  std::to_string(cotangents.size()) + ", got '" + entry + "'");
    HostTensor loaded;
    std::string error;
    if (!readNpy(entry.substr(eq + 1), loaded, error))
      return fail("--cotangent " + entry + ": " + error);
    if (loaded.type != cotangents[index].type ||
        loaded.shape != cotangents[index].shape)
      return fail("--cotangent " + entry + ": the file holds " +
                  loaded.describe() + ", but output #" +
                  std::to_string(index) + " is " +
                  cotangents[index].describe());
    cotangents[index] = std::move(loaded);
  }
  return 0;
}

int writeTensor(const std::string &dir, const std::string &file,
                const HostTensor &tensor) {
  std::string error;
  if (!writeNpy(dir + "/" + file, tensor, error))
    return fail(error);
  return 0;
}

/// <cotangents, f(x)> on the reference, in f64.
std::optional<double> referenceLoss(Program &program,
                                    const std::vector<ref::Tensor> &inputs,
                                    const std::vector<HostTensor> &cotangents) {
  std::vector<ref::Tensor> outputs;
  if (evaluateReference(program, inputs, outputs))
    return std::nullopt;
  double loss = 0;
  for (size_t j = 0; j < outputs.size(); ++j)
    for (int64_t e = 0; e < cotangents[j].numElements(); ++e)
      loss += cotangents[j].get(e) * outputs[j].data[e];
  return loss;
}

/// The finite-difference check of the gradients; true when every
/// direction agrees.
bool checkGradients(Program &program, const std::vector<HostTensor> &inputs,
                    const std::vector<HostTensor> &cotangents,
                    const std::vector<HostTensor> &gradients, uint64_t seed) {
  std::mt19937_64 rng(seed ^ 0xd1ec7105ULL);
  bool allPass = true;
  llvm::outs() << "seqc: gradient check: <grad, v> against central finite "
                  "differences of the reference (f64, step "
               << llvm::format("%.0e", kStep) << "):\n";
  for (unsigned k = 0; k < kCheckDirections; ++k) {
    std::vector<ref::Tensor> plus, minus;
    double directional = 0, tolerance = 1e-9;
    for (size_t i = 0; i < inputs.size(); ++i) {
      // The f32 gradients' error grows with the magnitude of the terms
      // summed into <grad, v>, not with their (possibly cancelling) sum.
      // A 16-bit input's gradient is also rounded to its type: independent
      // roundings of at most u each, which add up like a random walk (four
      // standard deviations).
      double magnitude = 0, squares = 0;
      ref::Tensor x = eval::toReference(inputs[i]);
      ref::Tensor p = x, m = x;
      for (int64_t e = 0; e < x.numElements(); ++e) {
        double v = randomNormal(rng);
        p.data[e] += kStep * v;
        m.data[e] -= kStep * v;
        directional += gradients[i].get(e) * v;
        magnitude += std::fabs(gradients[i].get(e) * v);
        squares += gradients[i].get(e) * v * gradients[i].get(e) * v;
      }
      tolerance += 1e-5 * magnitude +
                   4 * unitRoundoff(inputs[i].type) * std::sqrt(squares);
      plus.push_back(std::move(p));
      minus.push_back(std::move(m));
    }
    std::optional<double> lossPlus = referenceLoss(program, plus, cotangents);
    std::optional<double> lossMinus =
        referenceLoss(program, minus, cotangents);
    if (!lossPlus || !lossMinus) {
      fail("--check: the reference interpreter could not run the function");
      return false;
    }
    double difference = (*lossPlus - *lossMinus) / (2 * kStep);
    bool pass = std::isfinite(directional) &&
                std::fabs(directional - difference) <= tolerance;
    allPass &= pass;
    llvm::outs() << llvm::format(
        "  direction %u  <grad, v> % .9e  finite difference % .9e  |diff| "
        "%.2e  (tolerance %.2e)  %s\n",
        k, directional, difference, std::fabs(directional - difference),
        tolerance, pass ? "PASS" : "FAIL");
  }
  return allPass;
}

} // namespace

int seqc::driver::addGradientFunctions(ModuleOp module,
                                       std::vector<func::FuncOp> &functions) {
  std::vector<std::string> names;
  for (func::FuncOp function : functions)
    names.push_back(function.getSymName().str());
  if (int rc = expandLayers(module))
    return rc;
  functions.clear();
  for (const std::string &name : names) {
    auto function = module.lookupSymbol<func::FuncOp>(name);
    ad::DifferentiationOptions options;
    if (!gradientOptions(options))
      return 1;
    auto gradients = ad::differentiateFunction(function, options);
    if (failed(gradients))
      return fail("cannot differentiate @" + name +
                  " (see the diagnostics above)");
    functions.push_back(function);
    functions.push_back(gradients->forward);
    functions.push_back(gradients->backward);
  }
  return 0;
}

std::vector<HostTensor> seqc::driver::buffersFor(TypeRange types) {
  std::vector<HostTensor> buffers;
  for (Type type : types) {
    auto tensor = cast<RankedTensorType>(type);
    buffers.emplace_back(*hostElementTypeOf(tensor),
                         std::vector<int64_t>(tensor.getShape()));
  }
  return buffers;
}

double seqc::driver::timeCall(PreparedCall &call, unsigned runs) {
  std::vector<double> times;
  for (unsigned i = 0; i <= std::max(1u, runs); ++i) {
    auto start = std::chrono::steady_clock::now();
    if (!call.run())
      return -1;
    if (i > 0)
      times.push_back(std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int seqc::driver::runGradient(Program &program,
                              std::vector<HostTensor> &inputs,
                              const RunSettings &settings) {
  ModuleOp module = *program.module;
  std::string name = program.function.getSymName().str();
  if (int rc = expandLayers(module))
    return rc;
  program.function = module.lookupSymbol<func::FuncOp>(name);

  ad::DifferentiationOptions policy;
  if (!gradientOptions(policy))
    return 1;
  PassManager pm(module.getContext());
  SeqDifferentiateOptions options;
  options.functions = {name};
  options.checkpointEvery = policy.checkpointEvery;
  options.memoryBudget = policy.memoryBudget;
  pm.addPass(createSeqDifferentiate(options));
  if (failed(pm.run(module)))
    return fail("cannot differentiate @" + name +
                " (see the diagnostics above)");
  std::string fwdName = ad::forwardFunctionName(name);
  std::string bwdName = ad::backwardFunctionName(name);
  auto fwd = module.lookupSymbol<func::FuncOp>(fwdName);
  auto bwd = module.lookupSymbol<func::FuncOp>(bwdName);

  // Forms for the forward and the backward ops alike.
  if (int rc = lowerForCpu(module, CpuStage::seq, CpuStage::seq))
    return rc;
  fwd = module.lookupSymbol<func::FuncOp>(fwdName);
  program.function = module.lookupSymbol<func::FuncOp>(name);
  bwd = module.lookupSymbol<func::FuncOp>(bwdName);

  auto compileStart = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> lowered(cast<ModuleOp>(module->clone()));
  if (int rc = lowerForCpu(*lowered, CpuStage::llvm, CpuStage::loops))
    return rc;
  auto executable = CpuExecutable::create(*lowered);
  if (!executable)
    return fail("JIT compilation failed: " +
                llvm::toString(executable.takeError()));
  double compileMs = std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - compileStart)
                         .count();

  TypeRange outputTypes = program.function.getFunctionType().getResults();
  unsigned numOutputs = outputTypes.size();
  std::vector<HostTensor> forwardResults =
      buffersFor(fwd.getFunctionType().getResults());
  std::vector<HostTensor> cotangents;
  if (int rc = makeCotangents(outputTypes, seed, cotangents))
    return rc;
  std::vector<HostTensor> gradients =
      buffersFor(bwd.getFunctionType().getResults());

  std::vector<MemRefArgument> fwdArgs, bwdArgs;
  for (HostTensor &t : inputs) {
    fwdArgs.push_back({t.data(), t.shape});
    bwdArgs.push_back({t.data(), t.shape});
  }
  for (HostTensor &t : forwardResults)
    fwdArgs.push_back({t.data(), t.shape});
  int64_t residualBytes = 0;
  for (size_t r = numOutputs; r < forwardResults.size(); ++r) {
    bwdArgs.push_back({forwardResults[r].data(), forwardResults[r].shape});
    residualBytes += forwardResults[r].numElements() *
                     elementSize(forwardResults[r].type);
  }
  for (HostTensor &t : cotangents)
    bwdArgs.push_back({t.data(), t.shape});
  for (HostTensor &t : gradients)
    bwdArgs.push_back({t.data(), t.shape});

  auto fwdCall = (*executable)->prepare(fwdName, fwdArgs);
  if (!fwdCall)
    return fail("running @" + fwdName + " failed: " +
                llvm::toString(fwdCall.takeError()));
  auto bwdCall = (*executable)->prepare(bwdName, bwdArgs);
  if (!bwdCall)
    return fail("running @" + bwdName + " failed: " +
                llvm::toString(bwdCall.takeError()));
  double fwdMs = timeCall(*fwdCall, settings.repeats);
  if (fwdMs < 0)
    return fail("@" + fwdName + " ran out of memory");
  double bwdMs = timeCall(*bwdCall, settings.repeats);
  if (bwdMs < 0)
    return fail("@" + bwdName + " ran out of memory");
  llvm::outs() << "seqc: ran @" << fwdName << " and @" << bwdName
               << " on cpu: forward " << llvm::format("%.3f", fwdMs)
               << " ms, backward " << llvm::format("%.3f", bwdMs)
               << " ms (backward/forward "
               << llvm::format("%.2f", bwdMs / fwdMs) << "x; medians of "
               << std::max(1u, settings.repeats)
               << " runs after a warm-up; compile "
               << llvm::format("%.0f", compileMs) << " ms); residuals "
               << residualBytes << " bytes in "
               << forwardResults.size() - numOutputs << " tensors\n";

  if (!settings.dumpOutputs.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::create_directories(settings.dumpOutputs))
      return fail("cannot create '" + settings.dumpOutputs +
                  "': " + ec.message());
    for (unsigned i = 0; i < numOutputs; ++i)
      if (int rc = writeTensor(settings.dumpOutputs,
                               name + "_out" + std::to_string(i) + ".npy",
                               forwardResults[i]))
        return rc;
    for (size_t i = 0; i < gradients.size(); ++i)
      if (int rc = writeTensor(settings.dumpOutputs,
                               name + "_grad_" + program.argumentNames[i] +
                                   ".npy",
                               gradients[i]))
        return rc;
    llvm::outs() << "seqc: wrote " << numOutputs << " outputs and "
                 << gradients.size() << " gradients to "
                 << settings.dumpOutputs << "\n";
  }
  if (!settings.check)
    return 0;

  std::vector<ref::Tensor> referenceInputs, expected;
  for (const HostTensor &input : inputs)
    referenceInputs.push_back(eval::toReference(input));
  if (evaluateReference(program, referenceInputs, expected))
    return fail("--check: the reference interpreter could not run @" + name);
  llvm::outs() << "seqc: check of @" << fwdName
               << "'s outputs against the reference interpreter (f64):\n";
  bool allPass = true;
  for (unsigned i = 0; i < numOutputs; ++i)
    allPass &= compareOutput("output #" + std::to_string(i),
                             forwardResults[i], expected[i]);
  allPass &= checkGradients(program, inputs, cotangents, gradients, seed);
  llvm::outs() << "seqc: check " << (allPass ? "PASSED" : "FAILED") << "\n";
  return allPass ? 0 : 1;
}
