//===- CostModel.h - predicted cost of each form of a seq op ---*- C++ -*-===//
//
// An explicit, first-order model: time = max(bytes / bandwidth, flops /
// peak * efficiency) + critical-path steps * step latency + launches *
// launch latency. The efficiencies of today's CPU lowerings are measured
// (benchmarks/README.md): the chunkwise and prefix loop nests are scalar
// and single-threaded, and the model says so, so that it picks what is
// fastest now and changes its mind when the lowerings improve.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIALECTS_SEQ_TRANSFORMS_COSTMODEL_H
#define SEQC_DIALECTS_SEQ_TRANSFORMS_COSTMODEL_H

#include "dialects/Seq/IR/SeqOps.h"

#include <optional>
#include <string>
#include <vector>

namespace seqc::seq {

/// What the model knows about a machine.
struct HardwareModel {
  std::string name;
  double bandwidth;      // bytes/s
  double peakFlops;      // FLOP/s of the units the lowerings use
  double stepLatency;    // s per dependent step on the critical path
  double launchLatency;  // s per kernel launch (0 on the CPU)
  /// Efficiency of each form's lowering relative to the peak (0..1].
  double sequentialEfficiency, prefixEfficiency, chunkwiseEfficiency;
};

/// The model of `name` (cpu, sm_80, sm_90, h200), or none.
std::optional<HardwareModel> hardwareModel(llvm::StringRef name);

/// One candidate: a form with its parameters and predicted cost.
struct FormCost {
  FormCost(FormKind kind, std::optional<int64_t> chunkSize)
      : kind(kind), chunkSize(chunkSize) {}
  FormKind kind;
  std::optional<int64_t> chunkSize;
  double bytes = 0, flops = 0, steps = 0, launches = 0;
  double seconds = 0;
  /// Why a valid form is not a candidate (e.g. no lowering yet).
  std::string unavailable;
};

/// Every valid form of `op` with its cost on `hw`, candidates first.
std::vector<FormCost> costForms(mlir::Operation *op, const HardwareModel &hw);

/// The cheapest available candidate.
std::optional<FormCost> cheapest(const std::vector<FormCost> &costs);

} // namespace seqc::seq

#endif // SEQC_DIALECTS_SEQ_TRANSFORMS_COSTMODEL_H
