//===- CostModelSupport.cpp - pieces every family's cost model uses -------===//
#include "autotune/CostModelSupport.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <fmt/format.h>

#include <algorithm>

using namespace mlir;
using seqc::seq::FormKind;

namespace seqc::autotune {

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

int64_t stepsOf(ArrayRef<int64_t> shape) {
  return shape.size() > 1 && !ShapedType::isDynamic(shape[1]) ? shape[1] : 1024;
}

int64_t batchOf(ArrayRef<int64_t> shape) {
  return shape.empty() || ShapedType::isDynamic(shape[0]) ? 1 : shape[0];
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

Cost cost(FormKind kind, double bytes, double flops, double steps,
          double launches, const HardwareModel &t, double bandwidth,
          double stepLatency, double efficiency) {
  if (efficiency <= 0)
    efficiency = kind == FormKind::sequential ? t.sequentialEfficiency
                 : kind == FormKind::prefix   ? t.prefixEfficiency
                                              : t.chunkwiseEfficiency;
  Cost c;
  c.bytes = bytes;
  c.flops = flops;
  c.steps = steps;
  c.launches = launches;
  c.seconds = std::max(c.bytes / (bandwidth > 0 ? bandwidth : t.bandwidth),
                       c.flops / (t.peakFlops * efficiency)) +
              c.steps * (stepLatency > 0 ? stepLatency : t.stepLatency) +
              c.launches * t.launchLatency;
  return c;
}

double stepLaunches(const HardwareModel &t, double steps) {
  return t.isGpu ? 3 * steps : 1;
}

std::vector<int64_t> chunkDomain(int64_t T) {
  std::vector<int64_t> domain;
  for (int64_t c :
       {8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024})
    if (c < T)
      domain.push_back(c);
  if (T <= 1024)
    domain.push_back(T);
  return domain;
}

TileVariable chunkVariable(int64_t T) {
  return {"chunk_size", chunkDomain(T), &TileConfig::chunkSize};
}

std::string bytesText(int64_t bytes) {
  if (bytes % (1 << 20) == 0)
    return fmt::format("{} MiB", bytes >> 20);
  if (bytes % (1 << 10) == 0)
    return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} B", bytes);
}

double loopNestTime(const HardwareModel &t) {
  return t.isGpu ? t.launchLatency : t.chunkKernelTime;
}

double chunkIntermediateBytes(double heads, double chunks, double c, double dk,
                              double dv, double passes, double squares) {
  return heads * chunks *
         (c * (dk + dv) * 4 * 2 * passes + c * c * 4 * 2 * squares +
          dk * dv * 4 * 3);
}

FormModel matrixStateSequential(const std::string &name, double io,
                                double flops, int64_t T,
                                const HardwareModel &t) {
  double efficiency = t.efficiencyOverride(name, "sequential");
  return {FormKind::sequential,
          name,
          {},
          {},
          [=](const TileConfig &) {
            return cost(FormKind::sequential, io, flops, T, stepLaunches(t, T),
                        t, 0, 0, efficiency);
          },
          {}};
}

void addSequentialOnly(Operation *op, const HardwareModel &t,
                       FormModels &models) {
  double bytes = 0;
  for (Value operand : op->getOperands())
    bytes += product(shapeOf(operand)) * elementBytes(operand);
  for (Value result : op->getResults())
    bytes += product(shapeOf(result)) * elementBytes(result);
  double steps = stepsOf(shapeOf(op->getOperand(0)));
  models.candidates.push_back({FormKind::sequential,
                               op->getName().getStringRef().str(),
                               {},
                               {},
                               [=](const TileConfig &) {
                                 return cost(FormKind::sequential, bytes, 0,
                                             steps, stepLaunches(t, steps), t);
                               },
                               {}});
}

} // namespace seqc::autotune
