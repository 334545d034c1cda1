//===- PrefixGenericScan.cpp - prefix form of a generic seq.scan ----------===//
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
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

Dims dimsUpTo(unsigned rank) {
  Dims dims;
  for (unsigned d = 0; d < rank; ++d)
    dims.push_back(d);
  return dims;
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
    SmallVector<Value> chunked;
    for (auto [input, element] : llvm::zip(inputs, elements)) {
      Value x = input;
      unsigned rank = 2 + restRank;
      if (reverse) {
        // out[b, t, ...] = in[b, T - 1 - t, ...].
        MLIRContext *context = rewriter.getContext();
        SmallVector<AffineExpr> in;
        for (unsigned d = 0; d < rank; ++d)
          in.push_back(getAffineDimExpr(d, context));
        in[1] = getAffineConstantExpr(T - 1, context) - in[1];
        AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
        x = lb.generic(
            {x}, {emptyOf(lb, shapeWith({B, T}), element)},
            ArrayRef<AffineMap>{AffineMap::get(rank, 0, in, context), identity},
            {}, [&](OpBuilder &b, Location l, ValueRange a) {
              linalg::YieldOp::create(b, l, a[0]);
            })[0];
      }
      if (N * C != T) {
        SmallVector<int64_t> full = shapeWith({B, N * C});
        SmallVector<OpFoldResult> zero(rank, rewriter.getIndexAttr(0)),
            one(rank, rewriter.getIndexAttr(1));
        x = tensor::InsertSliceOp::create(
            rewriter, loc, x, zerosOf(lb, full, element), zero,
            getAsIndexOpFoldResult(rewriter.getContext(), shapeWith({B, T})),
            one);
      }
      chunked.push_back(reshape(lb, x, shapeWith({B, N, C})));
    }

    // 1. Local inclusive scans: step i combines step i - 1 with input i.
    Dims lane = dimsUpTo(2 + restRank); // [B, N, ...]
    SmallVector<Value> locals, firsts;
    for (auto [x, element] : llvm::zip(chunked, elements)) {
      Value first = lb.extractSlice(x, 2, lb.index(0));
      firsts.push_back(first);
      locals.push_back(lb.insertSlice(
          first, emptyOf(lb, shapeWith({B, N, C}), element), 2, lb.index(0)));
    }
    SmallVector<Value> iterInit(firsts);
    llvm::append_range(iterInit, locals);
    auto local = scf::ForOp::create(
        rewriter, loc, lb.index(1), lb.index(C), lb.index(1), iterInit,
        [&](OpBuilder &nb, Location l, Value i, ValueRange iter) {
          LoopBuilder ib(nb, l);
          SmallVector<Value> ins(iter.take_front(n)), outs;
          for (Value x : chunked)
            ins.push_back(ib.extractSlice(x, 2, i));
          for (auto [acc, element] : llvm::zip(iter.take_front(n), elements))
            outs.push_back(emptyOf(ib, shapeWith({B, N}), element));
          SmallVector<Dims> maps(2 * n, lane);
          ValueRange next = ib.generic(
              ins, outs, maps, SmallVector<Dims>(n, lane), lane.size(), {},
              [&](OpBuilder &b, Location bl, ValueRange a) {
                linalg::YieldOp::create(
                    b, bl,
                    applyCombiner(b, combiner, a.take_front(n), a.slice(n, n)));
              });
          SmallVector<Value> results(next);
          for (size_t k = 0; k < n; ++k)
            results.push_back(ib.insertSlice(next[k], iter[n + k], 2, i));
          scf::YieldOp::create(nb, l, results);
        });
    SmallVector<Value> scans(local.getResults().drop_front(n));

    // 2. The carries into chunks 1 .. N - 1 (and into chunk 0 from init).
    // Chunk n's aggregate is its local scan's last step.
    SmallVector<Value> aggregates, carries;
    for (auto [scan, element] : llvm::zip(scans, elements)) {
      aggregates.push_back(lb.extractSlice(scan, 2, lb.index(C - 1)));
      carries.push_back(zerosOf(lb, shapeWith({B, N}), element));
    }
    SmallVector<Value> running;
    int64_t firstCarried = 1;
    if (!init.empty()) {
      for (size_t k = 0; k < n; ++k) {
        running.push_back(init[k]);
        carries[k] = lb.insertSlice(init[k], carries[k], 1, lb.index(0));
      }
    }
    Dims state = dimsUpTo(1 + restRank); // [B, ...]
    auto step = [&](LoopBuilder &ib, ValueRange carry, Value chunk) {
      SmallVector<Value> ins(carry), outs;
      for (Value aggregate : aggregates)
        ins.push_back(ib.extractSlice(aggregate, 1, chunk));
      for (Type element : elements)
        outs.push_back(emptyOf(ib, shapeWith({B}), element));
      return SmallVector<Value>(ib.generic(
          ins, outs, SmallVector<Dims>(2 * n, state),
          SmallVector<Dims>(n, state), state.size(), {},
          [&](OpBuilder &b, Location bl, ValueRange a) {
            linalg::YieldOp::create(
                b, bl, applyCombiner(b, combiner, a.take_front(n), a.slice(n, n)));
          }));
    };
    if (init.empty() && N > 1) {
      // Without init the carry into chunk 1 is chunk 0's aggregate.
      for (size_t k = 0; k < n; ++k) {
        running.push_back(lb.extractSlice(aggregates[k], 1, lb.index(0)));
        carries[k] = lb.insertSlice(running[k], carries[k], 1, lb.index(1));
      }
      firstCarried = 2;
    } else if (!init.empty() && N > 1) {
      running = step(lb, running, lb.index(0));
      for (size_t k = 0; k < n; ++k)
        carries[k] = lb.insertSlice(running[k], carries[k], 1, lb.index(1));
      firstCarried = 2;
    }
    if (firstCarried < N) {
      SmallVector<Value> carryInit(running);
      llvm::append_range(carryInit, carries);
      auto carry = scf::ForOp::create(
          rewriter, loc, lb.index(firstCarried), lb.index(N), lb.index(1),
          carryInit, [&](OpBuilder &nb, Location l, Value c, ValueRange iter) {
            LoopBuilder ib(nb, l);
            Value previous = arith::SubIOp::create(nb, l, c, ib.index(1));
            SmallVector<Value> next = step(ib, iter.take_front(n), previous);
            SmallVector<Value> results(next);
            for (size_t k = 0; k < n; ++k)
              results.push_back(ib.insertSlice(next[k], iter[n + k], 1, c));
            scf::YieldOp::create(nb, l, results);
          });
      carries = SmallVector<Value>(carry.getResults().drop_front(n));
    }

    // 3. out = carry o local for every chunk that has a carry.
    Dims all = dimsUpTo(3 + restRank); // [B, N, C, ...]
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
      if (N * C != T) {
        unsigned rank = 2 + restRank;
        SmallVector<OpFoldResult> zero(rank, rewriter.getIndexAttr(0)),
            one(rank, rewriter.getIndexAttr(1));
        steps = tensor::ExtractSliceOp::create(
            rewriter, loc, tensorOf(rewriter, shapeWith({B, T}), element),
            steps, zero,
            getAsIndexOpFoldResult(rewriter.getContext(), shapeWith({B, T})),
            one);
      }
      Value last = lb.extractSlice(steps, 1, lb.index(T - 1));
      finals.push_back(last);
      if (exclusive) {
        // out_0 = init, out_t = inclusive_{t-1}.
        unsigned rank = 2 + restRank;
        SmallVector<OpFoldResult> zero(rank, rewriter.getIndexAttr(0)),
            one(rank, rewriter.getIndexAttr(1));
        SmallVector<OpFoldResult> at(rank, rewriter.getIndexAttr(0));
        at[1] = rewriter.getIndexAttr(1);
        Value head = tensor::ExtractSliceOp::create(
            rewriter, loc, tensorOf(rewriter, shapeWith({B, T - 1}), element),
            steps, zero,
            getAsIndexOpFoldResult(rewriter.getContext(),
                                   shapeWith({B, T - 1})),
            one);
        Value shifted = tensor::InsertSliceOp::create(
            rewriter, loc, head, emptyOf(lb, shapeWith({B, T}), element), at,
            getAsIndexOpFoldResult(rewriter.getContext(),
                                   shapeWith({B, T - 1})),
            one);
        steps = lb.insertSlice(init_k, shifted, 1, lb.index(0));
      }
      if (reverse) {
        unsigned rank = 2 + restRank;
        MLIRContext *context = rewriter.getContext();
        SmallVector<AffineExpr> in;
        for (unsigned d = 0; d < rank; ++d)
          in.push_back(getAffineDimExpr(d, context));
        in[1] = getAffineConstantExpr(T - 1, context) - in[1];
        steps =
            lb.generic({steps}, {emptyOf(lb, shapeWith({B, T}), element)},
                       ArrayRef<AffineMap>{
                           AffineMap::get(rank, 0, in, context),
                           AffineMap::getMultiDimIdentityMap(rank, context)},
                       {}, [&](OpBuilder &b, Location l, ValueRange a) {
                         linalg::YieldOp::create(b, l, a[0]);
                       })[0];
      }
      outputs.push_back(steps);
    }
    SmallVector<Value> results(outputs);
    llvm::append_range(results, finals);
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::populatePrefixScanPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerScanPrefix>(patterns.getContext());
}
