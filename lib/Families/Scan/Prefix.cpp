//===- Prefix.cpp - prefix form of a generic seq.scan ---------------------===//
//
// Reduce-then-scan with the op's own associative combiner, for any number
// of sequences and element types, without knowing an identity element:
//
//   1. every chunk of C steps at once, C - 1 combine steps: the chunk-local
//      inclusive scans (T is padded with zeros to N chunks; padded steps
//      come after every real one and their results are dropped);
//   2. the N - 1 carries, sequentially: carry_1 = agg_0 (or init o agg_0),
//      carry_n = carry_{n-1} o agg_{n-1}, agg_n the local scan's last step;
//   3. every step at once: out = carry_n o local (chunk 0 keeps its local
//      scan unless there is an init to apply).
//
// Only associativity is used (the combiner is applied in the same order
// of operands, never commuted). `reverse` scans the time-reversed inputs
// and reverses the outputs back; `exclusive` shifts the inclusive scan by
// one step behind `init`. The final states are the inclusive scan's last
// step. With C the chunk size, the critical path is C + N combines.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/Scan/Scan.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// `x` [B, T, ...] with its time dimension reversed.
Value reverseTime(LoopBuilder &lb, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  MLIRContext *context = lb.builder().getContext();
  SmallVector<AffineExpr> in;
  for (unsigned d = 0; d < rank; ++d)
    in.push_back(getAffineDimExpr(d, context));
  in[1] = getAffineConstantExpr(type.getDimSize(1) - 1, context) - in[1];
  return lb.generic(
      {x}, {emptyOf(lb, type.getShape(), type.getElementType())},
      ArrayRef<AffineMap>{AffineMap::get(rank, 0, in, context),
                          AffineMap::getMultiDimIdentityMap(rank, context)},
      {}, [&](OpBuilder &b, Location l, ValueRange a) {
        linalg::YieldOp::create(b, l, a[0]);
      })[0];
}

struct LowerScanPrefix : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScanOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::prefix ||
        !formLoweringBlocker(op).empty())
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    ValueRange inputs = op.getInputs();
    size_t n = inputs.size();
    auto firstType = cast<RankedTensorType>(inputs[0].getType());
    int64_t B = firstType.getDimSize(0), T = firstType.getDimSize(1);
    SmallVector<int64_t> rest(firstType.getShape().drop_front(2));
    int64_t C = std::min<int64_t>(form.getChunkSize().value_or(64), T);
    int64_t N = (T + C - 1) / C;
    unsigned restRank = rest.size();
    auto shapeWith = [&](SmallVector<int64_t> front) {
      front.append(rest.begin(), rest.end());
      return front;
    };
    SmallVector<Type> elements;
    for (Value input : inputs)
      elements.push_back(
          cast<RankedTensorType>(input.getType()).getElementType());
    Block &combiner = op.getCombiner().front();
    bool reverse = op.getReverse(), exclusive = op.getExclusive();
    ValueRange init = op.getInit();

    // Inputs in processing order (time-reversed for `reverse`), zero-padded
    // to N * C steps and viewed as [B, N, C, ...].
    SmallVector<int64_t> origin(2 + restRank, 0);
    SmallVector<Value> chunked;
    for (auto [input, element] : llvm::zip(inputs, elements)) {
      Value x = reverse ? reverseTime(lb, input) : input;
      if (N * C != T)
        x = staticInsert(lb, x, zerosOf(lb, shapeWith({B, N * C}), element),
                         origin);
      chunked.push_back(reshape(lb, x, shapeWith({B, N, C})));
    }
    // `lhs` o `rhs` elementwise over tensors of `shape`.
    auto combineAll = [&](LoopBuilder &ib, ValueRange lhs, ValueRange rhs,
                          ArrayRef<int64_t> shape) {
      SmallVector<Value> ins(lhs), outs;
      llvm::append_range(ins, rhs);
      for (Type element : elements)
        outs.push_back(emptyOf(ib, shape, element));
      Dims all = identityDims(shape.size());
      return SmallVector<Value>(ib.generic(
          ins, outs, SmallVector<Dims>(2 * n, all), SmallVector<Dims>(n, all),
          all.size(), {}, [&](OpBuilder &b, Location bl, ValueRange a) {
            linalg::YieldOp::create(
                b, bl,
                applyCombiner(b, combiner, a.take_front(n), a.slice(n, n)));
          }));
    };

    // 1. Local inclusive scans: step i combines step i - 1 with input i.
    SmallVector<Value> locals, firsts;
    for (auto [x, element] : llvm::zip(chunked, elements)) {
      Value first = lb.extractSlice(x, 2, lb.index(0));
      firsts.push_back(first);
      locals.push_back(lb.insertSlice(
          first, emptyOf(lb, shapeWith({B, N, C}), element), 2, lb.index(0)));
    }
    // A sequential scan over positions [from, to) of dimension `dim`: the
    // running values (of `shape`) o rhs(position), each written into its
    // tensor of `written` at the position; returns the written tensors.
    auto scanAlong =
        [&](int64_t from, int64_t to, unsigned dim, ValueRange running,
            ValueRange written, ArrayRef<int64_t> shape,
            function_ref<SmallVector<Value>(LoopBuilder &, Value)> rhs) {
          SmallVector<Value> iterInit(running);
          llvm::append_range(iterInit, written);
          auto loop = scf::ForOp::create(
              rewriter, loc, lb.index(from), lb.index(to), lb.index(1),
              iterInit,
              [&](OpBuilder &nb, Location l, Value at, ValueRange iter) {
                LoopBuilder ib(nb, l);
                SmallVector<Value> next =
                    combineAll(ib, iter.take_front(n), rhs(ib, at), shape);
                SmallVector<Value> results(next);
                for (size_t k = 0; k < n; ++k)
                  results.push_back(
                      ib.insertSlice(next[k], iter[n + k], dim, at));
                scf::YieldOp::create(nb, l, results);
              });
          return SmallVector<Value>(loop.getResults().drop_front(n));
        };

    SmallVector<Value> scans =
        scanAlong(1, C, 2, firsts, locals, shapeWith({B, N}),
                  [&](LoopBuilder &ib, Value i) {
                    SmallVector<Value> inputsAt;
                    for (Value x : chunked)
                      inputsAt.push_back(ib.extractSlice(x, 2, i));
                    return inputsAt;
                  });

    // 2. The carries into chunks 1 .. N - 1 (and into chunk 0 from init).
    // Chunk n's aggregate is its local scan's last step.
    SmallVector<Value> aggregates, carries;
    for (auto [scan, element] : llvm::zip(scans, elements)) {
      aggregates.push_back(lb.extractSlice(scan, 2, lb.index(C - 1)));
      carries.push_back(zerosOf(lb, shapeWith({B, N}), element));
    }
    SmallVector<Value> running;
    for (size_t k = 0; k < init.size(); ++k)
      carries[k] = lb.insertSlice(init[k], carries[k], 1, lb.index(0));
    // chunk - 1's aggregates, the right operands of the carry into `chunk`.
    auto aggregatesBefore = [&](LoopBuilder &ib, Value chunk) {
      Value previous = arith::SubIOp::create(ib.builder(), ib.location(), chunk,
                                             ib.index(1));
      SmallVector<Value> before;
      for (Value aggregate : aggregates)
        before.push_back(ib.extractSlice(aggregate, 1, previous));
      return before;
    };
    if (N > 1) {
      // Into chunk 1: chunk 0's aggregate, after init if there is one.
      running = aggregatesBefore(lb, lb.index(1));
      if (!init.empty())
        running = combineAll(lb, init, running, shapeWith({B}));
      for (size_t k = 0; k < n; ++k)
        carries[k] = lb.insertSlice(running[k], carries[k], 1, lb.index(1));
    }
    if (N > 2)
      carries = scanAlong(2, N, 1, running, carries, shapeWith({B}),
                          aggregatesBefore);

    // 3. out = carry o local for every chunk that has a carry.
    Dims all = identityDims(3 + restRank); // [B, N, C, ...]
    Dims carryDims = {0, 1};
    for (unsigned d = 0; d < restRank; ++d)
      carryDims.push_back(3 + d);
    SmallVector<Value> ins(carries), outs;
    llvm::append_range(ins, scans);
    for (Type element : elements)
      outs.push_back(emptyOf(lb, shapeWith({B, N, C}), element));
    SmallVector<Dims> inMaps(n, carryDims);
    inMaps.append(n, all);
    ValueRange fixed = lb.generic(
        ins, outs, inMaps, SmallVector<Dims>(n, all), all.size(), {},
        [&](OpBuilder &b, Location l, ValueRange a) {
          SmallVector<Value> combined =
              applyCombiner(b, combiner, a.take_front(n), a.slice(n, n));
          if (init.empty()) {
            Value firstChunk =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                      linalg::IndexOp::create(b, l, 1),
                                      arith::ConstantIndexOp::create(b, l, 0));
            for (size_t k = 0; k < n; ++k)
              combined[k] = arith::SelectOp::create(b, l, firstChunk, a[n + k],
                                                    combined[k]);
          }
          linalg::YieldOp::create(b, l, combined);
        });

    // Back to [B, T, ...] in the op's order; finals are the last step.
    SmallVector<Value> outputs, finals;
    SmallVector<Value> initOrNone(n);
    for (auto [k, value] : llvm::enumerate(init))
      initOrNone[k] = value;
    for (auto [out, element, init_k] : llvm::zip(fixed, elements, initOrNone)) {
      Value steps = reshape(lb, out, shapeWith({B, N * C}));
      if (N * C != T)
        steps = staticSlice(lb, steps, origin, shapeWith({B, T}));
      finals.push_back(lb.extractSlice(steps, 1, lb.index(T - 1)));
      if (exclusive) {
        // out_0 = init, out_t = inclusive_{t-1}.
        SmallVector<int64_t> second(origin);
        second[1] = 1;
        Value shifted = staticInsert(
            lb, staticSlice(lb, steps, origin, shapeWith({B, T - 1})),
            emptyOf(lb, shapeWith({B, T}), element), second);
        steps = lb.insertSlice(init_k, shifted, 1, lb.index(0));
      }
      if (reverse)
        steps = reverseTime(lb, steps);
      outputs.push_back(steps);
    }
    SmallVector<Value> results(outputs);
    llvm::append_range(results, finals);
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::families::populateScanPrefixPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerScanPrefix>(patterns.getContext());
}
