//===- CostModel.cpp - the forms of seq.linear_attention, costed ----------===//
//
// State dk x dv per batch entry and head: sequential, chunkwise (batched
// intra-chunk matmuls, a chunk loop) and parallel (one chunk of T).
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModelSupport.h"
#include "lib/Families/LinearAttention/LinearAttention.h"
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

void seqc::families::addLinearAttentionFormModels(seq::LinearAttentionOp op,
                                                  const HardwareModel &t,
                                                  FormModels &models) {
  ArrayRef<int64_t> q = shapeOf(op.getQ()), v = shapeOf(op.getV());
  double B = batchOf(q), H = q[2], dk = q[3], dv = v[3];
  int64_t T = stepsOf(q);
  double eb = elementBytes(op.getQ());
  double io = B * T * H * (2 * dk + 2 * dv) * eb;
  std::string name = op->getName().getStringRef().str();
  bool gated = op.getGate() != nullptr;
  bool vectorGate = gated && op.getGateKind() == seq::GateKind::vector;
  double chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise"),
         parallelEfficiency = t.efficiencyOverride(name, "parallel");
  models.candidates.push_back(
      matrixStateSequential(name, io, 4 * B * H * T * dk * dv, T, t));
  FormModel chunkwise{
      FormKind::chunkwise, name, {chunkVariable(T)}, {}, {}, {}};
  chunkwise.constrain = [=](ConstraintBuilder &b) {
    if (t.isGpu)
      return;
    // Each batch element of the batched matmuls is one chunk: its Q, K
    // (C x dk), V, output (C x dv), scores (C x C) and state (dk x dv) in
    // f32 stay in L2 while its products are formed.
    z3::expr C = b.var("chunk_size");
    b.require("chunk_tile_fits_l2",
              fmt::format("(chunk_size*(2*dk + 2*dv) + chunk_size^2 + dk*dv) "
                          "* 4 B <= L2 {}, with dk={}, dv={}",
                          bytesText(t.l2Bytes), dk, dv),
              (C * b.constant(int64_t(2 * dk + 2 * dv)) + C * C +
               b.constant(int64_t(dk * dv))) *
                      b.constant(4) <=
                  b.constant(t.l2Bytes));
  };
  // Every chunk at once, as batched matmuls: per chunk of c steps the state
  // contribution K'^T V and Q' S_in (c dk dv each), the scores (c^2 dk) and
  // A V (c^2 dv); a vector gate adds the diagonal sub-blocks' per-channel
  // exponentials (c x 16 x dk, ~25 flops each as a vectorized polynomial).
  // Sequential: the chunk loop (one loop nest per chunk) and, with a gate,
  // the in-chunk cumulative sum (c steps).
  auto chunked = [=](FormKind kind, double c, double efficiency) {
    double chunks = std::ceil(T / c);
    double heads = B * H;
    double flops =
        2 * heads * chunks * (2 * c * dk * dv + c * c * dk + c * c * dv);
    if (vectorGate)
      flops += heads * chunks * c * std::min(c, 16.0) * dk * 25;
    double bytes = io + chunkIntermediateBytes(heads, chunks, c, dk, dv,
                                               vectorGate ? 14 : 6, 2);
    double steps = chunks + (gated ? c : 0);
    return cost(kind, bytes, flops, steps, 16, t, 0, loopNestTime(t),
                efficiency);
  };
  chunkwise.cost = [=](const TileConfig &config) {
    return chunked(FormKind::chunkwise, *config.chunkSize, chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
  // The parallel form: one chunk of all T steps (the T x T masked scores).
  FormModel parallel{FormKind::parallel, name, {}, {}, {}, {}};
  parallel.cost = [=](const TileConfig &) {
    return chunked(FormKind::parallel, T, parallelEfficiency);
  };
  models.candidates.push_back(std::move(parallel));
}
