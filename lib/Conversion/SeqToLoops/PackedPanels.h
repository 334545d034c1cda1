//===- PackedPanels.h - a microkernel's B packed in panels ------*- C++ -*-===//
//
// A register-blocked contraction C[M, N] += A[M, K] B[K, N] reads, for each
// block of C, a panel of B: `columns` columns over all K rows. In B's own
// layout the panel's rows lie N elements apart, so every reduction step
// touches a new page and, for N a multiple of a page's floats, the same
// cache sets: on a core whose caches fill from a strided stream poorly
// (a C probe of the 14 x 2 block on a Xeon, 1400 x 768 x 3072 on one core:
// 40 against 105 GFLOP/s) the kernel waits on B. Packed, a panel is one
// contiguous run that the block streams through.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_LIB_CONVERSION_SEQTOLOOPS_PACKEDPANELS_H
#define SEQC_LIB_CONVERSION_SEQTOLOOPS_PACKEDPANELS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace seqc {

/// scf.for nests over [0, upper) for each upper bound, innermost last
/// (upstream's scf::buildLoopNest with zero lower bounds and unit steps).
void loopNest(
    mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<mlir::Value> uppers,
    llvm::function_ref<void(mlir::OpBuilder &, mlir::ValueRange)> body);

/// B [batch?, K, N] copied into panels of `columns` columns: a new buffer
/// [batch?, ceil(N / columns), K, columns] whose panel p holds B's columns
/// p * columns up to (p + 1) * columns (the last panel's columns past N are
/// left undefined: the column tail's kernel masks them). The caller
/// deallocates it.
mlir::Value packPanels(mlir::OpBuilder &b, mlir::Location loc, mlir::Value rows,
                       int64_t columns);

/// B [batch?, K, N] bf16 in panels of `columns` columns of pairs of rows: a
/// new buffer [batch?, ceil(N / columns), ceil(K / 2), 2 columns] whose
/// element (p, q, 2c + s) is B[2q + s, p * columns + c] (zero past K) — the
/// two values of a column that vdpbf16ps multiplies side by side. The
/// caller deallocates it.
mlir::Value packPairPanels(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value rows, int64_t columns);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_SEQTOLOOPS_PACKEDPANELS_H
