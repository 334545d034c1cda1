//===- Adjoint.cpp - the derivative rule of seq.linear_attention ----------===//
//
// Two backward forms, as the forward has:
//
// - chunkwise (ChunkwiseAdjoint.cpp): the GLA paper's and fla's chunk
//   backward, batched matmuls over all chunks and two linear scans over
//   them; it keeps nothing but the op's inputs. It is the backward of every
//   op not written in the sequential form, with the forward's chunk size
//   when one is written (all T steps for the parallel form), else the
//   measured default below, never more than T.
// - sequential, for an op written in it: the op becomes, in the forward
//   computation, the recurrence S_t = diag(exp g_t) S_{t-1} + k_t v_t^T,
//   o_t = scale S_t^T q_t over tensors, which is then differentiated like
//   any recurrence (backpropagation through time with the step recomputed,
//   the matrix state of every step kept). The two are checked against each
//   other and the reference by the gradient tests.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearAttention/LinearAttention.h"
#include "lib/Families/Recurrence/Recurrence.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "seqc/Differentiation/MatrixStateSteps.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

/// The chunk length of the chunkwise backward when the op has no written
/// chunkwise form, by measurement on the CPU (benchmarks/README.md,
/// "Gradients on the CPU"): for a vector gate, chunks of 16 steps, one
/// sub-block each (B2 H4 T4096 d64: 223 ms against 294 / 312 ms for 32 /
/// 64); otherwise 64, the forward lowering's default (scalar gate: 152 ms,
/// 193 ms for 16).
static int64_t defaultBackwardChunk(GateKind gate) {
  return gate == GateKind::vector ? 16 : 64;
}

LogicalResult families::buildLinearAttentionAdjoint(LinearAttentionOp op,
                                                    ad::AdjointBuilder &adjoints) {
  FormAttr form = op.getFormAttr();
  int64_t steps = op.getQ().getType().getDimSize(1);
  if (!form || form.getKind() != FormKind::sequential) {
    int64_t chunk = defaultBackwardChunk(op.getGateKind());
    if (form && form.getKind() == FormKind::parallel)
      chunk = steps;
    else if (form)
      chunk = form.getChunkSize().value_or(chunk);
    return buildLinearAttentionChunkwiseAdjoint(
        op, std::max<int64_t>(1, std::min(chunk, steps)), adjoints);
  }
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
