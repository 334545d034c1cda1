//===- PromoteKernelAccumulatorsPass.cpp - seq-promote-kernel-accumulators ===//
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

namespace seqc {
#define GEN_PASS_DEF_SEQPROMOTEKERNELACCUMULATORS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

bool isInnermost(scf::ForOp loop) {
  bool hasInnerLoop = false;
  loop.getBody()->walk([&](scf::ForOp) { hasInnerLoop = true; });
  return !hasInnerLoop;
}

/// The load/store pairs of `loop` that read and write one element at
/// loop-invariant indices, when nothing else in the loop touches that
/// buffer.
SmallVector<std::pair<memref::LoadOp, memref::StoreOp>>
accumulators(scf::ForOp loop) {
  SmallVector<std::pair<memref::LoadOp, memref::StoreOp>> result;
  Block *body = loop.getBody();
  for (auto store : body->getOps<memref::StoreOp>()) {
    Value buffer = store.getMemref();
    if (!loop.isDefinedOutsideOfLoop(buffer) ||
        !llvm::all_of(store.getIndices(), [&](Value index) {
          return loop.isDefinedOutsideOfLoop(index);
        }))
      continue;
    memref::LoadOp load;
    bool otherAccess = false;
    loop.walk([&](Operation *op) {
      if (op == store.getOperation())
        return;
      if (auto l = dyn_cast<memref::LoadOp>(op); l && l.getMemref() == buffer) {
        if (!load && l->getBlock() == body && l->isBeforeInBlock(store) &&
            l.getIndices() == store.getIndices())
          load = l;
        else
          otherAccess = true;
      } else if (llvm::is_contained(op->getOperands(), buffer)) {
        otherAccess = true;
      }
    });
    if (load && !otherAccess)
      result.push_back({load, store});
  }
  return result;
}

void promote(IRRewriter &rewriter, scf::ForOp loop, int64_t unroll) {
  auto pairs = accumulators(loop);
  if (pairs.empty())
    return;
  // Jammed into a coarsened loop around it, the reduction is unrolled
  // there: keep it rolled here.
  if (auto parent = dyn_cast<scf::ForOp>(loop->getParentOp());
      parent && seqc::seq::CoarsenedMarker::isPresent(parent))
    unroll = 1;
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> inits;
  for (auto [load, store] : pairs)
    inits.push_back(memref::LoadOp::create(rewriter, load.getLoc(),
                                           load.getMemref(), load.getIndices()));
  auto newLoop = cast<scf::ForOp>(*loop.replaceWithAdditionalYields(
      rewriter, inits, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
        SmallVector<Value> yielded;
        for (auto [load, store] : pairs)
          yielded.push_back(store.getValueToStore());
        return yielded;
      }));
  unsigned first = newLoop.getNumResults() - pairs.size();
  rewriter.setInsertionPointAfter(newLoop);
  for (auto [i, pair] : llvm::enumerate(pairs)) {
    auto [load, store] = pair;
    rewriter.replaceAllUsesWith(load.getResult(),
                                newLoop.getRegionIterArgs()[first + i]);
    memref::StoreOp::create(rewriter, store.getLoc(),
                            newLoop.getResult(first + i), store.getMemref(),
                            store.getIndices());
    rewriter.eraseOp(store);
    rewriter.eraseOp(load);
  }
  if (unroll > 1)
    (void)loopUnrollByFactor(newLoop, unroll);
}

struct SeqPromoteKernelAccumulatorsPass
    : seqc::impl::SeqPromoteKernelAccumulatorsBase<
          SeqPromoteKernelAccumulatorsPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(seqc::checkPassOption(getOperation(), getArgument(), "unroll",
                                     unroll, 1)))
      return signalPassFailure();
    SmallVector<scf::ForOp> innermost;
    getOperation().walk([&](gpu::LaunchOp launch) {
      launch.walk([&](scf::ForOp loop) {
        if (isInnermost(loop))
          innermost.push_back(loop);
      });
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : innermost)
      promote(rewriter, loop, unroll);
    // Coarsened loops: fully unrolled and jammed into their reduction.
    SmallVector<scf::ForOp> coarsened;
    getOperation().walk([&](scf::ForOp loop) {
      if (seqc::seq::CoarsenedMarker::isPresent(loop))
        coarsened.push_back(loop);
    });
    for (scf::ForOp loop : coarsened) {
      std::optional<APInt> trip = loop.getStaticTripCount();
      if (!trip || trip->getSExtValue() <= 1)
        continue;
      // Tag the reductions: the jam rewrites (and may erase) `loop`.
      loop.getBody()->walk([&](scf::ForOp inner) {
        seqc::seq::JammedMarker::set(inner);
      });
      (void)loopUnrollJamByFactor(loop, trip->getSExtValue());
    }
    // The jammed reduction updates every accumulator per step; it is
    // unrolled like any other (H200: left rolled, a 16 x 768 x 3072 RNN
    // step with 4 rows per thread ran 2.2x slower than uncoarsened).
    SmallVector<scf::ForOp> jammed;
    getOperation().walk([&](scf::ForOp loop) {
      if (seqc::seq::JammedMarker::remove(loop))
        jammed.push_back(loop);
    });
    if (unroll > 1)
      for (scf::ForOp loop : jammed)
        if (isInnermost(loop))
          (void)loopUnrollByFactor(loop, unroll);
  }
};
} // namespace
