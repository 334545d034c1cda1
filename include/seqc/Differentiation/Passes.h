//===- Passes.h - seqc differentiation passes -------------------*- C++ -*-===//
#ifndef SEQC_DIFFERENTIATION_PASSES_H
#define SEQC_DIFFERENTIATION_PASSES_H

#include "dialects/Seq/IR/SeqDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace seqc {

#define GEN_PASS_DECL
#include "lib/Differentiation/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Differentiation/Passes.h.inc"

} // namespace seqc

#endif // SEQC_DIFFERENTIATION_PASSES_H
