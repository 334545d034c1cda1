//===- SoftmaxAttention.h - the seq.softmax_attention family --------------===//
//
// Causal softmax attention; with a time-invariant query, Aaren's scan.
//
// Everything about this primitive besides its definition in the dialect:
// its form lowerings (one file per form), its cost models (CostModel.cpp),
// its reference evaluation and input roles (Reference.cpp); Family.cpp
// attaches them to the op as external models of the generic interfaces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_SOFTMAXATTENTION_H
#define SEQC_FAMILIES_SOFTMAXATTENTION_H

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
void populateSoftmaxAttentionSequentialPatterns(
    mlir::RewritePatternSet &patterns);
void populateSoftmaxAttentionPrefixPatterns(mlir::RewritePatternSet &patterns);
void populateSoftmaxAttentionChunkwisePatterns(
    mlir::RewritePatternSet &patterns);

/// The models of its forms on a target (seq-select-form, explain, tune).
void addSoftmaxAttentionFormModels(seq::SoftmaxAttentionOp op,
                                   const autotune::HardwareModel &target,
                                   autotune::FormModels &models);

/// Its value on the reference interpreter, and its operands' input roles.
llvm::LogicalResult
evaluateSoftmaxAttention(seq::SoftmaxAttentionOp op,
                         eval::ReferenceEvaluator &evaluator);
eval::InputRole softmaxAttentionInputRole(seq::SoftmaxAttentionOp op,
                                          mlir::OpOperand &operand);

/// Its derivative rule (Adjoint.cpp; seq-differentiate).
llvm::LogicalResult buildSoftmaxAttentionAdjoint(seq::SoftmaxAttentionOp op, ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.softmax_attention (lib/Families/Families.cpp).
void registerSoftmaxAttentionFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_SOFTMAXATTENTION_H
