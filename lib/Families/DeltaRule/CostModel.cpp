//===- CostModel.cpp - the forms of seq.delta_rule, costed ----------------===//
//
// State dk x dv per batch entry and head: sequential and the chunkwise
// WY/UT form (a triangular solve per chunk on top of the GLA-like work).
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModelSupport.h"
#include "lib/Families/DeltaRule/DeltaRule.h"
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

void seqc::families::addDeltaRuleFormModels(seq::DeltaRuleOp op,
                                            const HardwareModel &t,
                                            FormModels &models) {
  ArrayRef<int64_t> q = shapeOf(op.getQ()), v = shapeOf(op.getV());
  double B = batchOf(q), H = q[2], dk = q[3], dv = v[3];
  int64_t T = stepsOf(q);
  double io = B * T * H * (2 * dk + 2 * dv + 2) * elementBytes(op.getQ());
  std::string name = op->getName().getStringRef().str();
  bool gated = op.getGate() != nullptr;
  double chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise");
  // Per step: k^T S, the rank-one correction and the output (6 dk dv).
  models.candidates.push_back(
      matrixStateSequential(name, io, 6 * B * H * T * dk * dv, T, t));
  // The WY/UT form: per chunk of c steps K K^T (c^2 dk), the forward
  // substitution for (I + A)^{-1} (c^3), W and U (c^2 (dk + dv)), in the
  // chunk loop W S and K'^T V' (2 c dk dv), then Q' S_in (c dk dv) and the
  // scores and their product with V' (c^2 (dk + dv)). Sequential: c
  // substitution rows (one reduction each), three loop nests per chunk in
  // the chunk loop (-W S onto U, the decay, K'^T V'), and, with a gate, the
  // in-chunk cumulative sum.
  FormModel chunkwise{
      FormKind::chunkwise, name, {chunkVariable(T)}, {}, {}, {}};
  chunkwise.cost = [=](const TileConfig &config) {
    double c = *config.chunkSize;
    double chunks = std::ceil(T / c);
    double heads = B * H;
    double flops =
        2 * heads * chunks *
        (c * c * dk + c * c * c + 2 * c * c * (dk + dv) + 3 * c * dk * dv);
    double bytes = io + chunkIntermediateBytes(heads, chunks, c, dk, dv, 10, 5);
    double steps = 3 * chunks + c + (gated ? c : 0);
    return cost(FormKind::chunkwise, bytes, flops, steps, 20, t, 0,
                loopNestTime(t), chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
}
