//===- Inputs.cpp - inputs for `seqc run` ---------------------------------===//
//
// Random inputs must exercise an op the way real models do, or the check
// proves little: a decay drawn from N(0, 1) makes a long linear scan
// overflow, a log gate drawn from N(0, 1) makes linear attention explode.
// Each argument's role is read off the ops that use it.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "dialects/Seq/IR/SeqOps.h"
#include "dialects/SeqNN/IR/SeqNNDialect.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace seqc::driver {
namespace {

enum class Role {
  generic,      // N(0, 1)
  decay,        // linear_scan a: |a| in (0.5, 0.999), either sign
  logGate,      // log of a decay in (0.85, 0.999)
  beta,         // U(0, 1)
  betaNegative, // U(0, 2): allow_negative_eigenvalues
  unitKey,      // L2-normalized over the last dim
  positive,     // U(0.5, 2): softmax-scan denominators
  weight,       // U(-1/sqrt(fan_in), 1/sqrt(fan_in)), torch.nn's default
  /// A seq.recurrence weight, [heads, H_in, ...]: fan-in is dimension 1.
  /// (Scaled like torch's: with unit-scale entries a 256-wide tanh RNN is
  /// chaotic, and f32 and the f64 reference part ways within a few steps.)
  recurrentWeight,
};

/// Whether `value` is an initial state of the seqnn layer `op`.
bool isInitialState(Operation *op, Value value) {
  using namespace seqnn;
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case<ElmanOp, LSTMOp, GRUOp, SLSTMOp, AarenOp, AttentionOp>(
          [&](auto layer) { return llvm::is_contained(layer.getInit(), value); })
      .Case<LRUOp, S4DOp>([&](auto layer) {
        return layer.getInitRe() == value || layer.getInitIm() == value;
      })
      .Case<MambaOp, RetNetOp, GLAOp, Mamba2Op, DeltaNetOp, GatedDeltaNetOp>(
          [&](auto layer) { return layer.getInit() == value; })
      .Default([](Operation *) { return false; });
}

Role roleOf(BlockArgument argument) {
  for (OpOperand &use : argument.getUses()) {
    Operation *user = use.getOwner();
    Value value = use.get();
    // The sLSTM normalizer n divides the cell state: it must be positive.
    if (auto slstm = dyn_cast<seqnn::SLSTMOp>(user))
      if (slstm.getInit().size() == 4 && value == slstm.getInit()[2])
        return Role::positive;
    // The weight matrices of a layer (every matrix operand after the input);
    // vectors (biases, log decays) stay N(0, 1).
    if (isa<seqnn::SeqNNDialect>(user->getDialect()) &&
        use.getOperandNumber() > 0 &&
        cast<RankedTensorType>(value.getType()).getRank() >= 2 &&
        !isInitialState(user, value))
      return Role::weight;
    if (auto op = dyn_cast<seq::LinearScanOp>(user)) {
      if (value == op.getA())
        return Role::decay;
    } else if (auto op = dyn_cast<seq::LinearAttentionOp>(user)) {
      if (value == op.getGate())
        return Role::logGate;
    } else if (auto op = dyn_cast<seq::DeltaRuleOp>(user)) {
      if (value == op.getBeta())
        return op.getAllowNegativeEigenvalues() ? Role::betaNegative
                                                : Role::beta;
      if (value == op.getGate())
        return Role::logGate;
      if (value == op.getK() || value == op.getQ())
        return Role::unitKey;
    } else if (auto op = dyn_cast<seq::SoftmaxAttentionOp>(user)) {
      if (op.hasTimeInvariantQuery() && op.getInit().size() == 3 &&
          value == op.getInit()[1])
        return Role::positive;
    } else if (auto op = dyn_cast<seq::RecurrenceOp>(user)) {
      for (Value w : op.getWeights())
        if (value == w)
          return Role::recurrentWeight;
    }
  }
  return Role::generic;
}

void fill(HostTensor &tensor, Role role, std::mt19937_64 &rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int64_t n = tensor.numElements();
  int64_t last = tensor.shape.empty() ? 1 : tensor.shape.back();
  std::vector<double> values(n);
  for (int64_t i = 0; i < n; ++i) {
    switch (role) {
    case Role::generic:
      values[i] = normal(rng);
      break;
    case Role::decay: {
      double magnitude = 0.5 + 0.499 * uniform(rng);
      values[i] = uniform(rng) < 0.25 ? -magnitude : magnitude;
      break;
    }
    case Role::logGate:
      values[i] = std::log(0.85 + 0.149 * uniform(rng));
      break;
    case Role::beta:
      values[i] = uniform(rng);
      break;
    case Role::betaNegative:
      values[i] = 2.0 * uniform(rng);
      break;
    case Role::unitKey:
      values[i] = normal(rng);
      break;
    case Role::positive:
      values[i] = 0.5 + 1.5 * uniform(rng);
      break;
    case Role::weight:
    case Role::recurrentWeight: {
      int64_t fanIn = tensor.shape.size() >= 2
                          ? tensor.shape[tensor.shape.size() - 2]
                          : std::max<int64_t>(last, 1);
      if (role == Role::recurrentWeight && tensor.shape.size() >= 3)
        fanIn = tensor.shape[1];
      values[i] = (2.0 * uniform(rng) - 1.0) / std::sqrt(double(fanIn));
      break;
    }
    }
  }
  if (role == Role::unitKey && last > 0)
    for (int64_t row = 0; row < n / last; ++row) {
      double norm = 0;
      for (int64_t j = 0; j < last; ++j)
        norm += values[row * last + j] * values[row * last + j];
      norm = std::sqrt(std::max(norm, 1e-30));
      for (int64_t j = 0; j < last; ++j)
        values[row * last + j] /= norm;
    }
  for (int64_t i = 0; i < n; ++i) {
    if (tensor.type == ElementType::complexF32) {
      // A complex decay keeps |a| < 1 with a random phase.
      double angle = 2 * M_PI * uniform(rng);
      double magnitude = role == Role::decay ? std::fabs(values[i]) : values[i];
      tensor.setComplex(i, magnitude * std::cos(angle),
                        magnitude * std::sin(angle));
    } else {
      tensor.set(i, values[i]);
    }
  }
}

} // namespace

int makeInputs(const Program &program, const std::vector<std::string> &files,
               uint64_t seed, std::vector<HostTensor> &inputs) {
  FunctionType type = func::FuncOp(program.function).getFunctionType();
  llvm::StringMap<std::string> given;
  for (const std::string &entry : files) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size())
      return fail("--input expects NAME=file.npy, got '" + entry + "'");
    std::string name = entry.substr(0, eq);
    bool known = false;
    for (unsigned i = 0; i < program.argumentNames.size(); ++i)
      known |= program.argumentNames[i] == name ||
               name == "arg" + std::to_string(i);
    if (!known) {
      std::string names;
      for (const std::string &n : program.argumentNames)
        names += (names.empty() ? "" : ", ") + n;
      return fail("--input names an unknown argument '" + name +
                  "' (arguments: " + names + ")");
    }
    given[name] = entry.substr(eq + 1);
  }

  std::mt19937_64 rng(seed);
  Block &entry = func::FuncOp(program.function).getBody().front();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto tensorType = cast<RankedTensorType>(type.getInput(i));
    HostTensor tensor(*toElementType(tensorType),
                      std::vector<int64_t>(tensorType.getShape()));
    const std::string &name = program.argumentNames[i];
    auto it = given.find(name);
    if (it == given.end())
      it = given.find("arg" + std::to_string(i));
    if (it != given.end()) {
      HostTensor loaded;
      std::string error;
      if (!readNpy(it->second, loaded, error))
        return fail("--input " + name + ": " + error);
      if (loaded.type != tensor.type || loaded.shape != tensor.shape)
        return fail("--input " + name + ": '" + it->second + "' holds " +
                    loaded.describe() + ", but argument '" + name +
                    "' is " + tensor.describe());
      tensor = std::move(loaded);
    } else {
      fill(tensor, roleOf(entry.getArgument(i)), rng);
    }
    inputs.push_back(std::move(tensor));
  }
  return 0;
}

ref::Tensor toReference(const HostTensor &tensor) {
  ref::Tensor result(tensor.shape);
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    result.data[i] = tensor.get(i);
  return result;
}

bool compareOutput(const std::string &name, const HostTensor &actual,
                   const ref::Tensor &expected) {
  Comparison c = compareToReference(actual, expected.data);
  llvm::outs() << llvm::format("  %-14s %-26s max abs err %.3e  max rel err "
                               "%.3e  (tolerance rtol %.0e)  %s",
                               name.c_str(), actual.describe().c_str(),
                               c.maxAbs, c.maxRel, c.rtol,
                               c.pass() ? "PASS" : "FAIL");
  if (c.nonFinite)
    llvm::outs() << "  (" << c.nonFinite << " NaN/Inf)";
  if (c.outOfTolerance)
    llvm::outs() << "  (" << c.outOfTolerance << " elements out of tolerance)";
  llvm::outs() << "\n";
  return c.pass();
}

} // namespace seqc::driver
