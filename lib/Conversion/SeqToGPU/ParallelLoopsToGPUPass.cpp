//===- ParallelLoopsToGPUPass.cpp - seq-parallel-loops-to-gpu -------------===//
//
// Upstream's gpu-map-parallel-loops maps loop dimensions one-to-one onto
// grid and block dimensions, which gives one thread per block for a single
// parallel loop and drops dimensions beyond three. Linearizing the whole
// iteration space and cutting it into blocks of a fixed thread count fits
// any rank and keeps the innermost dimension on consecutive threads.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace seqc {
#define GEN_PASS_DEF_SEQPARALLELLOOPSTOGPU
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// The loop dimension to run inside each thread instead of across threads,
/// or -1: a dimension other than the innermost with a small constant trip
/// count whose induction variable some load inside a reduction loop does
/// not use. A thread then walks that dimension and reuses the loaded value
/// (an RNN step's h R: each thread computes all B rows of its column and
/// reads R once, instead of B threads each reading it from L2). Only while
/// a thread's serial work (trip count times reduction length) stays within
/// `maxWork`: on the H200, 16 rows x 768-long dot products per thread ran
/// 2x slower than one row per thread (too few warps to hide latency),
/// 16 x 64 ran faster.
int64_t coarsenedDim(scf::ParallelOp loop, int64_t maxTrip, int64_t maxWork) {
  int64_t rank = loop.getInductionVars().size();
  int64_t reductionLength = 0;
  bool unknownLength = false;
  loop.getBody()->walk([&](scf::ForOp inner) {
    if (std::optional<APInt> trip = inner.getStaticTripCount())
      reductionLength = std::max(reductionLength, trip->getSExtValue());
    else
      unknownLength = true;
  });
  if (reductionLength == 0 || unknownLength || rank < 2)
    return -1;
  int64_t best = -1, bestTrip = 1;
  for (int64_t d = 0; d + 1 < rank; ++d) {
    std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()[d]);
    std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound()[d]);
    std::optional<int64_t> st = getConstantIntValue(loop.getStep()[d]);
    if (!lb || !ub || !st || *st <= 0)
      continue;
    int64_t trip = (*ub - *lb + *st - 1) / *st;
    if (trip < 2 || trip > maxTrip || trip <= bestTrip ||
        trip * reductionLength > maxWork)
      continue;
    Value iv = loop.getInductionVars()[d];
    bool reuse = false;
    loop.getBody()->walk([&](scf::ForOp inner) {
      inner.getBody()->walk([&](memref::LoadOp load) {
        if (!llvm::is_contained(load.getIndices(), iv) &&
            load.getMemref().getParentRegion()->isProperAncestor(
                &loop.getRegion()))
          reuse = true;
      });
    });
    if (reuse) {
      best = d;
      bestTrip = trip;
    }
  }
  return best;
}

LogicalResult launchParallelLoop(scf::ParallelOp loop, int64_t blockThreads,
                                 int64_t coarsenMax, int64_t coarsenWork,
                                 int64_t minBlocks) {
  if (!loop.getInitVals().empty())
    return loop.emitOpError()
           << "has reductions, which seq-parallel-loops-to-gpu does not map "
              "to kernels yet";
  ImplicitLocOpBuilder b(loop.getLoc(), loop);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  int64_t coarsened = coarsenedDim(loop, coarsenMax, coarsenWork);
  SmallVector<Value> trips;
  Value total = index(1);
  std::optional<int64_t> staticTotal = 1;
  for (auto [d, bounds] : llvm::enumerate(llvm::zip(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))) {
    auto [lb, ub, step] = bounds;
    Value span = arith::SubIOp::create(b, ub, lb);
    Value trip = arith::CeilDivUIOp::create(b, span, step);
    trips.push_back(trip);
    if (int64_t(d) == coarsened)
      continue;
    total = arith::MulIOp::create(b, total, trip);
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           st = getConstantIntValue(step);
    if (staticTotal && l && u && st && *st > 0)
      *staticTotal *= (*u - *l + *st - 1) / *st;
    else
      staticTotal.reset();
  }
  // Few threads in all (a coarsened RNN step): smaller blocks, down to a
  // warp, so that they spread over more multiprocessors.
  if (std::optional<int64_t> count = staticTotal) {
    constexpr int64_t kWarp = 32;
    while (blockThreads > kWarp &&
           (*count + blockThreads - 1) / blockThreads < minBlocks)
      blockThreads /= 2;
  }
  Value threads = index(blockThreads);
  Value grid = arith::CeilDivUIOp::create(b, total, threads);
  Value one = index(1);
  auto launch =
      gpu::LaunchOp::create(b, grid, one, one, threads, one, one);
  launch->setAttr("seq.kernel", b.getStringAttr("parallel_loop"));
  b.setInsertionPointToStart(&launch.getBody().front());
  Value linear = arith::AddIOp::create(
      b, arith::MulIOp::create(b, launch.getBlockIds().x, threads),
      launch.getThreadIds().x);
  Value inRange =
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, linear, total);
  auto guard = scf::IfOp::create(b, inRange, /*withElse=*/false);
  gpu::TerminatorOp::create(b);
  b.setInsertionPointToStart(&guard.getThenRegion().front());
  IRMapping mapping;
  Value rest = linear;
  int64_t outermost = coarsened == 0 ? 1 : 0;
  for (int64_t d = trips.size() - 1; d >= 0; --d) {
    if (d == coarsened)
      continue;
    Value position = d != outermost
                         ? arith::RemUIOp::create(b, rest, trips[d]).getResult()
                         : rest;
    if (d != outermost)
      rest = arith::DivUIOp::create(b, rest, trips[d]);
    Value iv = arith::AddIOp::create(
        b, loop.getLowerBound()[d],
        arith::MulIOp::create(b, position, loop.getStep()[d]));
    mapping.map(loop.getInductionVars()[d], iv);
  }
  if (coarsened >= 0) {
    // The coarsened dimension: a loop inside the thread, unrolled and
    // jammed into the reduction by seq-promote-kernel-accumulators.
    auto inner = scf::ForOp::create(b, loop.getLowerBound()[coarsened],
                                    loop.getUpperBound()[coarsened],
                                    loop.getStep()[coarsened]);
    inner->setAttr("seq.coarsened", b.getUnitAttr());
    launch->setAttr("seq.coarsened_dim", b.getI64IntegerAttr(coarsened));
    mapping.map(loop.getInductionVars()[coarsened], inner.getInductionVar());
    b.setInsertionPointToStart(inner.getBody());
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  loop.erase();
  return success();
}

struct SeqParallelLoopsToGPUPass
    : seqc::impl::SeqParallelLoopsToGPUBase<SeqParallelLoopsToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
        outermost.push_back(loop);
        return WalkResult::skip();
      }
      return WalkResult::advance();
    });
    for (scf::ParallelOp loop : outermost)
      if (failed(launchParallelLoop(loop, blockThreads, coarsenMax,
                                    coarsenWork, minBlocks)))
        return signalPassFailure();
  }
};
} // namespace
