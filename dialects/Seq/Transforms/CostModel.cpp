//===- CostModel.cpp - predicted cost of each form of a seq op ------------===//
#include "CostModel.h"

#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace seqc::seq {

std::optional<HardwareModel> hardwareModel(StringRef name) {
  // CPU: this project's machines, one thread (the lowerings are serial);
  // bandwidth and the efficiencies measured by the benchmarks.
  if (name == "cpu")
    return HardwareModel{"cpu", 24e9, 96e9, 2e-9, 0.0, 0.05, 0.004, 0.004};
  // GPUs: HBM bandwidth, dense bf16 tensor-core peak, a dependent step
  // within a persistent kernel, a launch. No GPU lowering exists yet; these
  // rank the forms for the later code generation.
  if (name == "sm_80")
    return HardwareModel{"sm_80", 1.5e12, 312e12, 1e-6, 5e-6, 0.05, 0.5, 0.5};
  if (name == "sm_90")
    return HardwareModel{"sm_90", 3.35e12, 989e12, 0.8e-6, 4e-6, 0.05, 0.5, 0.5};
  if (name == "h200")
    return HardwareModel{"h200", 4.8e12, 989e12, 0.8e-6, 4e-6, 0.05, 0.5, 0.5};
  return std::nullopt;
}

namespace {

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= ShapedType::isDynamic(d) ? 1 : d;
  return n;
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

double elementBytes(Value v) {
  Type element = getElementTypeOrSelf(v.getType());
  if (auto complex = dyn_cast<ComplexType>(element))
    return 2 * complex.getElementType().getIntOrFloatBitWidth() / 8.0;
  return element.getIntOrFloatBitWidth() / 8.0;
}

void finish(FormCost &c, const HardwareModel &hw) {
  double efficiency = c.kind == FormKind::sequential ? hw.sequentialEfficiency
                      : c.kind == FormKind::prefix   ? hw.prefixEfficiency
                                                     : hw.chunkwiseEfficiency;
  c.seconds = std::max(c.bytes / hw.bandwidth,
                       c.flops / (hw.peakFlops * efficiency)) +
              c.steps * hw.stepLatency + c.launches * hw.launchLatency;
}

const int64_t kChunkSizes[] = {16, 32, 64, 128, 256};

FormCost candidate(FormKind kind, std::optional<int64_t> chunk, double bytes,
                   double flops, double steps, double launches,
                   const HardwareModel &hw) {
  FormCost c(kind, chunk);
  c.bytes = bytes;
  c.flops = flops;
  c.steps = steps;
  c.launches = launches;
  finish(c, hw);
  return c;
}

FormCost noLowering(FormKind kind) {
  FormCost c(kind, std::nullopt);
  c.unavailable = "no lowering yet";
  return c;
}

/// The chunk sizes worth trying for `steps` (one chunk covering the whole
/// sequence is the largest).
std::vector<int64_t> chunkSizes(double steps) {
  std::vector<int64_t> sizes;
  for (int64_t c : kChunkSizes)
    if (c <= std::max<double>(steps, kChunkSizes[0]))
      sizes.push_back(c);
  return sizes;
}

/// A reduce-then-scan prefix form over `elements` scan elements of `io`
/// bytes: the local scans and the fix-up read and write the sequence twice
/// more than the sequential form, and the critical path is C + T / C.
void addPrefixCandidates(std::vector<FormCost> &costs, double io, double flops,
                         double steps, const HardwareModel &hw) {
  for (int64_t c : chunkSizes(steps))
    costs.push_back(candidate(FormKind::prefix, c, 3 * io, flops,
                              c + std::ceil(steps / c), 3, hw));
}

/// linear_scan: h = a h + b over B x T x R elements.
std::vector<FormCost> costLinearScan(LinearScanOp op, const HardwareModel &hw) {
  ArrayRef<int64_t> shape = shapeOf(op.getA());
  double steps = ShapedType::isDynamic(shape[1]) ? 1024 : shape[1];
  double elements = product(shape);
  double io = elements * (2 * elementBytes(op.getA()) + elementBytes(op.getH()));
  std::vector<FormCost> costs = {
      candidate(FormKind::sequential, std::nullopt, io, 2 * elements, steps, 1, hw)};
  addPrefixCandidates(costs, io, 5 * elements, steps, hw);
  return costs;
}

/// linear_attention: state dk x dv per batch and head.
std::vector<FormCost> costLinearAttention(LinearAttentionOp op,
                                          const HardwareModel &hw) {
  ArrayRef<int64_t> q = shapeOf(op.getQ()), v = shapeOf(op.getV());
  double B = q[0], T = ShapedType::isDynamic(q[1]) ? 1024 : q[1], H = q[2],
         dk = q[3], dv = v[3];
  double io = B * T * H * (2 * dk + 2 * dv) * elementBytes(op.getQ());
  std::vector<FormCost> costs = {candidate(FormKind::sequential, std::nullopt,
                                           io, 4 * B * H * T * dk * dv, T, 1, hw)};
  for (int64_t c : chunkSizes(T)) {
    double chunks = std::ceil(T / c);
    // Scores C x C x dk, A V, Q S and the state update per chunk.
    double flops = 2 * B * H * chunks *
                   (c * c * dk + c * c * dv + 2 * c * dk * dv + c * dk * dv);
    costs.push_back(candidate(FormKind::chunkwise, c, io, flops, chunks, 1, hw));
  }
  return costs;
}

/// Aaren's softmax scan (time-invariant query): element (m, u, w).
std::vector<FormCost> costSoftmaxScan(SoftmaxAttentionOp op,
                                      const HardwareModel &hw) {
  ArrayRef<int64_t> k = shapeOf(op.getK()), v = shapeOf(op.getV());
  double B = k[0], T = ShapedType::isDynamic(k[1]) ? 1024 : k[1], H = k[2],
         dk = k[3], dv = v[3];
  double io = B * T * H * (dk + 2 * dv) * elementBytes(op.getK());
  std::vector<FormCost> costs = {candidate(FormKind::sequential, std::nullopt,
                                           io, B * T * H * (2 * dk + 4 * dv), T,
                                           1, hw)};
  addPrefixCandidates(costs, io, B * T * H * (2 * dk + 10 * dv), T, hw);
  return costs;
}

/// The ops the model knows only a sequential cost for.
std::vector<FormCost> sequentialOnly(Operation *op, const HardwareModel &hw) {
  std::vector<FormCost> costs;
  FormCost seq(FormKind::sequential, std::nullopt);
  Value first = op->getOperand(0);
  ArrayRef<int64_t> shape = shapeOf(first);
  seq.steps = shape.size() > 1 && !ShapedType::isDynamic(shape[1])
                  ? shape[1]
                  : 1024;
  for (Value operand : op->getOperands())
    seq.bytes += product(shapeOf(operand)) * elementBytes(operand);
  seq.launches = 1;
  finish(seq, hw);
  costs.push_back(seq);
  return costs;
}

} // namespace

std::vector<FormCost> costForms(Operation *op, const HardwareModel &hw) {
  std::vector<FormCost> costs =
      llvm::TypeSwitch<Operation *, std::vector<FormCost>>(op)
      .Case([&](LinearScanOp o) { return costLinearScan(o, hw); })
      .Case([&](LinearAttentionOp o) { return costLinearAttention(o, hw); })
      .Case([&](SoftmaxAttentionOp o) {
        if (o.hasTimeInvariantQuery())
          return costSoftmaxScan(o, hw);
        return sequentialOnly(op, hw);
      })
      .Default([&](Operation *) { return sequentialOnly(op, hw); });
  // Only what seq-lower-forms can lower is a candidate; every other valid
  // form is listed as such.
  for (FormCost &c : costs)
    if (!seqc::hasFormLowering(op, c.kind))
      c.unavailable = "no lowering yet";
  for (FormKind kind : cast<FormOpInterface>(op).getValidFormKinds())
    if (llvm::none_of(costs, [&](const FormCost &c) { return c.kind == kind; }))
      costs.push_back(noLowering(kind));
  return costs;
}

std::optional<FormCost> cheapest(const std::vector<FormCost> &costs) {
  std::optional<FormCost> best;
  for (const FormCost &c : costs)
    if (c.unavailable.empty() && (!best || c.seconds < best->seconds))
      best = c;
  return best;
}

} // namespace seqc::seq
