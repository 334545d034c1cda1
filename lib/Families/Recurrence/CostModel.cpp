//===- CostModel.cpp - the sequential form of seq.recurrence, costed ------===//
//
// Only the sequential form, but on a GPU in FlashRNN's two variants
// (alternating, fused), each with its own model.
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModelSupport.h"
#include "lib/Families/Recurrence/Recurrence.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;
using seqc::seq::FormKind;

namespace {

/// The element type of `value` as memory holds it: a 16-bit tensor widened
/// elementwise (seqnn-expand's f32 copy of bf16 weights, which the GPU
/// pipeline folds into the kernels that read it) is 16-bit.
Type storedElementType(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    auto widen = dyn_cast<linalg::GenericOp>(def);
    if (widen && widen.getNumDpsInputs() == 1 &&
        llvm::hasSingleElement(widen.getBody()->without_terminator()) &&
        isa<arith::ExtFOp>(*widen.getBody()->begin()))
      return getElementTypeOrSelf(widen.getDpsInputs()[0].getType());
    break;
  }
  return getElementTypeOrSelf(value.getType());
}

/// A recurrence's step product h R: the state's rows (the batch) times
/// its weights, `[K, N]` or block-diagonal `[heads, K, N...]` as
/// seqnn-expand writes them.
struct StepProduct {
  int64_t heads = 1, M = 1, K = 1, N = 1;
  double weightBytes = 0, weightElements = 0;
  bool bf16Weights = false;
  /// 2 B FLOP per weight: every batch row meets every weight once a step.
  double flops() const { return 2.0 * M * weightElements; }
};

StepProduct stepProductOf(seq::RecurrenceOp op) {
  StepProduct p;
  p.M = product(shapeOf(op.getInputs()[0]).take_front()); // dynamic: 1
  for (Value weight : op.getWeights()) {
    ArrayRef<int64_t> shape = shapeOf(weight);
    Type stored = storedElementType(weight);
    p.weightElements += product(shape);
    p.weightBytes += product(shape) * stored.getIntOrFloatBitWidth() / 8.0;
    if (weight != op.getWeights().front() || shape.size() < 2 ||
        ShapedType::isDynamicShape(shape))
      continue;
    p.bf16Weights = isa<BFloat16Type>(stored);
    p.heads = shape.size() > 2 ? shape[0] : 1;
    p.K = shape.size() > 2 ? shape[1] : shape[0];
    p.N = product(shape) / (p.heads * p.K);
  }
  return p;
}

/// The alternating step's h R on tensor cores (seq-contractions-to-mma:
/// bf16 weights, the f32 state as three bf16 terms): bound by the terms'
/// products or by the traffic of its tiles, each column block re-reading
/// the state and each row block the weights (through L2). None when the
/// product does not tile or the weights are not bf16.
std::optional<double> tensorCoreStepSeconds(const StepProduct &p,
                                            const HardwareModel &t) {
  if (!p.bf16Weights || t.stepMmaFlopRate <= 0 || p.M % 16 || p.N % 8 ||
      p.K % 16)
    return std::nullopt;
  seqc::MmaBlockTile tile = seqc::mmaBlockTile(p.M, p.N, p.heads, t.sms);
  double terms = 3, stateBytes = double(p.heads) * p.M * p.K * 4,
         weightBytes = double(p.heads) * p.K * p.N * 2;
  double traffic = double(p.N / tile.columns) * stateBytes +
                   double(p.M / tile.rows) * weightBytes;
  double flops = terms * 2 * double(p.heads) * p.M * p.N * p.K;
  return std::max(flops / t.stepMmaFlopRate, traffic / t.stepMmaBandwidth);
}

} // namespace

/// A recurrence: only the sequential form, but on a GPU in FlashRNN's two
/// variants. Alternating: the step's kernels launched per step (about
/// three after fusion), its h R kernel on tensor cores (above), or a SIMT
/// kernel bound by streaming the weights from L2 or by its multiply-adds.
/// Fused: one persistent kernel, a grid barrier a step. When every block's
/// share of the weights fits in its shared memory
/// (seq-weight-stationary-steps keeps them there or in registers), the
/// step costs the barrier's latency chain plus every block's read of the
/// state it multiplies (a block of a multi-head recurrence reads only its
/// head's part; its products on tensor cores are not what bounds it);
/// otherwise the step's generic kernels run on one block a multiprocessor
/// behind a grid barrier each. Calibrated and checked on an H200
/// (HardwareModel.cpp, benchmarks/README.md "FlashRNN's two variants").
void seqc::families::addRecurrenceFormModels(seq::RecurrenceOp op,
                                             const HardwareModel &t,
                                             FormModels &models) {
  addSequentialOnly(op, t, models);
  if (!t.isGpu)
    return;
  FormModel &alternating = models.candidates.back();
  StepProduct step = stepProductOf(op);
  double stateBytes = 0;
  for (Value state : op.getFinalStates())
    stateBytes =
        std::max(stateBytes, product(shapeOf(state)) * elementBytes(state));
  double steps = stepsOf(shapeOf(op.getInputs()[0]));
  double stepFlops = step.flops();
  double productSeconds = tensorCoreStepSeconds(step, t).value_or(std::max(
      step.weightBytes / t.stepWeightBandwidth, stepFlops / t.stepFlopRate));
  auto base = alternating.cost;
  alternating.cost = [=](const TileConfig &c) {
    Cost cost = base(c);
    cost.flops = steps * stepFlops;
    cost.seconds += steps * productSeconds;
    return cost;
  };
  bool resident = std::ceil(step.weightBytes / t.sms) <= t.sharedPerBlock;
  double stepSeconds =
      resident ? t.fusedStepLatency +
                     t.sms * (stateBytes / step.heads) / t.fusedStateBandwidth
               : 3 * t.fusedStepLatency +
                     std::max(step.weightBytes / t.fusedWeightBandwidth,
                              stepFlops / t.stepFlopRate);
  FormModel fused = alternating;
  fused.variant = seq::SequentialVariant::fused;
  fused.cost = [=](const TileConfig &c) {
    // One cooperative launch and the barrier counter's reset.
    Cost cost = base(c);
    cost.flops = steps * stepFlops;
    cost.launches = 2;
    cost.steps = steps;
    cost.seconds =
        cost.bytes / t.bandwidth + 2 * t.launchLatency + steps * stepSeconds;
    return cost;
  };
  models.candidates.push_back(std::move(fused));
}
