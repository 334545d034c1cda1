//===- DeltaRule.h - the seq.delta_rule family ----------------------------===//
//
// S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T
// (DeltaNet, Gated DeltaNet).
//
// Everything about this primitive besides its definition in the dialect:
// its form lowerings (one file per form), its cost models (CostModel.cpp),
// its reference evaluation and input roles (Reference.cpp); Family.cpp
// attaches them to the op as external models of the generic interfaces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_DELTARULE_H
#define SEQC_FAMILIES_DELTARULE_H

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
void populateDeltaRuleSequentialPatterns(mlir::RewritePatternSet &patterns);
void populateDeltaRuleChunkwisePatterns(mlir::RewritePatternSet &patterns);

/// The models of its forms on a target (seq-select-form, explain, tune).
void addDeltaRuleFormModels(seq::DeltaRuleOp op,
                            const autotune::HardwareModel &target,
                            autotune::FormModels &models);

/// Its value on the reference interpreter, and its operands' input roles.
llvm::LogicalResult evaluateDeltaRule(seq::DeltaRuleOp op,
                                      eval::ReferenceEvaluator &evaluator);
eval::InputRole deltaRuleInputRole(seq::DeltaRuleOp op,
                                   mlir::OpOperand &operand);

/// Its derivative rule (Adjoint.cpp; seq-differentiate): the chunkwise
/// WY/UT backward (ChunkwiseAdjoint.cpp, chunks of `chunk` steps) unless
/// the op is written in the sequential form.
llvm::LogicalResult buildDeltaRuleAdjoint(seq::DeltaRuleOp op,
                                          ad::AdjointBuilder &adjoints);
llvm::LogicalResult buildDeltaRuleChunkwiseAdjoint(seq::DeltaRuleOp op,
                                                   int64_t chunk,
                                                   ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.delta_rule (lib/Families/Families.cpp).
void registerDeltaRuleFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_DELTARULE_H
