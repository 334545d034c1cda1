//===- Passes.h - form selection and tuning passes -------------*- C++ -*-===//
#ifndef SEQC_AUTOTUNE_PASSES_H
#define SEQC_AUTOTUNE_PASSES_H

#include "mlir/Pass/Pass.h"

namespace seqc::autotune {

#define GEN_PASS_DECL
#include "autotune/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "autotune/Passes.h.inc"

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_PASSES_H
