//===- RegisterTileProblem.h - Z3 over a CPU microkernel's block -*- C++ -*-===//
//
// The register block of a CPU contraction C[M, N] += A[M, K] B[K, N]: rows
// of A broadcast against vectors of B's row, rows x vectors accumulators
// held in vector registers over the whole reduction. Z3 chooses rows and
// vectors under the register file (accumulators, B's vectors and one
// broadcast must fit) and the problem's extent, minimizing the modeled
// cycles of the whole contraction: per reduction step a block costs the
// most of its multiply-adds over the FMA units, its loads over the load
// ports, and the FMA latency (a step cannot finish before its accumulators'
// previous multiply-adds); the column and row tails are costed with the
// narrower and shorter kernels that compute them.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_REGISTERTILEPROBLEM_H
#define SEQC_AUTOTUNE_REGISTERTILEPROBLEM_H

#include "autotune/HardwareModel.h"

#include <optional>
#include <string>
#include <vector>

namespace seqc::autotune {

struct RegisterTile {
  int64_t rows = 0, vectors = 0, vectorWidth = 0;
  /// The pair kernel's terms (ContractionExtent::bf16Terms); 0: f32.
  int64_t bf16Terms = 0;
  /// Steps of K per reduction block (RegisterTileAttr's reduction_block);
  /// 0: the whole reduction at once.
  int64_t reductionBlock = 0;
  /// The f32 kernel reads B packed in panels (RegisterTileAttr's packed_b).
  bool packedB = false;
  /// Modeled cycles of the whole contraction.
  double cycles = 0;
};

/// The contraction's extent; `m` may be unknown (a dynamic row count), and
/// is then costed as `dynamicRows`: many for a projection over all steps
/// (a batch times a length), a batch's worth for a product inside a step
/// loop (its rows are the batch).
struct ContractionExtent {
  std::optional<int64_t> m;
  int64_t n = 0, k = 0;
  int64_t dynamicRows = 4096;
  /// The bf16 pair kernel (vdpbf16ps) with A as this many bf16 terms; 0:
  /// the f32 kernel. A pair step covers two steps of K with B's pairs in
  /// vectors of the same bytes, and takes a product per term.
  int64_t bf16Terms = 0;
  /// The microkernel runs the blocks of a column panel consecutively (few
  /// rows: registerTileColumnsOuter), not a row block's columns: B's panel
  /// is then reused from cache and the reduction is not blocked.
  bool columnsOuter = false;
  /// A packed copy of B would be made once for many runs of the
  /// contraction (its B is a recurrence's weights, packed before the time
  /// loop).
  bool packsOnce = false;
};

/// The reduction block of a contraction with the block `tile` on `cpu`, or
/// 0 for none. When each row block sweeps all of B and B is larger than
/// L2, B would stream from L3 or memory once per row block; Z3 then picks the
/// longest block of K whose rows of B fit in L2 (a multiple of 16, even for
/// pairs) and whose rereads of C (stored and loaded between blocks, from memory
/// when C too is larger than the cache) cost less memory traffic than B's
/// rereads save.
int64_t chooseReductionBlock(const ContractionExtent &extent,
                             const RegisterTile &tile,
                             const HardwareModel &cpu);

/// Whether the f32 kernel with block `tile` reads B packed in panels of
/// its columns: when B has more than one panel and does not fit in half of
/// L1 (where it stays whatever its layout), and the copy pays for itself:
/// made once for many runs of the contraction, or read by 4 row blocks or
/// more that each sweep the columns (each would otherwise stride through
/// B's rows; the copy costs about one such pass).
bool choosePackedB(const ContractionExtent &extent, const RegisterTile &tile,
                   const HardwareModel &cpu);

/// The cheapest feasible block on `cpu` (for the f32 kernel, or the bf16
/// pair kernel when `extent.bf16Terms` is set), or nothing with `why` set
/// to the constraints of the unsat core.
std::optional<RegisterTile> chooseRegisterTile(const ContractionExtent &extent,
                                               const HardwareModel &cpu,
                                               std::string &why);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_REGISTERTILEPROBLEM_H
