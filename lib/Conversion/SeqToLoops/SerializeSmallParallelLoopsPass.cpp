//===- SerializeSmallParallelLoopsPass.cpp --------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQSERIALIZESMALLPARALLELLOOPS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// The static trip count of a loop dimension, or nullopt.
std::optional<int64_t> tripCount(Value lower, Value upper, Value step) {
  std::optional<int64_t> lb = getConstantIntValue(lower),
                         ub = getConstantIntValue(upper),
                         st = getConstantIntValue(step);
  if (!lb || !ub || !st || *st <= 0)
    return std::nullopt;
  return std::max<int64_t>(0, (*ub - *lb + *st - 1) / *st);
}

/// Iterations of `op`'s nest: its own dimensions times the largest nest
/// inside it; nullopt when some count is dynamic (then it is worth it).
std::optional<int64_t> staticWork(Operation *op) {
  int64_t own = 1;
  if (auto parallel = dyn_cast<scf::ParallelOp>(op)) {
    for (auto [lb, ub, st] : llvm::zip(parallel.getLowerBound(),
                                       parallel.getUpperBound(),
                                       parallel.getStep())) {
      std::optional<int64_t> n = tripCount(lb, ub, st);
      if (!n)
        return std::nullopt;
      own *= *n;
    }
  } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<int64_t> n = tripCount(
        loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
    if (!n)
      return std::nullopt;
    own = *n;
  }
  int64_t inner = 1;
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps()) {
      if (!isa<scf::ParallelOp, scf::ForOp>(nested))
        continue;
      std::optional<int64_t> n = staticWork(&nested);
      if (!n)
        return std::nullopt;
      inner = std::max(inner, *n);
    }
  return own * inner;
}

/// Rewrites `parallel` (no results) as a nest of scf.for.
void serialize(scf::ParallelOp parallel) {
  OpBuilder b(parallel);
  Location loc = parallel.getLoc();
  scf::buildLoopNest(
      b, loc, parallel.getLowerBound(), parallel.getUpperBound(),
      parallel.getStep(), [&](OpBuilder &nb, Location, ValueRange ivs) {
        IRMapping mapping;
        mapping.map(parallel.getInductionVars(), ivs);
        for (Operation &op : parallel.getBody()->without_terminator())
          nb.clone(op, mapping);
      });
  parallel.erase();
}

struct SeqSerializeSmallParallelLoopsPass
    : seqc::impl::SeqSerializeSmallParallelLoopsBase<
          SeqSerializeSmallParallelLoopsPass> {
  using SeqSerializeSmallParallelLoopsBase::SeqSerializeSmallParallelLoopsBase;

  void runOnOperation() override {
    if (failed(seqc::checkPassOption(getOperation(), getArgument(),
                                     "min-iterations", minIterations, 0)) ||
        failed(seqc::checkPassOption(getOperation(), getArgument(),
                                     "min-iterations-in-loop",
                                     minIterationsInLoop, 0)))
      return signalPassFailure();
    SmallVector<scf::ParallelOp> small;
    getOperation()->walk([&](scf::ParallelOp parallel) {
      if (parallel.getNumResults() != 0)
        return;
      // Nested parallelism is not worth a second team.
      bool nested = parallel->getParentOfType<scf::ParallelOp>();
      // Inside a step loop the team forks and joins every step.
      bool inStepLoop = parallel->getParentOfType<scf::ForOp>() ||
                        parallel->getParentOfType<scf::WhileOp>();
      int64_t needed = inStepLoop ? minIterationsInLoop : minIterations;
      std::optional<int64_t> work = staticWork(parallel);
      if (nested || (work && *work < needed))
        small.push_back(parallel);
    });
    // Innermost first (walk is post-order), so that a serialized outer
    // loop clones already serialized bodies.
    for (scf::ParallelOp parallel : small)
      serialize(parallel);
  }
};

} // namespace
