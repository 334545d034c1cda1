//===- ContractionsToMmaPass.cpp - seq-contractions-to-mma ----------------===//
//
// A contraction on buffers with 16-bit float operands and an f32
// accumulator (what the chunked forms' batched matmuls are for bf16/f16
// outputs, see matmulOperandType) becomes one tiled tensor-core kernel:
//
//   grid  (N / BN, M / BM, batch), block = warps of 32 threads,
//   each warp a 16 x WN tile of the output in registers (WN / 8 fragments
//   of mma.sync.m16n8k16, f32 accumulators),
//   for every KS-deep slice of the reduction: the block stages its
//   BM x KS slice of A and BN x KS slice of B in shared memory (pairs of
//   consecutive k packed in 32-bit words, as the fragments hold them; rows
//   padded by 4 words so that the fragment reads of a warp hit 32 distinct
//   banks), a barrier, KS / 16 mma.sync steps per fragment, a barrier.
//
// The loops of the generic may be several per role (the reshape folding of
// the GPU pipeline's fusion splits M, N or K into dimensions of the
// buffers): batch, m, n and k indices are linearized and each element's
// buffer indices recovered through the operand's indexing map, so any
// projected-permutation layout works. Global loads are coalesced along
// whichever of (m or n, k) is the operand's contiguous dimension, 16 bytes
// at a time when strides allow (multiples of 8 elements): along k, one
// load of 8 k is, in memory order, four packed words (one 16-byte shared
// store); along m or n, loads of 8 rows at k and at k + 1 pack into a word
// per row. Otherwise (e.g. a batch-contiguous operand) pairs of 2-byte
// loads.
//
// Shapes that do not tile (M % 16, N % 8, K % 16) stay linalg and reach
// the GPU as SIMT loop nests, with a remark saying why.
//
// Fragment layouts: see MmaFragments.h.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToGPU/MmaContraction.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCONTRACTIONSTOMMA
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;
using namespace seqc::mma;

namespace {

/// The innermost scf.for around `op` that carries `attr`, if any.
/// The innermost recurrence time loop around `op`, if any.
scf::ForOp enclosingTimeLoop(Operation *op) {
  auto loop = op->getParentOfType<scf::ForOp>();
  while (loop && !seqc::seq::TimeLoopOf::get(loop))
    loop = loop->getParentOfType<scf::ForOp>();
  return loop;
}

struct ContractionsToMmaPass
    : seqc::impl::SeqContractionsToMmaBase<ContractionsToMmaPass> {
  using Base::Base;
  void runOnOperation() override {
    if (f32Terms < 1 || f32Terms > 3) {
      getOperation().emitError("seq-contractions-to-mma: f32-terms must be "
                               "1, 2 or 3, not ")
          << int64_t(f32Terms);
      return signalPassFailure();
    }
    if (failed(seqc::checkPassOption(getOperation(), getArgument(),
                                     "multiprocessors", multiprocessors, 1)))
      return signalPassFailure();
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) {
      // Inside a fused-variant time loop, contractions stay SIMT loop
      // nests, which the persistent kernel can run (a tensor-core kernel
      // needs its own blocks and barriers).
      scf::ForOp timeLoop = enclosingTimeLoop(op);
      if (!op->getParentOfType<gpu::LaunchOp>() &&
          !(timeLoop && seqc::isFusedTimeLoop(timeLoop)))
        generics.push_back(op);
    });
    for (linalg::GenericOp op : generics) {
      std::string why;
      // A time loop's form may choose its state's terms.
      int64_t terms = f32Terms;
      if (scf::ForOp loop = enclosingTimeLoop(op))
        terms = seqc::seq::TimeLoopOf::get(loop).getStateTerms().value_or(terms);
      FailureOr<Contraction> con = analyze(op, terms, why);
      if (failed(con)) {
        if (!why.empty())
          op.emitRemark("16-bit contraction not on tensor cores: ") << why;
        continue;
      }
      MmaTiling tiling = chooseTiling(*con, multiprocessors);
      ImplicitLocOpBuilder b(op.getLoc(), op);
      linalg::GenericOp fill = zeroFillOfOutput(op);
      buildMmaKernel(b, op, *con, tiling, bool(fill));
      op.erase();
      if (fill)
        fill.erase();
    }
  }
};

} // namespace
