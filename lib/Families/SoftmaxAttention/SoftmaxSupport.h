//===- SoftmaxSupport.h - pieces the softmax forms share --------*- C++ -*-===//
//
// The key/value cache, the shifted softmax weight, scores and the final
// normalization, shared by the sequential and chunkwise (flash) forms of
// seq.softmax_attention with a per-step query.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_SOFTMAXATTENTION_SOFTMAXSUPPORT_H
#define SEQC_FAMILIES_SOFTMAXATTENTION_SOFTMAXSUPPORT_H

#include "dialects/Utils/LoopBuilder.h"

#include "dialects/Seq/IR/SeqOps.h"

namespace seqc {

/// P: the steps a per-step-query softmax_attention's `init` caches (0
/// without one), as an index.
mlir::Value cachedSteps(LoopBuilder &lb, seq::SoftmaxAttentionOp op);

/// The key and value caches the op returns, [B, P + T, H, d]: its `init`
/// followed by this call's keys and values. Every query attends to them
/// (step t to the first P + t + 1).
std::pair<mlir::Value, mlir::Value>
extendKeyValueCache(LoopBuilder &lb, seq::SoftmaxAttentionOp op);

/// exp(scale * score - max) where `visible`, else 0: the unnormalized
/// softmax weight of one key, shifted by the running maximum.
mlir::Value softmaxWeight(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type compute, double scale, mlir::Value score,
                          mlir::Value max, mlir::Value visible);

/// The op's output [B, T, H, dv] = numerators [B, H, T, dv] / denominators
/// [B, H, T], in the output's element type. One reciprocal per step and
/// head, not one division per element: a GPU kernel that coarsens the
/// output loop would otherwise hold a dozen IEEE divisions (ptxas's slow
/// path spills).
mlir::Value normalizeAttention(LoopBuilder &lb, seq::SoftmaxAttentionOp op,
                               mlir::Value numerators,
                               mlir::Value denominators);

/// scores[b, h, t, p] = q[b, t, h, :] . keys[b, p, h, :] in `compute`.
mlir::Value attentionScores(LoopBuilder &lb, mlir::Value q, mlir::Value keys,
                            mlir::Type compute);

} // namespace seqc

#endif // SEQC_FAMILIES_SOFTMAXATTENTION_SOFTMAXSUPPORT_H
