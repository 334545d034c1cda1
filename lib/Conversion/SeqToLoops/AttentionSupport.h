//===- AttentionSupport.h - pieces shared by attention forms ----*- C++ -*-===//
#ifndef SEQC_CONVERSION_SEQTOLOOPS_ATTENTIONSUPPORT_H
#define SEQC_CONVERSION_SEQTOLOOPS_ATTENTIONSUPPORT_H

#include "lib/Utils/LoopBuilder.h"

#include "dialects/Seq/IR/SeqOps.h"

namespace seqc {

/// The `scale` attribute, or 1/sqrt(dk) (static, see formLoweringBlocker).
double attentionScale(mlir::FloatAttr scale, mlir::Value key);

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

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_ATTENTIONSUPPORT_H
