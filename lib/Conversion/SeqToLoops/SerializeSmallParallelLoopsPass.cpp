//===- SerializeSmallParallelLoopsPass.cpp --------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
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

/// The scalar iterations one iteration of `loop` stands for: a
/// microkernel's reduction loop (seq.register_tile) does rows x columns
/// multiply-adds per step, the work of that many iterations of the loop
/// nest it replaced; the body of an innermost loop is its arithmetic on
/// values that change from one iteration to the next (an LSTM cell's
/// exponentials, already polynomials here, count as their dozens of
/// operations; a copy as 1; a linear-attention state update as its
/// multiply-add, not as the exponential of its row's gate, which LLVM
/// hoists out of the loop).
int64_t iterationWeight(Operation *loop) {
  // A pair kernel's iteration is two reduction steps of each term.
  if (seqc::seq::RegisterTileAttr tile = seqc::seq::RegisterTileOf::get(loop))
    return tile.getRows() * tile.getColumns() *
           (tile.getBf16Terms() ? 2 * *tile.getBf16Terms() : 1);
  // What changes in the innermost loop LLVM sees: a loop's induction
  // variable and carried values; of a pointwise parallel nest, the last
  // dimension (the serial loop keepInnermostSerial leaves in each thread).
  Block &body = loop->getRegion(0).front();
  llvm::SmallPtrSet<Value, 16> varying(body.args_begin(), body.args_end());
  if (isa<scf::ParallelOp>(loop)) {
    varying.clear();
    varying.insert(body.getArguments().back());
  }
  int64_t arithmetic = 0;
  for (Operation &op : body) {
    if (op.getNumRegions() != 0)
      return 1; // not innermost: the nested loops count
    if (llvm::none_of(op.getOperands(),
                      [&](Value v) { return varying.contains(v); }))
      continue;
    varying.insert(op.result_begin(), op.result_end());
    if (isa<arith::ArithDialect, math::MathDialect>(op.getDialect()) &&
        llvm::none_of(op.getResultTypes(),
                      [](Type t) { return t.isIndex(); }))
      ++arithmetic;
  }
  return std::max<int64_t>(1, arithmetic);
}

/// Iterations of `op`'s nest: its own dimensions times the largest nest
/// inside it (through the branches of an scf.if, which counts once);
/// nullopt when some count is dynamic (then it is worth it).
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
    own *= iterationWeight(parallel);
  } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<int64_t> n = tripCount(
        loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
    if (!n)
      return std::nullopt;
    own = *n * iterationWeight(loop);
  }
  int64_t inner = 1;
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps()) {
      if (!isa<scf::ParallelOp, scf::ForOp, scf::IfOp>(nested))
        continue;
      std::optional<int64_t> n = staticWork(&nested);
      if (!n)
        return std::nullopt;
      inner = std::max(inner, *n);
    }
  return own * inner;
}

/// The work of `op`'s nest (as staticWork) computed at run time before
/// `root`, for nests with dynamic trip counts; null when a bound is defined
/// inside `root` (then it cannot be computed before the loop runs).
Value runtimeWork(OpBuilder &b, Location loc, Operation *root, Operation *op) {
  auto definedOutside = [&](Value v) {
    return !root->isAncestor(v.getParentRegion()->getParentOp());
  };
  auto trips = [&](Value lb, Value ub, Value st) -> Value {
    if (std::optional<int64_t> n = tripCount(lb, ub, st))
      return b.createOrFold<arith::ConstantIndexOp>(loc, *n);
    if (!definedOutside(lb) || !definedOutside(ub) || !definedOutside(st))
      return nullptr;
    Value span = b.createOrFold<arith::SubIOp>(loc, ub, lb);
    return b.createOrFold<arith::CeilDivSIOp>(loc, span, st);
  };
  Value own = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
  auto multiply = [&](Value n) {
    own = n ? b.createOrFold<arith::MulIOp>(loc, own, n) : Value();
  };
  if (auto parallel = dyn_cast<scf::ParallelOp>(op)) {
    for (auto [lb, ub, st] : llvm::zip(parallel.getLowerBound(),
                                       parallel.getUpperBound(),
                                       parallel.getStep())) {
      multiply(trips(lb, ub, st));
      if (!own)
        return nullptr;
    }
    if (iterationWeight(parallel) != 1)
      multiply(b.createOrFold<arith::ConstantIndexOp>(loc, iterationWeight(parallel)));
  } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
    multiply(trips(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()));
    if (own && iterationWeight(loop) != 1)
      multiply(b.createOrFold<arith::ConstantIndexOp>(loc, iterationWeight(loop)));
    if (!own)
      return nullptr;
  }
  Value inner = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
  for (Region &region : op->getRegions())
    for (Operation &nested : region.getOps()) {
      if (!isa<scf::ParallelOp, scf::ForOp, scf::IfOp>(nested))
        continue;
      Value n = runtimeWork(b, loc, root, &nested);
      if (!n)
        return nullptr;
      inner = b.createOrFold<arith::MaxSIOp>(loc, inner, n);
    }
  return b.createOrFold<arith::MulIOp>(loc, own, inner);
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

/// Keeps the innermost dimension of a pointwise parallel nest (a body
/// without loops) serial inside each thread: convert-scf-to-openmp
/// collapses every dimension of an scf.parallel into one linearized
/// worksharing loop, whose div/mod index arithmetic LLVM does not
/// vectorize, while the innermost dimension alone is the contiguous loop it
/// does vectorize.
void keepInnermostSerial(scf::ParallelOp parallel) {
  if (parallel.getNumLoops() < 2 ||
      llvm::any_of(parallel.getBody()->getOperations(), [](Operation &op) {
        return op.getNumRegions() != 0;
      }))
    return;
  OpBuilder b(parallel);
  Location loc = parallel.getLoc();
  scf::ParallelOp::create(
      b, loc, parallel.getLowerBound().drop_back(),
      parallel.getUpperBound().drop_back(), parallel.getStep().drop_back(),
      [&](OpBuilder &nb, Location, ValueRange ivs) {
        scf::ForOp::create(
            nb, loc, parallel.getLowerBound().back(),
            parallel.getUpperBound().back(), parallel.getStep().back(),
            ValueRange{},
            [&](OpBuilder &fb, Location, Value iv, ValueRange) {
              IRMapping mapping;
              mapping.map(ValueRange(parallel.getInductionVars()).drop_back(), ivs);
              mapping.map(parallel.getInductionVars().back(), iv);
              for (Operation &op : parallel.getBody()->without_terminator())
                fb.clone(op, mapping);
              scf::YieldOp::create(fb, loc);
            });
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
    SmallVector<std::pair<scf::ParallelOp, int64_t>> dynamic;
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
      // One iteration (a batch of one) has nothing to share.
      int64_t iterations = 1;
      for (auto [lb, ub, st] :
           llvm::zip(parallel.getLowerBound(), parallel.getUpperBound(),
                     parallel.getStep())) {
        std::optional<int64_t> n = tripCount(lb, ub, st);
        iterations = n ? iterations * *n : 0;
      }
      if (nested || iterations == 1 || (work && *work < needed))
        small.push_back(parallel);
      else if (!work)
        dynamic.push_back({parallel, needed});
    });
    // Innermost first (walk is post-order), so that a serialized outer
    // loop clones already serialized bodies.
    for (scf::ParallelOp parallel : small)
      serialize(parallel);
    // A nest whose work depends on a dynamic batch or length is versioned:
    // the thread team where the work at run time is worth it, the serial
    // nest where it is not (a batch-1 decoding step).
    for (auto [parallel, needed] : dynamic) {
      OpBuilder b(parallel);
      Location loc = parallel.getLoc();
      Value work = runtimeWork(b, loc, parallel, parallel);
      if (!work)
        continue;
      Value worthIt = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge, work,
          arith::ConstantIndexOp::create(b, loc, needed));
      auto branch = scf::IfOp::create(b, loc, worthIt, /*withElseRegion=*/true);
      OpBuilder elseBuilder = branch.getElseBodyBuilder();
      auto serial = cast<scf::ParallelOp>(elseBuilder.clone(*parallel));
      parallel->moveBefore(branch.thenBlock()->getTerminator());
      serialize(serial);
    }
    SmallVector<scf::ParallelOp> teams;
    getOperation()->walk([&](scf::ParallelOp parallel) {
      if (parallel.getNumResults() == 0)
        teams.push_back(parallel);
    });
    for (scf::ParallelOp parallel : teams)
      keepInnermostSerial(parallel);
  }
};

} // namespace
