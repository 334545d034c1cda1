//===- Adjoint.cpp - the derivative rule of seq.delta_rule ----------------===//
//
// For now by its sequential definition: the op becomes, in the forward
// computation, the recurrence
//   S_t = exp(g_t) (S_{t-1} - beta_t k_t (k_t^T S_{t-1})) + beta_t k_t v_t^T,
//   o_t = scale S_t^T q_t
// over tensors, which is then differentiated like any recurrence (with
// negative eigenvalues alike: beta in [0, 2] changes nothing here). Exact,
// but it keeps T matrix states and runs one step at a time: the chunkwise
// WY/UT backward of DeltaNet is not built yet.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/DeltaRule/DeltaRule.h"
#include "lib/Families/Recurrence/Recurrence.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "seqc/Differentiation/MatrixStateSteps.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

LogicalResult families::buildDeltaRuleAdjoint(DeltaRuleOp op,
                                              ad::AdjointBuilder &adjoints) {
  double scale = attentionScale(op.getScaleAttr(), op.getK());
  Type outputElement =
      cast<RankedTensorType>(op.getOutput().getType()).getElementType();
  SmallVector<Value> inputs = {op.getQ(), op.getK(), op.getV(), op.getBeta()};
  bool gated = op.getGate() != nullptr;
  if (gated)
    inputs.push_back(op.getGate());
  SmallVector<Value> inits;
  if (op.getInit())
    inits.push_back(op.getInit());
  return differentiateAsRecurrence(
      op, inputs, inits,
      [&](OpBuilder &b, Location loc, ValueRange step, ValueRange states)
          -> SmallVector<Value> {
        Value state = states[0];
        Value next = ad::matrixStateUpdate(b, loc, state, step[1], step[2],
                                           gated ? step[4] : Value(), step[3],
                                           /*deltaRule=*/true);
        return {next, ad::matrixStateReadout(b, loc, next, step[0], scale,
                                             outputElement)};
      },
      adjoints);
}
