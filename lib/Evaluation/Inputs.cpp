//===- Inputs.cpp - generated inputs with the distributions models use ----===//
#include "seqc/Evaluation/InputRole.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "dialects/SeqNN/IR/SeqNNDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace seqc::eval {
namespace {

/// Whether `value` is an initial state of the seqnn layer `op`.
bool isInitialState(Operation *op, Value value) {
  using namespace seqnn;
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case<ElmanOp, LSTMOp, GRUOp, SLSTMOp, AarenOp, AttentionOp>(
          [&](auto layer) {
            return llvm::is_contained(layer.getInit(), value);
          })
      .Case<LRUOp, S4DOp>([&](auto layer) {
        return layer.getInitRe() == value || layer.getInitIm() == value;
      })
      .Case<MambaOp, RetNetOp, GLAOp, Mamba2Op, DeltaNetOp, GatedDeltaNetOp>(
          [&](auto layer) { return layer.getInit() == value; })
      .Default([](Operation *) { return false; });
}

} // namespace

InputRole inputRoleOf(BlockArgument argument) {
  for (OpOperand &use : argument.getUses()) {
    Operation *user = use.getOwner();
    Value value = use.get();
    // The sLSTM normalizer n divides the cell state: it must be positive.
    if (auto slstm = dyn_cast<seqnn::SLSTMOp>(user))
      if (slstm.getInit().size() == 4 && value == slstm.getInit()[2])
        return InputRole::positive;
    // The weight matrices of a layer (every matrix operand after the input);
    // vectors (biases, log decays) stay N(0, 1).
    if (isa<seqnn::SeqNNDialect>(user->getDialect()) &&
        use.getOperandNumber() > 0 &&
        cast<RankedTensorType>(value.getType()).getRank() >= 2 &&
        !isInitialState(user, value))
      return InputRole::weight;
    if (auto primitive = dyn_cast<ReferenceOpInterface>(user)) {
      InputRole role = primitive.getInputRole(use);
      if (role != InputRole::generic)
        return role;
    }
  }
  return InputRole::generic;
}

void fillInput(HostTensor &tensor, InputRole role, std::mt19937_64 &rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int64_t n = tensor.numElements();
  int64_t last = tensor.shape.empty() ? 1 : tensor.shape.back();
  std::vector<double> values(n);
  for (int64_t i = 0; i < n; ++i) {
    switch (role) {
    case InputRole::generic:
      values[i] = normal(rng);
      break;
    case InputRole::decay: {
      double magnitude = 0.5 + 0.499 * uniform(rng);
      values[i] = uniform(rng) < 0.25 ? -magnitude : magnitude;
      break;
    }
    case InputRole::logGate:
      values[i] = std::log(0.85 + 0.149 * uniform(rng));
      break;
    case InputRole::beta:
      values[i] = uniform(rng);
      break;
    case InputRole::betaNegative:
      values[i] = 2.0 * uniform(rng);
      break;
    case InputRole::unitKey:
      values[i] = normal(rng);
      break;
    case InputRole::positive:
      values[i] = 0.5 + 1.5 * uniform(rng);
      break;
    case InputRole::weight:
    case InputRole::recurrentWeight: {
      int64_t fanIn = tensor.shape.size() >= 2
                          ? tensor.shape[tensor.shape.size() - 2]
                          : std::max<int64_t>(last, 1);
      if (role == InputRole::recurrentWeight && tensor.shape.size() >= 3)
        fanIn = tensor.shape[1];
      values[i] = (2.0 * uniform(rng) - 1.0) / std::sqrt(double(fanIn));
      break;
    }
    }
  }
  if (role == InputRole::unitKey && last > 0)
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
      double magnitude =
          role == InputRole::decay ? std::fabs(values[i]) : values[i];
      tensor.setComplex(i, magnitude * std::cos(angle),
                        magnitude * std::sin(angle));
    } else {
      tensor.set(i, values[i]);
    }
  }
}

} // namespace seqc::eval
