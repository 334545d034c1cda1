//===- SeqOps.h - the seq primitives ---------------------------*- C++ -*-===//
#ifndef SEQC_DIALECTS_SEQ_IR_SEQOPS_H
#define SEQC_DIALECTS_SEQ_IR_SEQOPS_H

#include "dialects/Seq/IR/SeqDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace seqc::seq {
/// Human-readable list of form kinds, e.g. "sequential, prefix".
std::string formatFormKinds(llvm::ArrayRef<FormKind> kinds);
namespace detail {
/// Rejects a `form` attribute whose kind the op cannot be lowered to.
mlir::LogicalResult verifyFormOp(mlir::Operation *op);
} // namespace detail
} // namespace seqc::seq

#include "dialects/Seq/IR/SeqInterfaces.h.inc"

#define GET_OP_CLASSES
#include "dialects/Seq/IR/SeqOps.h.inc"

#endif // SEQC_DIALECTS_SEQ_IR_SEQOPS_H
