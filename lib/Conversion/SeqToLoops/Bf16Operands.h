//===- Bf16Operands.h - operands of the bf16 pair microkernels --*- C++ -*-===//
//
// A CPU with AVX-512 BF16 multiplies pairs of bf16 values into f32 lanes
// (vdpbf16ps: acc[j] += a[2j] b[2j] + a[2j+1] b[2j+1]). A contraction
// C[M, N] += A[M, K] B[K, N] uses it with B's rows packed in pairs (row p
// holds B[2p, j], B[2p+1, j] side by side for every column j) and A's pair
// (A[i, 2p], A[i, 2p+1]) broadcast as one 32-bit word. This file finds the
// bf16 values behind a contraction's operands (a recurrence's weights are
// an f32 buffer that only holds bf16 weights widened) and splits an f32 A
// into bf16 terms; B's pairs are packed by PackedPanels.h.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_LIB_CONVERSION_SEQTOLOOPS_BF16OPERANDS_H
#define SEQC_LIB_CONVERSION_SEQTOLOOPS_BF16OPERANDS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace seqc {

/// The bf16 buffer `buffer` reads: `buffer` itself when its elements are
/// bf16; for an f32 `buffer`, the bf16 function argument it only holds
/// widened: `buffer` is (expand/collapse views of) an allocation whose one
/// writer, before `user`, is a linalg.generic extending that argument
/// element by element and whose other users only read it. The views are
/// rebuilt on the argument at `builder`'s insertion point (or, with a null
/// builder, only the answer is given: a non-null Value means yes). Null
/// otherwise.
mlir::Value bf16ValuesOf(mlir::Value buffer, mlir::Operation *user,
                         mlir::OpBuilder *builder);

/// Whether nothing writes `buffer` while the function runs: (views of) a
/// function argument that no op writes.
bool isReadOnlyBuffer(mlir::Value buffer);

/// Whether `buffer` keeps the values it is first given: a read-only
/// argument, or (views of) an allocation that one linalg op writes and
/// every other user only reads (bufferization reuses a dead buffer for a
/// later value, which a reader further on must not take for the first).
bool holdsOneWrite(mlir::Value buffer);

/// The one linalg op that writes `buffer`, (views of) an allocation every
/// other user of which only reads it; else null.
mlir::Operation *soleWriter(mlir::Value buffer);

/// A [batch?, M, K] (or, transposed, [batch?, K, M]) f32 or bf16 as
/// `terms` bf16 terms whose sum is A (the first A rounded to bf16, each
/// next one what the terms before it left): a new buffer
/// [batch?, terms, M, K rounded up to even] (zero past K), rows contiguous
/// so that a pair loads as one 32-bit word. The caller deallocates it.
mlir::Value splitIntoBf16Terms(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value a, bool transposed, bool batched,
                               int64_t terms);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_SEQTOLOOPS_BF16OPERANDS_H
