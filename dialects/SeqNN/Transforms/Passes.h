//===- Passes.h - seqnn passes ---------------------------------*- C++ -*-===//
#ifndef SEQC_DIALECTS_SEQNN_TRANSFORMS_PASSES_H
#define SEQC_DIALECTS_SEQNN_TRANSFORMS_PASSES_H

#include "dialects/Seq/IR/SeqOps.h"
#include "dialects/SeqNN/IR/SeqNNDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace seqc::seqnn {

/// elman, lstm, gru, slstm -> seq.recurrence with a hoisted projection.
void populateExpandClassicRNNPatterns(mlir::RewritePatternSet &patterns);
/// mamba, rglru -> seq.linear_scan; lru, s4d -> seq.scan.
void populateExpandStateSpacePatterns(mlir::RewritePatternSet &patterns);
/// retnet, gla, mamba2, deltanet, gated_deltanet, aaren, attention.
void populateExpandAttentionPatterns(mlir::RewritePatternSet &patterns);
/// All of the above.
void populateSeqNNExpandPatterns(mlir::RewritePatternSet &patterns);

/// The initial states a layer was given (empty when it starts from zeros).
/// With its input (operand 0) they are the operands with a batch dimension
/// (dimension 0); every result has one.
llvm::SmallVector<mlir::Value> initialStatesOf(mlir::Operation *op);

#define GEN_PASS_DECL
#include "dialects/SeqNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/SeqNN/Transforms/Passes.h.inc"

} // namespace seqc::seqnn

#endif // SEQC_DIALECTS_SEQNN_TRANSFORMS_PASSES_H
