//===- Prefix.cpp - prefix form of seq.linear_scan ------------------------===//
//
// Reduce-then-scan over chunks of C steps (the form's chunk_size, default
// 256; the last chunk may be shorter), in rounds of P chunks per sequence
// (the form's `workers`; absent: every chunk in one round):
//
//   1. the round's chunks at once, one per thread: each chunk's aggregate,
//      the product of its a and its scan from zero at its end (a and b
//      read, nothing written);
//   2. the states entering the round's chunks, chained from the state
//      entering the round: carry_j+1 = A_j carry_j + H_j (P steps);
//   3. the round's chunks at once again: each scanned from its carry,
//      writing h.
//
// With P = cores and C steps of a and b sized to a core's L2 (the CPU cost
// model's constraint), step 3 reads what step 1 just brought into that
// core's cache: the sequence comes from memory once, as in the sequential
// form, and both passes run on every core. With one round (P = N chunks)
// this is the classic three-pass prefix the GPU kernels use. Negative a
// needs nothing special: products keep the sign (no log space).
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/LinearScan/LinearScan.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// Shapes and index arithmetic shared by the three steps.
struct PrefixChunks {
  Type element;                // the state's (compute) element type
  SmallVector<int64_t> rest;   // channel dims after [B, T]
  int64_t C;                   // steps per chunk
  Value batch, steps, workers; // B, T, P
  Value round;                 // inside the round loop

  RankedTensorType tensorOf(ArrayRef<int64_t> front) const {
    SmallVector<int64_t> dims(front);
    dims.append(rest.begin(), rest.end());
    return RankedTensorType::get(dims, element);
  }
  SmallVector<unsigned> channelDims(unsigned leading) const {
    return identityDims(leading + rest.size());
  }
  /// [start, end) of the round's chunk `j`: empty past T.
  std::pair<Value, Value> bounds(OpBuilder &b, Location loc, Value j) const {
    Value n = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, round, workers), j);
    Value chunk = arith::ConstantIndexOp::create(b, loc, C);
    Value start = arith::MinSIOp::create(
        b, loc, arith::MulIOp::create(b, loc, n, chunk), steps);
    Value end = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, start, chunk), steps);
    return {start, end};
  }
  /// Sizes of the tensor [front..., rest...]: a dynamic dimension of
  /// `front` takes its value from `values` (one per dimension of `front`),
  /// a static one its size.
  SmallVector<OpFoldResult> sizes(OpBuilder &b, ArrayRef<int64_t> front,
                                  ArrayRef<Value> values) const {
    assert(values.size() == front.size() && "one value per front dimension");
    SmallVector<OpFoldResult> result;
    for (auto [d, value] : llvm::zip(front, values))
      result.push_back(ShapedType::isDynamic(d) ? OpFoldResult(value)
                                                : b.getIndexAttr(d));
    for (int64_t d : rest)
      result.push_back(b.getIndexAttr(d));
    return result;
  }
};

/// a * s + b in the state's type.
Value scanStep(OpBuilder &b, Location loc, Type element, Value a, Value bv,
               Value state) {
  LoopBuilder sb(b, loc);
  Value aS = sb.convert(a, element), bS = sb.convert(bv, element);
  return arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, aS, state),
                               bS);
}

/// `x`, or 0 where it is subnormal. A chunk's product of decays passes
/// through the subnormal range on its way to 0 (0.9^C does at C ~ 850),
/// and x86 cores take a microcode assist, ~100 cycles, for every subnormal
/// operand: the reduction ran 4x slower than the whole sequential scan at
/// C = 512 on random decays. Flushed, it is exactly what flush-to-zero
/// arithmetic computes; the carry it scales changes by less than the
/// smallest normal number times the carry.
Value flushSubnormal(OpBuilder &b, Location loc, Value x) {
  auto type = cast<FloatType>(x.getType());
  Value smallest = arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(type,
                     APFloat::getSmallestNormalized(type.getFloatSemantics())));
  Value tiny = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                     math::AbsFOp::create(b, loc, x), smallest);
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(type, 0.0));
  return arith::SelectOp::create(b, loc, tiny, zero, x);
}

struct LowerLinearScanPrefix : OpRewritePattern<LinearScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::prefix ||
        !formLoweringBlocker(op).empty())
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value a = op.getA(), b = op.getB();
    RankedTensorType aType = op.getA().getType();
    PrefixChunks pc;
    // The states in the compute type (f32 for a 16-bit h), rounded only
    // where they are written (h, the final state), as the reference rounds.
    Type hElement = op.getH().getType().getElementType();
    pc.element = computeType(hElement);
    pc.rest.assign(aType.getShape().begin() + 2, aType.getShape().end());
    pc.C = form.getChunkSize().value_or(256);
    pc.batch = lb.dim(a, 0);
    pc.steps = lb.dim(a, 1);
    Value chunks =
        arith::CeilDivSIOp::create(rewriter, loc, pc.steps, lb.index(pc.C));
    std::optional<int64_t> workers = form.getWorkers();
    pc.workers = workers ? lb.index(*workers) : chunks;
    Value rounds =
        arith::CeilDivSIOp::create(rewriter, loc, chunks, pc.workers);
    int64_t B = aType.getDimSize(0);
    int64_t P = workers ? *workers : ShapedType::kDynamic;
    auto attr = [&](double v) { return rewriter.getFloatAttr(pc.element, v); };

    // The state entering the first round, in the compute type (the chained
    // update below is a new value: bufferization keeps the caller's `init`).
    SmallVector<unsigned> stateDims = pc.channelDims(1); // [B, ...]
    RankedTensorType stateType = pc.tensorOf({B});
    SmallVector<OpFoldResult> stateSizes = pc.sizes(rewriter, {B}, {pc.batch});
    Value init = op.getInit()
                     ? lb.convertElements(op.getInit(), pc.element)
                     : lb.filled(stateType, stateSizes, attr(0.0));
    Value h = lb.empty(op.getH().getType(), lb.sizesOf(a));

    auto roundLoop = scf::ForOp::create(
        rewriter, loc, lb.index(0), rounds, lb.index(1), ValueRange{init, h},
        [&](OpBuilder &rb, Location l, Value r, ValueRange iter) {
          pc.round = r;
          LoopBuilder rl(rb, l);
          SmallVector<int64_t> aggShape = {B, P};
          RankedTensorType aggType = pc.tensorOf(aggShape);
          SmallVector<OpFoldResult> aggSizes =
              pc.sizes(rb, aggShape, {pc.batch, pc.workers});
          SmallVector<OpFoldResult> chunkGrid = {pc.batch, pc.workers};

          // 1. The round's chunk aggregates, one chunk per thread.
          auto reduce =
              scf::ForallOp::create(rb, l, chunkGrid,
                                    ValueRange{rl.empty(aggType, aggSizes),
                                               rl.empty(aggType, aggSizes)},
                                    /*mapping=*/std::nullopt);
          {
            OpBuilder::InsertionGuard guard(rb);
            rb.setInsertionPointToStart(reduce.getBody());
            LoopBuilder fb(rb, l);
            Value n = reduce.getInductionVar(0), j = reduce.getInductionVar(1);
            auto [start, end] = pc.bounds(rb, l, j);
            Value aN = fb.extractSlice(a, 0, n), bN = fb.extractSlice(b, 0, n);
            RankedTensorType channels = pc.tensorOf({});
            SmallVector<OpFoldResult> channelSizes = pc.sizes(rb, {}, {});
            SmallVector<unsigned> dims = pc.channelDims(0);
            auto steps = scf::ForOp::create(
                rb, l, start, end, fb.index(1),
                ValueRange{fb.filled(channels, channelSizes, attr(1.0)),
                           fb.filled(channels, channelSizes, attr(0.0))},
                [&](OpBuilder &sb, Location sl, Value t, ValueRange acc) {
                  LoopBuilder st(sb, sl);
                  ValueRange next = st.generic(
                      {st.extractSlice(aN, 0, t), st.extractSlice(bN, 0, t)},
                      {acc[0], acc[1]}, {dims, dims}, {dims, dims}, dims.size(),
                      {}, [&](OpBuilder &eb, Location el, ValueRange args) {
                        LoopBuilder cb(eb, el);
                        Value aS = cb.convert(args[0], pc.element);
                        Value p = flushSubnormal(
                            eb, el, arith::MulFOp::create(eb, el, args[2], aS));
                        Value hl = scanStep(eb, el, pc.element, args[0],
                                            args[1], args[3]);
                        linalg::YieldOp::create(eb, el, ValueRange{p, hl});
                      });
                  scf::YieldOp::create(sb, sl, next);
                });
            rb.setInsertionPointToStart(reduce.getTerminator().getBody());
            for (auto [value, shared] :
                 llvm::zip(steps.getResults(), reduce.getRegionIterArgs())) {
              SmallVector<OpFoldResult> offsets(2 + pc.rest.size(),
                                                rb.getIndexAttr(0));
              offsets[0] = n;
              offsets[1] = j;
              SmallVector<OpFoldResult> sizes(2, rb.getIndexAttr(1));
              for (int64_t d : pc.rest)
                sizes.push_back(rb.getIndexAttr(d));
              SmallVector<OpFoldResult> strides(offsets.size(),
                                                rb.getIndexAttr(1));
              tensor::ParallelInsertSliceOp::create(rb, l, value, shared,
                                                    offsets, sizes, strides);
            }
          }
          Value products = reduce.getResult(0), ends = reduce.getResult(1);

          // 2. The state entering each of the round's chunks, chained.
          auto chain = scf::ForOp::create(
              rb, l, rl.index(0), pc.workers, rl.index(1),
              ValueRange{iter[0], rl.empty(aggType, aggSizes)},
              [&](OpBuilder &cb, Location cl, Value j, ValueRange acc) {
                LoopBuilder ch(cb, cl);
                Value carries = ch.insertSlice(acc[0], acc[1], 1, j);
                Value next = ch.generic(
                    {ch.extractSlice(products, 1, j),
                     ch.extractSlice(ends, 1, j), acc[0]},
                    {ch.empty(stateType, stateSizes)},
                    {stateDims, stateDims, stateDims}, {stateDims},
                    stateDims.size(), {},
                    [&](OpBuilder &eb, Location el, ValueRange args) {
                      Value carried =
                          arith::MulFOp::create(eb, el, args[0], args[2]);
                      linalg::YieldOp::create(eb, el,
                                              ValueRange{arith::AddFOp::create(
                                                  eb, el, carried, args[1])});
                    })[0];
                scf::YieldOp::create(cb, cl, ValueRange{next, carries});
              });
          Value carries = chain.getResult(1);

          // 3. Each chunk scanned from its carry, writing h.
          auto scan =
              scf::ForallOp::create(rb, l, chunkGrid, ValueRange{iter[1]},
                                    /*mapping=*/std::nullopt);
          {
            OpBuilder::InsertionGuard guard(rb);
            rb.setInsertionPointToStart(scan.getBody());
            LoopBuilder fb(rb, l);
            Value n = scan.getInductionVar(0), j = scan.getInductionVar(1);
            std::pair<Value, Value> bounds = pc.bounds(rb, l, j);
            Value start = bounds.first, end = bounds.second;
            Value length = arith::SubIOp::create(rb, l, end, start);
            Value aN = fb.extractSlice(a, 0, n), bN = fb.extractSlice(b, 0, n);
            Value carry = fb.extractSlice(fb.extractSlice(carries, 0, n), 0, j);
            // This chunk's steps of h: [1, length, ...] viewed as
            // [length, ...].
            Value shared = scan.getRegionIterArgs()[0];
            SmallVector<OpFoldResult> offsets(2 + pc.rest.size(),
                                              rb.getIndexAttr(0));
            offsets[0] = n;
            offsets[1] = start;
            SmallVector<OpFoldResult> sizes = {rb.getIndexAttr(1), length};
            for (int64_t d : pc.rest)
              sizes.push_back(rb.getIndexAttr(d));
            SmallVector<OpFoldResult> strides(offsets.size(),
                                              rb.getIndexAttr(1));
            RankedTensorType hChunkType =
                pc.tensorOf({ShapedType::kDynamic}).clone(hElement);
            Value hChunk = tensor::ExtractSliceOp::create(
                rb, l, hChunkType, shared, offsets, sizes, strides);
            SmallVector<unsigned> dims = pc.channelDims(0);
            auto steps = scf::ForOp::create(
                rb, l, fb.index(0), length, fb.index(1),
                ValueRange{carry, hChunk},
                [&](OpBuilder &sb, Location sl, Value t, ValueRange acc) {
                  LoopBuilder st(sb, sl);
                  Value step = arith::AddIOp::create(sb, sl, start, t);
                  ValueRange next = st.generic(
                      {st.extractSlice(aN, 0, step),
                       st.extractSlice(bN, 0, step)},
                      {acc[0], st.extractSlice(acc[1], 0, t)}, {dims, dims},
                      {dims, dims}, dims.size(), {},
                      [&](OpBuilder &eb, Location el, ValueRange args) {
                        Value hv = scanStep(eb, el, pc.element, args[0],
                                            args[1], args[2]);
                        linalg::YieldOp::create(
                            eb, el,
                            ValueRange{hv, LoopBuilder(eb, el).convert(
                                               hv, hElement)});
                      });
                  Value written = st.insertSlice(next[1], acc[1], 0, t);
                  scf::YieldOp::create(sb, sl, ValueRange{next[0], written});
                });
            rb.setInsertionPointToStart(scan.getTerminator().getBody());
            tensor::ParallelInsertSliceOp::create(
                rb, l, steps.getResult(1), shared, offsets, sizes, strides);
          }
          scf::YieldOp::create(
              rb, l, ValueRange{chain.getResult(0), scan.getResult(0)});
        });
    rewriter.replaceOp(
        op, {roundLoop.getResult(1),
             lb.convertElements(roundLoop.getResult(0),
                                op.getFinalState().getType().getElementType())});
    return success();
  }
};

} // namespace

void seqc::families::populateLinearScanPrefixPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearScanPrefix>(patterns.getContext());
}
