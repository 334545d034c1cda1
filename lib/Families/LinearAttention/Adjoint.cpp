//===- Adjoint.cpp - the derivative rule of seq.linear_attention ----------===//
//
// For now by its sequential definition: the op becomes, in the forward
// computation, the recurrence S_t = diag(exp g_t) S_{t-1} + k_t v_t^T,
// o_t = scale S_t^T q_t over tensors, which is then differentiated like
// any recurrence (backpropagation through time with the step recomputed,
// the matrix state of every step kept). Exact for every gate kind, but it
// keeps T matrix states and runs one step at a time: the chunkwise backward
// of the GLA paper (reverse chunk recurrence of dS, intra-chunk matmuls, the
// gate cotangents by cumulative sums) is not built yet.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearAttention/LinearAttention.h"
#include "lib/Families/Recurrence/Recurrence.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "seqc/Differentiation/MatrixStateSteps.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

LogicalResult families::buildLinearAttentionAdjoint(LinearAttentionOp op,
                                                    ad::AdjointBuilder &adjoints) {
  double scale = attentionScale(op.getScaleAttr(), op.getK());
  Type outputElement =
      cast<RankedTensorType>(op.getOutput().getType()).getElementType();
  SmallVector<Value> inputs = {op.getQ(), op.getK(), op.getV()};
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
                                           gated ? step[3] : Value(),
                                           /*beta=*/Value(),
                                           /*deltaRule=*/false);
        return {next, ad::matrixStateReadout(b, loc, next, step[0], scale,
                                             outputElement)};
      },
      adjoints);
}
