//===- SeqNNDialect.h - the seqnn dialect and its ops ----------*- C++ -*-===//
#ifndef SEQC_DIALECTS_SEQNN_IR_SEQNNDIALECT_H
#define SEQC_DIALECTS_SEQNN_IR_SEQNNDIALECT_H

#include "dialects/Seq/IR/SeqDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/SeqNN/IR/SeqNNDialect.h.inc"
#include "dialects/SeqNN/IR/SeqNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/SeqNN/IR/SeqNNAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/SeqNN/IR/SeqNNOps.h.inc"

#endif // SEQC_DIALECTS_SEQNN_IR_SEQNNDIALECT_H
