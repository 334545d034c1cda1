//===- SequentialScan.cpp - sequential form of scans and recurrences ------===//
//
// seq.scan, seq.linear_scan and seq.recurrence become an scf.for over time
// whose iteration arguments are the states and the output sequences; each
// step reads one time slice of every input and is parallel over batch and
// channels (a linalg.generic, or the recurrence body itself).
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Utils/LoopBuilder.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

SmallVector<unsigned> allDims(unsigned rank) {
  SmallVector<unsigned> dims(rank);
  for (unsigned i = 0; i < rank; ++i)
    dims[i] = i;
  return dims;
}

/// The index of step `step` in processing order.
Value timeIndex(LoopBuilder &lb, Value step, Value steps, bool reverse) {
  if (!reverse)
    return step;
  OpBuilder &b = lb.builder();
  Value last = arith::SubIOp::create(b, lb.location(), steps, lb.index(1));
  return arith::SubIOp::create(b, lb.location(), last, step);
}

/// The batch loop is outermost: each sequence's scan streams through its
/// own contiguous [T, ...] block with the state in cache, as a hand-written
/// loop does. (Time-outer would interleave B strided streams per array,
/// more than the hardware prefetchers follow.)
struct LowerLinearScan : OpRewritePattern<LinearScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value a = op.getA(), b = op.getB();
    RankedTensorType stateType = op.getFinalState().getType();
    Type stateElement = stateType.getElementType();
    Value init = op.getInit() ? op.getInit()
                              : lb.zeros(stateType, lb.sizesOf(a, 1));
    Value states = lb.empty(op.getH().getType(), lb.sizesOf(a));
    Value finals = lb.empty(stateType, lb.sizesOf(a, 1));
    // Per step and sequence, the state is [...] (rank - 2 dims).
    unsigned rank = stateType.getRank() - 1;
    SmallVector<unsigned> dims = allDims(rank);

    auto batchLoop = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.dim(a, 0), lb.index(1),
        ValueRange{states, finals},
        [&](OpBuilder &ob, Location ol, Value n, ValueRange outer) {
          LoopBuilder bb(ob, ol);
          Value aN = bb.extractSlice(a, 0, n), bN = bb.extractSlice(b, 0, n);
          Value hN = bb.extractSlice(outer[0], 0, n);
          Value stateN = bb.extractSlice(init, 0, n);
          // The initial state is copied: the update below is in place and
          // must not write into the caller's `init`.
          auto stateNType = cast<RankedTensorType>(stateN.getType());
          Value state =
              linalg::CopyOp::create(ob, ol, stateN,
                                     bb.empty(stateNType, bb.sizesOf(stateN)))
                  .getResult(0);
          auto timeLoop = scf::ForOp::create(
              ob, ol, bb.index(0), bb.dim(aN, 0), bb.index(1),
              ValueRange{state, hN},
              [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
                LoopBuilder ib(nb, l);
                Value aT = ib.extractSlice(aN, 0, t);
                Value bT = ib.extractSlice(bN, 0, t);
                Value outT = ib.extractSlice(iter[1], 0, t);
                // h = a * h + b, written to the state (in place) and to the
                // output slice in the same loop.
                ValueRange updated = ib.generic(
                    {aT, bT}, {iter[0], outT}, {dims, dims}, {dims, dims}, rank,
                    {}, [&](OpBuilder &eb, Location el, ValueRange args) {
                      LoopBuilder sb(eb, el);
                      Value result;
                      if (isa<ComplexType>(stateElement)) {
                        Value product =
                            complex::MulOp::create(eb, el, args[0], args[2]);
                        result = complex::AddOp::create(eb, el, product, args[1]);
                      } else {
                        Value aS = sb.convert(args[0], stateElement);
                        Value bS = sb.convert(args[1], stateElement);
                        Value product =
                            arith::MulFOp::create(eb, el, aS, args[2]);
                        result = arith::AddFOp::create(eb, el, product, bS);
                      }
                      linalg::YieldOp::create(eb, el,
                                              ValueRange{result, result});
                    });
                Value written = ib.insertSlice(updated[1], iter[1], 0, t);
                scf::YieldOp::create(nb, l, ValueRange{updated[0], written});
              });
          Value hOut = bb.insertSlice(timeLoop.getResult(1), outer[0], 0, n);
          Value lastOut =
              bb.insertSlice(timeLoop.getResult(0), outer[1], 0, n);
          scf::YieldOp::create(ob, ol, ValueRange{hOut, lastOut});
        });
    rewriter.replaceOp(op, {batchLoop.getResult(0), batchLoop.getResult(1)});
    return success();
  }
};

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
    unsigned rank = cast<RankedTensorType>(op.getFinalStates()[0].getType())
                        .getRank();
    SmallVector<unsigned> dims = allDims(rank);

    SmallVector<Value> accumulators, outputs;
    for (Value input : inputs)
      outputs.push_back(lb.empty(cast<RankedTensorType>(input.getType()),
                                 lb.sizesOf(input)));
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
        Value copy = linalg::CopyOp::create(
                         rewriter, loc, slice,
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
          ValueRange combined = ib.generic(
              slices, acc, maps, maps, rank, {},
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
    // FlashRNN's fused variant: the GPU pipeline runs the whole time loop
    // as one persistent kernel (seq-persistent-time-loops).
    if (FormAttr form = op.getFormAttr()) {
      if (form.getVariant() == SequentialVariant::fused)
        loop->setAttr(kPersistentLoopAttr, rewriter.getUnitAttr());
      // Read by the tensor-core step of either variant
      // (seq-weight-stationary-steps, seq-contractions-to-mma).
      if (std::optional<int64_t> terms = form.getStateTerms())
        loop->setAttr(kStateTermsAttr, rewriter.getI64IntegerAttr(*terms));
    }
    SmallVector<Value> results(loop.getResults().drop_front(numStates));
    llvm::append_range(results, loop.getResults().take_front(numStates));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

bool seqc::hasSequentialForm(Operation *op) {
  auto formOp = dyn_cast<FormOpInterface>(op);
  if (!formOp)
    return false;
  FormAttr form = formOp.getFormAttr();
  return (!form || form.getKind() == FormKind::sequential) &&
         formLoweringBlocker(op).empty();
}

void seqc::populateSequentialScanPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLinearScan, LowerScan, LowerRecurrence>(
      patterns.getContext());
}
