//===- InitAll.h - registration of everything seqc defines -----*- C++ -*-===//
#ifndef SEQC_INITALL_H
#define SEQC_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace seqc {

/// Adds the seq and seqnn dialects to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Registers every seqc pass and named pipeline with the global registry, so
/// that seq-opt and seqc see the same set.
void registerAllPasses();

} // namespace seqc

#endif // SEQC_INITALL_H
