//===- Recurrence.h - the seq.recurrence family ---------------------------===//
//
// A nonlinear recurrence with a body region (LSTM, GRU, sLSTM cells).
//
// Everything about this primitive besides its definition in the dialect:
// its form lowerings (one file per form), its cost models (CostModel.cpp),
// its reference evaluation and input roles (Reference.cpp); Family.cpp
// attaches them to the op as external models of the generic interfaces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_RECURRENCE_H
#define SEQC_FAMILIES_RECURRENCE_H

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
void populateRecurrenceSequentialPatterns(mlir::RewritePatternSet &patterns);

/// The models of its forms on a target (seq-select-form, explain, tune).
void addRecurrenceFormModels(seq::RecurrenceOp op,
                             const autotune::HardwareModel &target,
                             autotune::FormModels &models);

/// Its value on the reference interpreter, and its operands' input roles.
llvm::LogicalResult evaluateRecurrence(seq::RecurrenceOp op,
                                       eval::ReferenceEvaluator &evaluator);
eval::InputRole recurrenceInputRole(seq::RecurrenceOp op,
                                    mlir::OpOperand &operand);

/// Its derivative rule (Adjoint.cpp; seq-differentiate).
llvm::LogicalResult buildRecurrenceAdjoint(seq::RecurrenceOp op, ad::AdjointBuilder &adjoints);

/// The derivative rule of a primitive with one output sequence and N states
/// (`op`'s results: the output, then the N final states) by its sequential
/// definition: `op` is replaced, in the forward computation, by the
/// seq.recurrence whose body `step` builds (the step inputs [B, ...] of
/// `inputs` and the N states -> the N next states, then the step's
/// output), starting from `inits` (empty: zeros), and that recurrence is
/// differentiated (buildRecurrenceAdjoint). The families whose chunkwise or
/// prefix backward is not built yet use it (linear_attention, delta_rule,
/// Aaren's softmax_attention).
using StepBuilder = llvm::function_ref<llvm::SmallVector<mlir::Value>(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange, mlir::ValueRange)>;
llvm::LogicalResult
differentiateAsRecurrence(mlir::Operation *op, mlir::ValueRange inputs,
                          mlir::ValueRange inits, StepBuilder step,
                          ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.recurrence (lib/Families/Families.cpp).
void registerRecurrenceFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_RECURRENCE_H
