//===- GateBlocks.h - sub-blocks of the vector-gate chunk form --*- C++ -*-===//
//
// A vector gate decays each key channel at its own rate, so the intra-chunk
// scores A[i, j] = sum_d q_id k_jd exp(L_id - L_jd) (L the inclusive
// cumulative log gate inside the chunk) are not a matmul as written.
// Sub-blocks of c steps (c divides C) make most of them one: for key block
// s before query block r, with R_s the L at the end of block s and
// P_r = R_{r-1} the L at the start of block r,
//
//   exp(L_i - L_j) = exp(L_i - P_r) * exp(P_r - R_s) * exp(R_s - L_j),
//
// three factors with exponents <= 0 (fla's secondary chunking), so the
// off-diagonal blocks are one batched matmul of rescaled keys and queries.
// Only the c x c diagonal blocks take exp(L_i - L_j) per channel. No
// exponent is ever positive: nothing overflows, whatever the gates (never
// exp of a cumulative sum alone, fla issue 77).
//
// The forward chunkwise lowering and the chunkwise derivative rule share
// these pieces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_LINEARATTENTION_GATEBLOCKS_H
#define SEQC_FAMILIES_LINEARATTENTION_GATEBLOCKS_H

#include "lib/Conversion/SeqToLoops/ChunkSupport.h"

namespace seqc::families {

/// The sub-blocks of chunks of C steps with a per-channel log decay.
struct GateBlocks {
  int64_t M, C, DK;
  int64_t c;     ///< steps per sub-block: a divisor of C
  int64_t count; ///< sub-blocks per chunk: C / c
  mlir::Value L; ///< [M, count, c, DK] f64: the in-chunk cumulative log gate
  mlir::Value R; ///< [M, count, DK]: L at each block's end (null: one block)
  mlir::Value P; ///< [M, count, DK]: L at its start, 0 for the first
};

/// The sub-block length for chunks of C: a divisor of C near
/// max(16, sqrt(C)). The off-diagonal work and memory grow as C^2 / c, the
/// diagonal blocks' per-channel exponentials as C c.
int64_t subBlockSize(int64_t C);

/// The sub-blocks of `L` ([M, C, DK] f64, from inChunkCumsum).
GateBlocks gateBlocks(LoopBuilder &lb, mlir::Value L);

/// A^T[m, j, i] for key j in a block before query i's, else 0 ([M, C, C]),
/// from one batched matmul on `operands`; null when a chunk is one block.
/// `q`, `k` are [M, C, DK] f32.
mlir::Value offDiagonalScoresT(LoopBuilder &lb, const GateBlocks &blocks,
                               mlir::Value q, mlir::Value k,
                               mlir::Type operands);

/// A^T within each diagonal block: [M, count, c (j), c (i)], zero above
/// the diagonal (j > i), exponent by exponent.
mlir::Value diagonalScoresT(LoopBuilder &lb, const GateBlocks &blocks,
                            mlir::Value q, mlir::Value k);

} // namespace seqc::families

#endif // SEQC_FAMILIES_LINEARATTENTION_GATEBLOCKS_H
