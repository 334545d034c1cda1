//===- FuzzContext.h - the MLIR contexts of the fuzz targets ---*- C++ -*-===//
//
// One context per fuzzing process (built on first use, single-threaded,
// diagnostics swallowed: an error is an expected outcome, a crash is not).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FUZZ_FUZZCONTEXT_H
#define SEQC_FUZZ_FUZZCONTEXT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <cstddef>
#include <cstdint>

namespace seqc::fuzz {

/// The dialects a model file is written in (seq, seqnn and the upstream
/// ones their bodies use); nothing else parses.
mlir::MLIRContext &modelContext();

/// Everything `seqc` registers: the model dialects plus what the pipelines
/// produce and the LLVM IR translations.
mlir::MLIRContext &compilerContext();

/// Parses `data` as a model file and verifies it; null when it does not
/// parse or verify (or hits the upstream parser crash seqc guards against).
mlir::OwningOpRef<mlir::ModuleOp> parseModel(const uint8_t *data, size_t size,
                                             mlir::MLIRContext &context);

} // namespace seqc::fuzz

#endif // SEQC_FUZZ_FUZZCONTEXT_H
