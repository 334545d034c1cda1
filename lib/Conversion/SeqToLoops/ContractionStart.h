//===- ContractionStart.h - a microkernel's accumulator start ---*- C++ -*-===//
//
// What C holds when a register-tiled contraction starts, when the op just
// before it wrote it: a scalar (a fill, or a copy of a buffer only ever
// filled) or a row broadcast over C's rows (a projection's bias). The
// microkernel's accumulators then start from it, and that write goes
// (seq-register-tile-contractions).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_SEQTOLOOPS_CONTRACTIONSTART_H
#define SEQC_CONVERSION_SEQTOLOOPS_CONTRACTIONSTART_H

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

namespace seqc {

struct ContractionStart {
  /// An f32 scalar, or a contiguous f32 row [N]; at most one is set.
  mlir::Value scalar, row;
  /// The write they replace; null when C's own values are the start.
  mlir::Operation *writer = nullptr;
};

/// The start of contraction `op` writing buffer `c`.
ContractionStart findContractionStart(mlir::linalg::LinalgOp op,
                                      mlir::Value c);

/// Erases the write the accumulators now start from; when it was a copy,
/// also what wrote its source once no other copy reads it (a 32 MiB
/// broadcast of a projection's bias, written for nothing otherwise).
void eraseStartWriter(mlir::Operation *writer);

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_CONTRACTIONSTART_H
