//===- StepResiduals.h - what a recurrence keeps per step ------*- C++ -*-===//
//
// Helpers of seq.recurrence's derivative rule (Adjoint.cpp): the forward op
// rewritten to output per step what its backward reads.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_RECURRENCE_STEPRESIDUALS_H
#define SEQC_FAMILIES_RECURRENCE_STEPRESIDUALS_H

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

namespace seqc::ad {
class AdjointBuilder;
} // namespace seqc::ad

namespace seqc::families {

/// [B, X...] -> [B, T, X...].
mlir::RankedTensorType sequenceOf(mlir::Type state, int64_t steps);

/// The recurrence's length (from its first input or output), or dynamic.
int64_t stepsOf(seq::RecurrenceOp op);

/// Replaces `op` by a recurrence with the same body and one more output per
/// value of `extra` (values of its body); `outputs`, values of op's
/// outputs, are updated to the new op's. Returns the new outputs; with no
/// `extra`, leaves `op` as it is.
llvm::SmallVector<mlir::Value>
withMoreOutputs(seq::RecurrenceOp &op, mlir::ValueRange extra,
                llvm::SmallVectorImpl<mlir::Value> &outputs,
                ad::AdjointBuilder &adjoints);

/// The output of `op` that holds its state `j` after every step (an output
/// its body yields the state's next value as), if any.
std::optional<unsigned> outputHoldingState(seq::RecurrenceOp op, unsigned j);

/// The states after every step, as sequences; rewrites `op` to output the
/// ones it does not already yield as outputs.
llvm::SmallVector<mlir::Value> keepStatesPerStep(seq::RecurrenceOp &op,
                                                 ad::AdjointBuilder &adjoints);

/// Rows first: [nb, B, X] -> [B, nb, X] for a batch_matmul's operands.
mlir::Value rowsFirst(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      bool batched);

/// Rewrites `op` to also output, per step, the product of each of
/// `contractions` (ops of its body), rows first, marked seq.kept_products;
/// returns those sequences. `outputs` are updated as by withMoreOutputs.
llvm::SmallVector<mlir::Value>
keepProductsPerStep(seq::RecurrenceOp &op,
                    llvm::ArrayRef<mlir::linalg::LinalgOp> contractions,
                    llvm::SmallVectorImpl<mlir::Value> &outputs,
                    ad::AdjointBuilder &adjoints);

} // namespace seqc::families

#endif // SEQC_FAMILIES_RECURRENCE_STEPRESIDUALS_H
