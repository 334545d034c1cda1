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
#include "seqc/Conversion/SeqToLoops.h"

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

/// A loop dimension to run partly inside each thread: `factor` consecutive
/// iterations of `dim` per thread. Chosen among the dimensions other than
/// the innermost with a constant trip count whose induction variable some
/// load inside a reduction loop does not use: a thread then reuses that
/// loaded value `factor` times (an RNN step's h R: each thread computes
/// `factor` batch rows of its column, R is read B / factor times instead of
/// B times). The factor is the largest divisor of the trip count up to
/// `maxFactor` that either leaves at least `minThreads` threads or keeps a
/// thread's serial work (factor x reduction length) within `maxWork`.
/// Measured on the H200: an LSTM input projection (50M outputs, K = 768)
/// ran 2.1x faster with 16 rows per thread; a 16 x 768 x 3072 RNN step
/// (49152 outputs) ran 2.2x (4 rows) and 3x (16 rows) slower, too few warps
/// left to hide latency; a 12-head step (K = 64) ran faster with 16.
struct Coarsening {
  int64_t dim = -1, factor = 1;
};

/// The trip count of every dimension of `loop` when all are constant.
std::optional<SmallVector<int64_t>> staticTripCounts(scf::ParallelOp loop) {
  SmallVector<int64_t> trips;
  for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(),
                                       loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           st = getConstantIntValue(step);
    if (!l || !u || !st || *st <= 0)
      return std::nullopt;
    trips.push_back((*u - *l + *st - 1) / *st);
  }
  return trips;
}

Coarsening chooseCoarsening(scf::ParallelOp loop,
                            ArrayRef<int64_t> trips, int64_t maxFactor,
                            int64_t minThreads, int64_t maxWork) {
  int64_t rank = loop.getInductionVars().size();
  int64_t reductionLength = 0;
  loop.getBody()->walk([&](scf::ForOp inner) {
    std::optional<APInt> trip = inner.getStaticTripCount();
    reductionLength = std::max(
        reductionLength, trip ? trip->getSExtValue() : int64_t(1) << 40);
  });
  if (reductionLength == 0 || rank < 2)
    return {};
  int64_t total = 1;
  for (int64_t trip : trips)
    total *= trip;
  Coarsening best;
  for (int64_t d = 0; d + 1 < rank; ++d) {
    int64_t factor = 1;
    for (int64_t f = std::min(maxFactor, trips[d]); f >= 2; --f)
      if (trips[d] % f == 0 &&
          (total / f >= minThreads || f * reductionLength <= maxWork)) {
        factor = f;
        break;
      }
    if (factor <= best.factor)
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
    if (reuse)
      best = {d, factor};
  }
  return best;
}

LogicalResult launchParallelLoop(scf::ParallelOp loop, int64_t blockThreads,
                                 int64_t coarsenMax, int64_t minThreads,
                                 int64_t coarsenWork, int64_t minBlocks) {
  if (!loop.getInitVals().empty())
    return loop.emitOpError()
           << "has reductions, which seq-parallel-loops-to-gpu does not map "
              "to kernels yet";
  ImplicitLocOpBuilder b(loop.getLoc(), loop);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  std::optional<SmallVector<int64_t>> staticTrips = staticTripCounts(loop);
  Coarsening coarsening =
      staticTrips ? chooseCoarsening(loop, *staticTrips, coarsenMax,
                                     minThreads, coarsenWork)
                  : Coarsening{};
  int64_t coarsened = coarsening.dim;
  // Threads in all, when known: the coarsened dimension is walked `factor`
  // iterations per thread.
  std::optional<int64_t> staticTotal;
  if (staticTrips) {
    staticTotal = 1;
    for (int64_t trip : *staticTrips)
      *staticTotal *= trip;
    *staticTotal /= coarsening.factor;
  }
  SmallVector<Value> trips;
  Value total = index(1);
  for (auto [d, bounds] : llvm::enumerate(llvm::zip(
           loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))) {
    auto [lb, ub, step] = bounds;
    Value span = arith::SubIOp::create(b, ub, lb);
    Value trip = arith::CeilDivUIOp::create(b, span, step);
    if (int64_t(d) == coarsened)
      trip = arith::DivUIOp::create(b, trip, index(coarsening.factor));
    trips.push_back(trip);
    total = arith::MulIOp::create(b, total, trip);
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
  seqc::seq::GpuKernelFields kernel;
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
  Value coarsePosition;
  for (int64_t d = trips.size() - 1; d >= 0; --d) {
    Value position = d ? arith::RemUIOp::create(b, rest, trips[d]).getResult()
                       : rest;
    if (d)
      rest = arith::DivUIOp::create(b, rest, trips[d]);
    if (d == coarsened) {
      coarsePosition = position;
      continue;
    }
    Value iv = arith::AddIOp::create(
        b, loop.getLowerBound()[d],
        arith::MulIOp::create(b, position, loop.getStep()[d]));
    mapping.map(loop.getInductionVars()[d], iv);
  }
  if (coarsened >= 0) {
    // The coarsened dimension: a loop inside the thread, unrolled and
    // jammed into the reduction by seq-promote-kernel-accumulators.
    auto inner = scf::ForOp::create(b, index(0), index(coarsening.factor),
                                    index(1));
    seqc::seq::CoarsenedMarker::set(inner);
    kernel.coarsenedDim = coarsened;
    kernel.coarsenedFactor = coarsening.factor;
    b.setInsertionPointToStart(inner.getBody());
    // iv = lb + step * (position * factor + i)
    Value iteration = arith::AddIOp::create(
        b,
        arith::MulIOp::create(b, coarsePosition, index(coarsening.factor)),
        inner.getInductionVar());
    mapping.map(loop.getInductionVars()[coarsened],
                arith::AddIOp::create(
                    b, loop.getLowerBound()[coarsened],
                    arith::MulIOp::create(b, iteration,
                                          loop.getStep()[coarsened])));
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  seqc::seq::GpuKernelOf::set(
      launch, kernel.get(b.getContext(), seqc::seq::GpuKernelKind::parallel_loop));
  loop.erase();
  return success();
}

struct SeqParallelLoopsToGPUPass
    : seqc::impl::SeqParallelLoopsToGPUBase<SeqParallelLoopsToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    Operation *op = getOperation();
    if (failed(seqc::checkPassOption(op, getArgument(), "block-threads",
                                     blockThreads, 1, 1024)) ||
        failed(seqc::checkPassOption(op, getArgument(), "coarsen-max",
                                     coarsenMax, 1)) ||
        failed(seqc::checkPassOption(op, getArgument(), "min-threads",
                                     minThreads, 0)) ||
        failed(seqc::checkPassOption(op, getArgument(), "coarsen-work",
                                     coarsenWork, 1)) ||
        failed(seqc::checkPassOption(op, getArgument(), "min-blocks",
                                     minBlocks, 0)))
      return signalPassFailure();
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
                                    minThreads, coarsenWork, minBlocks)))
        return signalPassFailure();
  }
};
} // namespace
