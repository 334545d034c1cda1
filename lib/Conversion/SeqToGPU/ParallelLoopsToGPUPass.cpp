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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace seqc {
#define GEN_PASS_DEF_SEQPARALLELLOOPSTOGPU
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

LogicalResult launchParallelLoop(scf::ParallelOp loop, int64_t blockThreads) {
  if (!loop.getInitVals().empty())
    return loop.emitOpError()
           << "has reductions, which seq-parallel-loops-to-gpu does not map "
              "to kernels yet";
  ImplicitLocOpBuilder b(loop.getLoc(), loop);
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, v);
  };
  SmallVector<Value> trips;
  Value total = index(1);
  for (auto [lb, ub, step] : llvm::zip(loop.getLowerBound(),
                                       loop.getUpperBound(), loop.getStep())) {
    Value span = arith::SubIOp::create(b, ub, lb);
    Value trip = arith::CeilDivUIOp::create(b, span, step);
    trips.push_back(trip);
    total = arith::MulIOp::create(b, total, trip);
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
  for (int64_t d = trips.size() - 1; d >= 0; --d) {
    Value position = d ? arith::RemUIOp::create(b, rest, trips[d]).getResult()
                       : rest;
    if (d)
      rest = arith::DivUIOp::create(b, rest, trips[d]);
    Value iv = arith::AddIOp::create(
        b, loop.getLowerBound()[d],
        arith::MulIOp::create(b, position, loop.getStep()[d]));
    mapping.map(loop.getInductionVars()[d], iv);
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
      if (failed(launchParallelLoop(loop, blockThreads)))
        return signalPassFailure();
  }
};
} // namespace
