//===- SeqToGPU.h - seq ops and loop nests to GPU kernels -------*- C++ -*-===//
#ifndef SEQC_CONVERSION_SEQTOGPU_H
#define SEQC_CONVERSION_SEQTOGPU_H

#include "dialects/Seq/IR/SeqDialect.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace seqc {

/// Shared memory every kernel may use without raising its limit: static
/// shared memory (more is dynamic, up to the chip's opt-in limit).
constexpr int64_t kStaticSharedBytes = 48 * 1024;

/// Threads per block of a persistent (fused-variant) kernel.
constexpr int64_t kPersistentBlockThreads = 256;

/// The block tile of seq-contractions-to-mma's kernel for an M x N
/// product over `batch` (M a multiple of 16, N of 8): the most of 64, 32,
/// 16 rows and 64, 32, 16, 8 columns that divide M and N, narrowed
/// (columns down to 16, then rows) while the grid has fewer blocks than
/// `multiprocessors`. The cost model reads it too: each column block
/// re-reads A, each row block B.
struct MmaBlockTile {
  int64_t rows = 16, columns = 8;
};
inline MmaBlockTile mmaBlockTile(int64_t M, int64_t N, int64_t batch,
                                 int64_t multiprocessors) {
  auto largestDividing = [](int64_t size, std::initializer_list<int64_t> of) {
    for (int64_t choice : of)
      if (size % choice == 0)
        return choice;
    return int64_t(0);
  };
  MmaBlockTile tile{largestDividing(M, {64, 32, 16}),
                    largestDividing(N, {64, 32, 16, 8})};
  auto blocks = [&] { return (N / tile.columns) * (M / tile.rows) * batch; };
  while (blocks() < multiprocessors && tile.columns > 16)
    tile.columns /= 2;
  while (blocks() < multiprocessors && tile.rows > 16)
    tile.rows /= 2;
  return tile;
}

/// The buffer `value` is a view of, through view ops and
/// extract_strided_metadata.
mlir::Value underlyingBuffer(mlir::Value value);

/// What the linear_scan kernels use where the form leaves a tile out.
constexpr int64_t kDefaultScanBlockThreads = 256;
constexpr int64_t kDefaultScanItemsPerThread = 4;
constexpr int64_t kDefaultScanChunkSize = 64;

#define GEN_PASS_DECL
#include "lib/Conversion/GPUPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Conversion/GPUPasses.h.inc"

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOGPU_H
