//===- Families.h - register every seq primitive's family ------*- C++ -*-===//
#ifndef SEQC_FAMILIES_FAMILIES_H
#define SEQC_FAMILIES_FAMILIES_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace seqc {

/// Attaches each seq primitive's lowering, cost model and reference
/// evaluation (lib/Families/<Family>) to its op. Every context that runs
/// seq-lower-forms, seq-select-form or the reference needs it;
/// seqc::registerAllDialects calls it.
void registerSeqFamilies(mlir::DialectRegistry &registry);

} // namespace seqc

#endif // SEQC_FAMILIES_FAMILIES_H
