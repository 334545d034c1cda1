//===- Prefix.cpp - prefix form of seq.linear_scan ------------------------===//
//
// Reduce-then-scan over chunks of C steps (the form's chunk_size, default
// 256; T is padded with the identity a = 1, b = 0 to a multiple of C):
//
//   1. every chunk at once, C sequential steps: the local scan from zero,
//      h_loc, and the running product of a, p_loc;        [B, N, C, ...]
//   2. the N chunk aggregates (p_loc, h_loc at the chunk's end) scanned
//      sequentially from init: the state entering each chunk, carry_n;
//   3. every step at once: h = h_loc + p_loc * carry_n.
//
// Steps 1 and 3 are parallel over batch, chunks and channels (the
// per-thread sequential segments of the GPU form); only step 2, N steps
// long, is sequential. Negative a needs nothing special: products keep the
// sign (no log space).
//
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

#include <cmath>
#include <limits>
#include <tuple>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct LowerLinearScanPrefix : OpRewritePattern<LinearScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::prefix ||
        !formLoweringBlocker(op).empty())
      return failure();
    RankedTensorType aType = op.getA().getType();
    Type element = op.getH().getType().getElementType();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    SmallVector<int64_t> shape(aType.getShape());
    int64_t B = shape[0], T = shape[1];
    SmallVector<int64_t> rest(shape.begin() + 2, shape.end());
    int64_t C = form.getChunkSize().value_or(256);
    int64_t N = (T + C - 1) / C;
    auto tensorOf = [&](SmallVector<int64_t> dims) {
      return RankedTensorType::get(dims, element);
    };
    auto sizes = [&](ArrayRef<int64_t> dims) {
      return getAsIndexOpFoldResult(rewriter.getContext(), dims);
    };
    auto filled = [&](LoopBuilder &b, SmallVector<int64_t> dims, double v) {
      return b.filled(tensorOf(dims), sizes(dims),
                      rewriter.getFloatAttr(element, v));
    };
    auto with = [&](SmallVector<int64_t> front) {
      front.append(rest.begin(), rest.end());
      return front;
    };
    unsigned restRank = rest.size();

    // a and b in the state's type, padded with the identity (1, 0) and
    // viewed as [B, N, C, ...].
    auto padded = [&](Value v, double identity) {
      SmallVector<int64_t> full = with({B, N * C});
      Value dest = filled(lb, full, identity);
      SmallVector<unsigned> all = identityDims(2 + restRank);
      Value converted = lb.generic(
          {v}, {lb.empty(tensorOf(shape), sizes(shape))}, {all}, {all},
          all.size(), {}, [&](OpBuilder &b, Location l, ValueRange args) {
            LoopBuilder sb(b, l);
            linalg::YieldOp::create(b, l, sb.convert(args[0], element));
          })[0];
      SmallVector<OpFoldResult> zero(full.size(), rewriter.getIndexAttr(0)),
          one(full.size(), rewriter.getIndexAttr(1));
      dest = tensor::InsertSliceOp::create(rewriter, loc, converted, dest, zero,
                                           sizes(shape), one);
      SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
      for (unsigned d = 0; d < restRank; ++d)
        groups.push_back({3 + d});
      return tensor::ExpandShapeOp::create(
                 rewriter, loc, tensorOf(with({B, N, C})), dest, groups)
          .getResult();
    };
    Value a = padded(op.getA(), 1.0), b = padded(op.getB(), 0.0);

    // 1. Local scans of every chunk at once.
    SmallVector<unsigned> lane = identityDims(2 + restRank); // [B, N, ...]
    auto pass1 = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(C), lb.index(1),
        ValueRange{filled(lb, with({B, N}), 1.0), filled(lb, with({B, N}), 0.0),
                   lb.empty(tensorOf(with({B, N, C})), sizes(with({B, N, C}))),
                   lb.empty(tensorOf(with({B, N, C})), sizes(with({B, N, C})))},
        [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value aT = ib.extractSlice(a, 2, t), bT = ib.extractSlice(b, 2, t);
          ValueRange next = ib.generic(
              {aT, bT}, {iter[0], iter[1]}, {lane, lane}, {lane, lane},
              lane.size(), {},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                Value p = arith::MulFOp::create(eb, el, args[0], args[2]);
                Value h = arith::AddFOp::create(
                    eb, el, arith::MulFOp::create(eb, el, args[0], args[3]),
                    args[1]);
                linalg::YieldOp::create(eb, el, ValueRange{p, h});
              });
          Value products = ib.insertSlice(next[0], iter[2], 2, t);
          Value states = ib.insertSlice(next[1], iter[3], 2, t);
          scf::YieldOp::create(nb, l,
                               ValueRange{next[0], next[1], products, states});
        });
    Value aggA = pass1.getResult(0), aggB = pass1.getResult(1);
    Value localP = pass1.getResult(2), localH = pass1.getResult(3);

    // 2. The state entering each chunk, scanned over the N aggregates.
    SmallVector<unsigned> state = identityDims(1 + restRank); // [B, ...]
    Value init =
        op.getInit()
            ? lb.generic({op.getInit()},
                         {lb.empty(tensorOf(with({B})), sizes(with({B})))},
                         {state}, {state}, state.size(), {},
                         [&](OpBuilder &bb, Location l, ValueRange args) {
                           LoopBuilder sb(bb, l);
                           linalg::YieldOp::create(
                               bb, l, sb.convert(args[0], element));
                         })[0]
            : filled(lb, with({B}), 0.0);
    auto pass2 = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(N), lb.index(1),
        ValueRange{init, lb.empty(tensorOf(with({B, N})), sizes(with({B, N})))},
        [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value carries = ib.insertSlice(iter[0], iter[1], 1, n);
          // carry' = A_n * carry + B_n
          Value next = ib.generic(
              {ib.extractSlice(aggA, 1, n), ib.extractSlice(aggB, 1, n),
               iter[0]},
              {ib.empty(tensorOf(with({B})), sizes(with({B})))},
              {state, state, state}, {state}, state.size(), {},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                Value carried = arith::MulFOp::create(eb, el, args[0], args[2]);
                linalg::YieldOp::create(eb, el,
                                        ValueRange{arith::AddFOp::create(
                                            eb, el, carried, args[1])});
              })[0];
          scf::YieldOp::create(nb, l, ValueRange{next, carries});
        });
    Value finalState = pass2.getResult(0), carries = pass2.getResult(1);

    // 3. Fix-up: h = h_loc + p_loc * carry_n, every step at once.
    SmallVector<unsigned> step = identityDims(3 + restRank); // [B, N, C, ...]
    SmallVector<unsigned> chunk = {0, 1};
    for (unsigned d = 0; d < restRank; ++d)
      chunk.push_back(3 + d);
    Value h = lb.generic(
        {localH, localP, carries},
        {lb.empty(tensorOf(with({B, N, C})), sizes(with({B, N, C})))},
        {step, step, chunk}, {step}, step.size(), {},
        [&](OpBuilder &eb, Location el, ValueRange args) {
          Value fix = arith::MulFOp::create(eb, el, args[1], args[2]);
          linalg::YieldOp::create(
              eb, el, ValueRange{arith::AddFOp::create(eb, el, args[0], fix)});
        })[0];
    SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
    for (unsigned d = 0; d < restRank; ++d)
      groups.push_back({3 + d});
    Value all = tensor::CollapseShapeOp::create(rewriter, loc, h, groups);
    SmallVector<int64_t> full = with({B, N * C});
    SmallVector<OpFoldResult> zero(full.size(), rewriter.getIndexAttr(0)),
        one(full.size(), rewriter.getIndexAttr(1));
    Value trimmed = tensor::ExtractSliceOp::create(
        rewriter, loc, tensorOf(shape), all, zero, sizes(shape), one);
    rewriter.replaceOp(op, {trimmed, finalState});
    return success();
  }
};

/// The prefix form of Aaren's softmax scan (a time-invariant query): the
/// same three passes over the element (m, u, w), combined as
/// m = max(m_A, m_B), u = u_A e^(m_A - m) + u_B e^(m_B - m), likewise w.
/// Padded steps have score -inf: they leave every state unchanged.
} // namespace

void seqc::families::populateLinearScanPrefixPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearScanPrefix>(patterns.getContext());
}
