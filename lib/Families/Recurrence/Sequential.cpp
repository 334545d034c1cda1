//===- Sequential.cpp - sequential form of seq.recurrence -----------------===//
//
// An scf.for over time whose iteration arguments are the states and the
// output sequences; each step inlines the body on one time slice of every
// input (the cell: h R, gates, state update).
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/Recurrence/Recurrence.h"
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

struct LowerRecurrence : OpRewritePattern<RecurrenceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value first = op.getInputs()[0];
    Value batch = lb.dim(first, 0), steps = lb.dim(first, 1);
    // B and T from the first input; every other size is static.
    auto sizesWithBatch = [&](RankedTensorType type, bool withTime) {
      SmallVector<OpFoldResult> sizes;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        if (d == 0)
          sizes.push_back(batch);
        else if (d == 1 && withTime)
          sizes.push_back(steps);
        else
          sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
      }
      return sizes;
    };

    SmallVector<Value> iterInit;
    if (!op.getInit().empty()) {
      llvm::append_range(iterInit, op.getInit());
    } else {
      for (Value state : op.getFinalStates()) {
        auto type = cast<RankedTensorType>(state.getType());
        // Static beyond the batch: checked by formLoweringBlocker.
        iterInit.push_back(lb.zeros(type, sizesWithBatch(type, false)));
      }
    }
    for (Value output : op.getOutputs()) {
      auto type = cast<RankedTensorType>(output.getType());
      iterInit.push_back(lb.empty(type, sizesWithBatch(type, true)));
    }

    size_t numStates = op.getFinalStates().size();
    size_t numInputs = op.getInputs().size();
    Block &body = op.getBody().front();
    auto loop = scf::ForOp::create(
        rewriter, loc, lb.index(0), steps, lb.index(1), iterInit,
        [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
          LoopBuilder ib(nb, l);
          IRMapping mapping;
          for (auto [i, input] : llvm::enumerate(op.getInputs()))
            mapping.map(body.getArgument(i), ib.extractTimeSlice(input, t));
          for (size_t s = 0; s < numStates; ++s)
            mapping.map(body.getArgument(numInputs + s), iter[s]);
          for (auto [w, weight] : llvm::enumerate(op.getWeights()))
            mapping.map(body.getArgument(numInputs + numStates + w), weight);
          for (Operation &inner : body.without_terminator())
            nb.clone(inner, mapping);
          SmallVector<Value> yielded;
          for (Value v : body.getTerminator()->getOperands())
            yielded.push_back(mapping.lookupOrDefault(v));
          SmallVector<Value> next(ArrayRef(yielded).take_front(numStates));
          for (size_t o = 0; o < op.getOutputs().size(); ++o)
            next.push_back(ib.insertTimeSlice(yielded[numStates + o],
                                              iter[numStates + o], t));
          scf::YieldOp::create(nb, l, next);
        });
    // The form goes with the time loop to the GPU passes: FlashRNN's
    // fused variant runs the whole loop as one persistent kernel
    // (seq-persistent-time-loops); the state terms and the step tiling are
    // read by the step kernels of either variant
    // (seq-weight-stationary-steps, seq-contractions-to-mma).
    if (FormAttr form = op.getFormAttr())
      TimeLoopOf::set(loop, form);
    SmallVector<Value> results(loop.getResults().drop_front(numStates));
    llvm::append_range(results, loop.getResults().take_front(numStates));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::families::populateRecurrenceSequentialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerRecurrence>(patterns.getContext());
}
