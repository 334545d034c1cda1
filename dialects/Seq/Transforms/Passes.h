//===- Passes.h - seq dialect passes ---------------------------*- C++ -*-===//
#ifndef SEQC_DIALECTS_SEQ_TRANSFORMS_PASSES_H
#define SEQC_DIALECTS_SEQ_TRANSFORMS_PASSES_H

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Pass/Pass.h"

namespace seqc::seq {

#define GEN_PASS_DECL
#include "dialects/Seq/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dialects/Seq/Transforms/Passes.h.inc"

} // namespace seqc::seq

#endif // SEQC_DIALECTS_SEQ_TRANSFORMS_PASSES_H
