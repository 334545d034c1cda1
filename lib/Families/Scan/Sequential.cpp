//===- Sequential.cpp - sequential form of a generic seq.scan -------------===//
//
// An scf.for over time (reversed for `reverse`) whose iteration arguments
// are the running values; each step applies the combiner region elementwise.
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/Scan/Scan.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// The index of step `step` in processing order.
Value timeIndex(LoopBuilder &lb, Value step, Value steps, bool reverse) {
  if (!reverse)
    return step;
  OpBuilder &b = lb.builder();
  Value last = arith::SubIOp::create(b, lb.location(), steps, lb.index(1));
  return arith::SubIOp::create(b, lb.location(), last, step);
}

struct LowerScan : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScanOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    ValueRange inputs = op.getInputs();
    size_t n = inputs.size();
    bool reverse = op.getReverse(), exclusive = op.getExclusive();
    bool hasInit = !op.getInit().empty();
    Value steps = lb.dim(inputs[0], 1);
    unsigned rank =
        cast<RankedTensorType>(op.getFinalStates()[0].getType()).getRank();
    SmallVector<unsigned> dims = identityDims(rank);

    SmallVector<Value> accumulators, outputs;
    for (Value input : inputs)
      outputs.push_back(
          lb.empty(cast<RankedTensorType>(input.getType()), lb.sizesOf(input)));
    Value firstStep = lb.index(0);
    if (hasInit) {
      llvm::append_range(accumulators, op.getInit());
    } else {
      // Without init the first element in processing order starts the
      // scan; it is copied so that the in-place combine never writes into
      // the caller's input.
      auto stepsType = cast<RankedTensorType>(inputs[0].getType());
      if (stepsType.isDynamicDim(1)) {
        Value nonEmpty = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::sgt, steps, lb.index(0));
        cf::AssertOp::create(rewriter, loc, nonEmpty,
                             "seq.scan without init over an empty sequence "
                             "has no value");
      } else if (stepsType.getDimSize(1) == 0) {
        SmallVector<Value> results(outputs);
        for (Value finalState : op.getFinalStates())
          results.push_back(
              lb.zeros(cast<RankedTensorType>(finalState.getType()),
                       lb.sizesOf(inputs[0], 1)));
        rewriter.replaceOp(op, results);
        return success();
      }
      Value first = timeIndex(lb, lb.index(0), steps, reverse);
      for (auto [input, output] : llvm::zip(inputs, outputs)) {
        Value slice = lb.extractTimeSlice(input, first);
        auto sliceType = cast<RankedTensorType>(slice.getType());
        Value copy =
            linalg::CopyOp::create(rewriter, loc, slice,
                                   lb.empty(sliceType, lb.sizesOf(input, 1)))
                .getResult(0);
        accumulators.push_back(copy);
        output = lb.insertTimeSlice(copy, output, first);
      }
      firstStep = lb.index(1);
    }

    Block &combiner = op.getCombiner().front();
    SmallVector<Value> iterInit(accumulators);
    llvm::append_range(iterInit, outputs);
    auto loop = scf::ForOp::create(
        rewriter, loc, firstStep, steps, lb.index(1), iterInit,
        [&](OpBuilder &nb, Location l, Value step, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value t = timeIndex(ib, step, steps, reverse);
          ValueRange acc = iter.take_front(n);
          SmallVector<Value> outs(iter.drop_front(n));
          if (exclusive)
            for (size_t i = 0; i < n; ++i)
              outs[i] = ib.insertTimeSlice(acc[i], outs[i], t);
          SmallVector<Value> slices;
          for (Value input : inputs)
            slices.push_back(ib.extractTimeSlice(input, t));
          SmallVector<SmallVector<unsigned>> maps(n, dims);
          ValueRange combined =
              ib.generic(slices, acc, maps, maps, rank, {},
                         [&](OpBuilder &eb, Location el, ValueRange args) {
                           // Block arguments: the new elements (rhs), then the
                           // accumulators (lhs, the earlier elements).
                           linalg::YieldOp::create(
                               eb, el,
                               applyCombiner(eb, combiner, args.slice(n, n),
                                             args.take_front(n)));
                         });
          SmallVector<Value> next(combined);
          if (!exclusive)
            for (size_t i = 0; i < n; ++i)
              outs[i] = ib.insertTimeSlice(next[i], outs[i], t);
          llvm::append_range(next, outs);
          scf::YieldOp::create(nb, l, next);
        });
    SmallVector<Value> results(loop.getResults().drop_front(n));
    llvm::append_range(results, loop.getResults().take_front(n));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::families::populateScanSequentialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerScan>(patterns.getContext());
}
