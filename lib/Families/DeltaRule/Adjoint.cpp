//===- Adjoint.cpp - the derivative rule of seq.delta_rule ----------------===//
//
// Two backward forms, as the forward has:
//
// - chunkwise (ChunkwiseAdjoint.cpp): DeltaNet's WY/UT backward, batched
//   matmuls over all chunks and one reverse loop over them; it keeps
//   nothing but the op's inputs. It is the backward of every op not written
//   in the sequential form, with the forward's chunk size when one is
//   written, else 64 (the forward lowering's default), never more than T.
// - sequential, for an op written in it: the op becomes, in the forward
//   computation, the recurrence
//     S_t = exp(g_t) (S_{t-1} - beta_t k_t (k_t^T S_{t-1})) + beta_t k_t v_t^T,
//     o_t = scale S_t^T q_t
//   over tensors, differentiated like any recurrence (backpropagation
//   through time, every step's state kept).
//
// Negative eigenvalues (beta in [0, 2]) change nothing in either.
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
  FormAttr form = op.getFormAttr();
  if (!form || form.getKind() != FormKind::sequential) {
    int64_t steps = op.getQ().getType().getDimSize(1);
    int64_t chunk = form ? form.getChunkSize().value_or(64) : 64;
    return buildDeltaRuleChunkwiseAdjoint(
        op, std::max<int64_t>(1, std::min(chunk, steps)), adjoints);
  }
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
