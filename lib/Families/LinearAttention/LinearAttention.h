//===- LinearAttention.h - the seq.linear_attention family ----------------===//
//
// S_t = diag(alpha_t) S_{t-1} + k_t v_t^T (linear attention, RetNet,
// Mamba-2, GLA).
//
// Everything about this primitive besides its definition in the dialect:
// its form lowerings (one file per form), its cost models (CostModel.cpp),
// its reference evaluation and input roles (Reference.cpp); Family.cpp
// attaches them to the op as external models of the generic interfaces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_LINEARATTENTION_H
#define SEQC_FAMILIES_LINEARATTENTION_H

#include "autotune/CostModel.h"
#include "seqc/Evaluation/InputRole.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"

#include "dialects/Seq/IR/SeqOps.h"

namespace seqc::ad {
class AdjointBuilder;
} // namespace seqc::ad

namespace mlir {
class DialectRegistry;
class RewritePatternSet;
} // namespace mlir

namespace seqc::families {

/// The form lowerings, one pattern each (seq-lower-forms).
void populateLinearAttentionSequentialPatterns(
    mlir::RewritePatternSet &patterns);
void populateLinearAttentionChunkwisePatterns(
    mlir::RewritePatternSet &patterns);

/// The models of its forms on a target (seq-select-form, explain, tune).
void addLinearAttentionFormModels(seq::LinearAttentionOp op,
                                  const autotune::HardwareModel &target,
                                  autotune::FormModels &models);

/// Its value on the reference interpreter, and its operands' input roles.
llvm::LogicalResult
evaluateLinearAttention(seq::LinearAttentionOp op,
                        eval::ReferenceEvaluator &evaluator);
eval::InputRole linearAttentionInputRole(seq::LinearAttentionOp op,
                                         mlir::OpOperand &operand);

/// Its derivative rule (Adjoint.cpp; seq-differentiate): the chunkwise
/// backward (ChunkwiseAdjoint.cpp, chunks of `chunk` steps) unless the op
/// is written in the sequential form.
llvm::LogicalResult buildLinearAttentionAdjoint(seq::LinearAttentionOp op,
                                                ad::AdjointBuilder &adjoints);
llvm::LogicalResult
buildLinearAttentionChunkwiseAdjoint(seq::LinearAttentionOp op, int64_t chunk,
                                     ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.linear_attention (lib/Families/Families.cpp).
void registerLinearAttentionFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_LINEARATTENTION_H
