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

/// The derivative rule of a primitive with one output sequence and one
/// state (`op`'s results, in that order) by its sequential definition:
/// `op` is replaced, in the forward computation, by the seq.recurrence
/// whose body `step` builds (step inputs [B, ...] of `inputs`, the state ->
/// the next state and the step's output), and that recurrence is
/// differentiated (buildRecurrenceAdjoint). The families whose chunkwise
/// backward is not built yet (linear_attention, delta_rule) use it.
using StepBuilder = llvm::function_ref<std::pair<mlir::Value, mlir::Value>(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange, mlir::Value)>;
llvm::LogicalResult
differentiateAsRecurrence(mlir::Operation *op, mlir::ValueRange inputs,
                          mlir::Value init, StepBuilder step,
                          ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.recurrence (lib/Families/Families.cpp).
void registerRecurrenceFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_RECURRENCE_H
