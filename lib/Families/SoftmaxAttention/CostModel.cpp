//===- CostModel.cpp - the forms of seq.softmax_attention, costed ---------===//
//
// A time-invariant query is Aaren's scan (sequential, prefix); a per-step
// query reads the key/value cache (sequential, chunkwise flash, parallel).
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModelSupport.h"
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"
#include "seqc/Conversion/SeqToLoops.h"

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

/// Aaren's softmax scan (time-invariant query): element (m, u, w).
void addSoftmaxScanModels(seq::SoftmaxAttentionOp op, const HardwareModel &t,
                          FormModels &models) {
  ArrayRef<int64_t> k = shapeOf(op.getK()), v = shapeOf(op.getV());
  double B = batchOf(k), H = k[2], dk = k[3], dv = v[3];
  int64_t T = stepsOf(k);
  double io = B * T * H * (dk + 2 * dv) * elementBytes(op.getK());
  std::string name = op->getName().getStringRef().str();
  models.candidates.push_back({FormKind::sequential,
                               name,
                               {},
                               {},
                               [=](const TileConfig &) {
                                 return cost(FormKind::sequential, io,
                                             B * T * H * (2 * dk + 4 * dv), T,
                                             stepLaunches(t, T), t);
                               },
                               {}});
  FormModel prefix{FormKind::prefix, name, {chunkVariable(T)}, {}, {}, {}};
  prefix.constrain = [=](ConstraintBuilder &b) {
    if (t.isGpu)
      return;
    z3::expr chunks =
        b.table("chunk_size", [T](int64_t c) { return ceilDiv(T, c); });
    b.require("aggregates_fit_l2",
              fmt::format("ceil(T/chunk_size) chunks * H={} heads * (dv={} + "
                          "2) * 4 B <= L2 {}",
                          H, dv, bytesText(t.l2Bytes)),
              chunks * b.constant(int64_t(H * (dv + 2) * 4)) <=
                  b.constant(t.l2Bytes));
  };
  prefix.cost = [=](const TileConfig &c) {
    int64_t chunks = ceilDiv(T, *c.chunkSize);
    return cost(FormKind::prefix, 3 * io, B * T * H * (2 * dk + 10 * dv),
                *c.chunkSize + chunks, 3, t);
  };
  models.candidates.push_back(std::move(prefix));
}

/// Softmax attention with a per-step query: step t reads the P + t + 1
/// cached keys and values (sequential), or every step's scores are formed
/// at once, masked (parallel: twice the score work, a T x (P + T) score
/// matrix written once and read three times, one step).
void addSoftmaxAttentionModels(seq::SoftmaxAttentionOp op,
                               const HardwareModel &t, FormModels &models) {
  ArrayRef<int64_t> k = shapeOf(op.getK()), v = shapeOf(op.getV());
  double B = batchOf(k), H = k[2], dk = k[3], dv = v[3];
  double T = stepsOf(k);
  double P = op.getInit().empty() ? 0 : shapeOf(op.getInit()[0])[1];
  double eb = elementBytes(op.getK());
  double io = B * H * ((P + T) * (dk + dv) * 2 + T * (dk + dv)) * eb;
  double perPair = 2 * dk + 2 * dv + 4; // score, weight, weighted value
  std::string name = op->getName().getStringRef().str();
  // Where the target measured this op's forms apart from its defaults.
  double sequentialEfficiency = t.efficiencyOverride(name, "sequential"),
         chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise"),
         parallelEfficiency = t.efficiencyOverride(name, "parallel");
  models.candidates.push_back(
      {FormKind::sequential,
       name,
       {},
       {},
       [=](const TileConfig &) {
         double pairs = B * H * T * (P + (T + 1) / 2);
         return cost(FormKind::sequential, pairs * (dk + dv) * 4,
                     pairs * perPair, T, stepLaunches(t, T), t, 0, 0,
                     sequentialEfficiency);
       },
       {}});
  models.candidates.push_back(
      {FormKind::parallel,
       name,
       {},
       {},
       [=](const TileConfig &) {
         double pairs = B * H * T * (P + T);
         return cost(FormKind::parallel, io + 4 * pairs * 4, pairs * perPair, 1,
                     5, t, 0, 0, parallelEfficiency);
       },
       {}});
  // Chunkwise (flash): a loop over chunks of C keys, every step's query at
  // once; the T x C scores of a chunk written once and read three times,
  // the running (m, l, acc) rescaled per chunk.
  FormModel chunkwise{
      FormKind::chunkwise, name, {chunkVariable(int64_t(P + T))}, {}, {}, {}};
  chunkwise.cost = [=](const TileConfig &c) {
    double C = *c.chunkSize, chunks = std::ceil((P + T) / C);
    // Chunk j updates the steps t >= jC - P (causal block skipping).
    double pairs = 0;
    for (double j = 0; j < chunks; ++j)
      pairs += B * H * (T - std::clamp(j * C - P, 0.0, T)) * C;
    double bytes = io + 4 * pairs * 4 + chunks * B * H * T * (dv + 2) * 4 * 2;
    // Seven loop nests per chunk of keys.
    return cost(FormKind::chunkwise, bytes, pairs * (perPair + 4), chunks, 1, t,
                0, 7 * t.chunkKernelTime, chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
}

} // namespace

void seqc::families::addSoftmaxAttentionFormModels(seq::SoftmaxAttentionOp op,
                                                   const HardwareModel &target,
                                                   FormModels &models) {
  if (op.hasTimeInvariantQuery())
    addSoftmaxScanModels(op, target, models);
  else
    addSoftmaxAttentionModels(op, target, models);
}
