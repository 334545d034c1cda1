//===- PrefixScan.cpp - prefix form of seq.linear_scan --------------------===//
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
//===----------------------------------------------------------------------===//
#include "lib/Utils/LoopBuilder.h"
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

SmallVector<unsigned> dimsUpTo(unsigned rank) {
  SmallVector<unsigned> dims;
  for (unsigned d = 0; d < rank; ++d)
    dims.push_back(d);
  return dims;
}

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
      SmallVector<unsigned> all = dimsUpTo(2 + restRank);
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
      return tensor::ExpandShapeOp::create(rewriter, loc,
                                           tensorOf(with({B, N, C})), dest,
                                           groups)
          .getResult();
    };
    Value a = padded(op.getA(), 1.0), b = padded(op.getB(), 0.0);

    // 1. Local scans of every chunk at once.
    SmallVector<unsigned> lane = dimsUpTo(2 + restRank); // [B, N, ...]
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
              lane.size(), {}, [&](OpBuilder &eb, Location el, ValueRange args) {
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
    SmallVector<unsigned> state = dimsUpTo(1 + restRank); // [B, ...]
    Value init = op.getInit()
                     ? lb.generic({op.getInit()},
                                  {lb.empty(tensorOf(with({B})), sizes(with({B})))},
                                  {state}, {state}, state.size(), {},
                                  [&](OpBuilder &bb, Location l, ValueRange args) {
                                    LoopBuilder sb(bb, l);
                                    linalg::YieldOp::create(bb, l, sb.convert(args[0], element));
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
                linalg::YieldOp::create(
                    eb, el, ValueRange{arith::AddFOp::create(eb, el, carried, args[1])});
              })[0];
          scf::YieldOp::create(nb, l, ValueRange{next, carries});
        });
    Value finalState = pass2.getResult(0), carries = pass2.getResult(1);

    // 3. Fix-up: h = h_loc + p_loc * carry_n, every step at once.
    SmallVector<unsigned> step = dimsUpTo(3 + restRank); // [B, N, C, ...]
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
struct LowerSoftmaxScanPrefix : OpRewritePattern<SoftmaxAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxAttentionOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::prefix ||
        !formLoweringBlocker(op).empty())
      return failure();
    RankedTensorType kType = op.getK().getType(), vType = op.getV().getType();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Type f32 = rewriter.getF32Type();
    int64_t B = kType.getDimSize(0), T = kType.getDimSize(1),
            H = kType.getDimSize(2), DK = kType.getDimSize(3),
            DV = vType.getDimSize(3);
    int64_t C = form.getChunkSize().value_or(256);
    int64_t N = (T + C - 1) / C;
    double scale = op.getScaleAttr() ? op.getScaleAttr().getValueAsDouble()
                                     : 1.0 / std::sqrt(double(DK));
    double negInf = -std::numeric_limits<double>::infinity();
    auto type = [&](SmallVector<int64_t> dims) {
      return RankedTensorType::get(dims, f32);
    };
    auto sizes = [&](ArrayRef<int64_t> dims) {
      return getAsIndexOpFoldResult(rewriter.getContext(), dims);
    };
    auto filled = [&](LoopBuilder &b, SmallVector<int64_t> dims, double v) {
      return b.filled(type(dims), sizes(dims), rewriter.getF32FloatAttr(v));
    };
    auto empty = [&](LoopBuilder &b, SmallVector<int64_t> dims) {
      return b.empty(type(dims), sizes(dims));
    };
    auto insertPrefix = [&](Value value, Value dest, ArrayRef<int64_t> shape) {
      SmallVector<OpFoldResult> zero(shape.size(), rewriter.getIndexAttr(0)),
          one(shape.size(), rewriter.getIndexAttr(1));
      return tensor::InsertSliceOp::create(rewriter, loc, value, dest, zero,
                                           sizes(shape), one)
          .getResult();
    };
    auto chunked = [&](Value value, SmallVector<int64_t> dims) {
      SmallVector<ReassociationIndices> groups = {{0}, {1, 2}};
      for (unsigned d = 2; d < dims.size(); ++d)
        groups.push_back({static_cast<int64_t>(d + 1)});
      SmallVector<int64_t> shape = {dims[0], N, C};
      shape.append(dims.begin() + 2, dims.end());
      return tensor::ExpandShapeOp::create(rewriter, loc, type(shape), value,
                                           groups)
          .getResult();
    };
    auto exp = [](OpBuilder &b, Location l, Value x) {
      return math::ExpOp::create(b, l, x).getResult();
    };
    auto sub = [](OpBuilder &b, Location l, Value x, Value y) {
      return arith::SubFOp::create(b, l, x, y).getResult();
    };
    auto mul = [](OpBuilder &b, Location l, Value x, Value y) {
      return arith::MulFOp::create(b, l, x, y).getResult();
    };
    auto add = [](OpBuilder &b, Location l, Value x, Value y) {
      return arith::AddFOp::create(b, l, x, y).getResult();
    };
    /// m = max(mA, mB), keepA = e^(mA - m), keepB = e^(mB - m), with the
    /// identity -inf contributing 0 (exp(-inf) = 0).
    auto combineWeights = [&](OpBuilder &b, Location l, Value mA, Value mB) {
      Value m = arith::MaximumFOp::create(b, l, mA, mB);
      return std::make_tuple(m, exp(b, l, sub(b, l, mA, m)),
                             exp(b, l, sub(b, l, mB, m)));
    };
    using D = SmallVector<unsigned>;

    // Scores [B, TP, H], -inf beyond T; values [B, TP, H, dv], 0 beyond T.
    Value scores = lb.generic(
        {op.getQ(), op.getK()}, {filled(lb, {B, T, H}, 0.0)},
        {D{0, 2, 3}, D{0, 1, 2, 3}}, {D{0, 1, 2}}, 4, {3},
        [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          Value prod = mul(b, l, sb.convert(args[0], f32), sb.convert(args[1], f32));
          Value acc = add(b, l, args[2], mul(b, l, prod, sb.scalar(f32, scale)));
          linalg::YieldOp::create(b, l, acc);
        })[0];
    Value s = chunked(insertPrefix(scores, filled(lb, {B, N * C, H}, negInf),
                                   {B, T, H}),
                      {B, N * C, H});
    Value vConverted = lb.generic(
        {op.getV()}, {empty(lb, {B, T, H, DV})}, {D{0, 1, 2, 3}},
        {D{0, 1, 2, 3}}, 4, {}, [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          linalg::YieldOp::create(b, l, sb.convert(args[0], f32));
        })[0];
    Value v = chunked(insertPrefix(vConverted, filled(lb, {B, N * C, H, DV}, 0.0),
                                   {B, T, H, DV}),
                      {B, N * C, H, DV});

    // 1. Local softmax scans of every chunk, from the identity.
    auto pass1 = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(C), lb.index(1),
        ValueRange{filled(lb, {B, N, H}, negInf), filled(lb, {B, N, H}, 0.0),
                   filled(lb, {B, N, H, DV}, 0.0), empty(lb, {B, N, C, H}),
                   empty(lb, {B, N, C, H}), empty(lb, {B, N, C, H, DV})},
        [&](OpBuilder &nb, Location l, Value t, ValueRange it) {
          LoopBuilder ib(nb, l);
          Value sT = ib.extractSlice(s, 2, t), vT = ib.extractSlice(v, 2, t);
          ValueRange mu = ib.generic(
              {sT, it[0], it[1]},
              {empty(ib, {B, N, H}), empty(ib, {B, N, H}), empty(ib, {B, N, H}),
               empty(ib, {B, N, H})},
              {D{0, 1, 2}, D{0, 1, 2}, D{0, 1, 2}},
              {D{0, 1, 2}, D{0, 1, 2}, D{0, 1, 2}, D{0, 1, 2}}, 3, {},
              [&](OpBuilder &b, Location bl, ValueRange a) {
                auto [m, keep, weight] = combineWeights(b, bl, a[1], a[0]);
                Value u = add(b, bl, mul(b, bl, a[2], keep), weight);
                linalg::YieldOp::create(b, bl, ValueRange{m, u, keep, weight});
              });
          Value w = ib.generic(
              {mu[2], mu[3], vT, it[2]}, {empty(ib, {B, N, H, DV})},
              {D{0, 1, 2}, D{0, 1, 2}, D{0, 1, 2, 3}, D{0, 1, 2, 3}},
              {D{0, 1, 2, 3}}, 4, {}, [&](OpBuilder &b, Location bl, ValueRange a) {
                linalg::YieldOp::create(
                    b, bl, ValueRange{add(b, bl, mul(b, bl, a[3], a[0]), mul(b, bl, a[1], a[2]))});
              })[0];
          scf::YieldOp::create(
              nb, l,
              ValueRange{mu[0], mu[1], w, ib.insertSlice(mu[0], it[3], 2, t),
                         ib.insertSlice(mu[1], it[4], 2, t),
                         ib.insertSlice(w, it[5], 2, t)});
        });

    // 2. The state entering each chunk, combined over the N aggregates.
    SmallVector<Value> init;
    if (op.getInit().empty()) {
      init = {filled(lb, {B, H}, negInf), filled(lb, {B, H}, 0.0),
              filled(lb, {B, H, DV}, 0.0)};
    } else {
      for (Value part : op.getInit()) {
        SmallVector<int64_t> shape(cast<RankedTensorType>(part.getType()).getShape());
        D all;
        for (unsigned d = 0; d < shape.size(); ++d)
          all.push_back(d);
        init.push_back(lb.generic({part}, {empty(lb, shape)}, {all}, {all},
                                  all.size(), {},
                                  [&](OpBuilder &b, Location l, ValueRange a) {
                                    LoopBuilder sb(b, l);
                                    linalg::YieldOp::create(b, l, sb.convert(a[0], f32));
                                  })[0]);
      }
    }
    auto pass2 = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(N), lb.index(1),
        ValueRange{init[0], init[1], init[2], empty(lb, {B, N, H}),
                   empty(lb, {B, N, H}), empty(lb, {B, N, H, DV})},
        [&](OpBuilder &nb, Location l, Value n, ValueRange it) {
          LoopBuilder ib(nb, l);
          Value aM = ib.extractSlice(pass1.getResult(0), 1, n),
                aU = ib.extractSlice(pass1.getResult(1), 1, n),
                aW = ib.extractSlice(pass1.getResult(2), 1, n);
          ValueRange mu = ib.generic(
              {it[0], it[1], aM, aU},
              {empty(ib, {B, H}), empty(ib, {B, H}), empty(ib, {B, H}),
               empty(ib, {B, H})},
              {D{0, 1}, D{0, 1}, D{0, 1}, D{0, 1}},
              {D{0, 1}, D{0, 1}, D{0, 1}, D{0, 1}}, 2, {},
              [&](OpBuilder &b, Location bl, ValueRange a) {
                auto [m, keepA, keepB] = combineWeights(b, bl, a[0], a[2]);
                Value u = add(b, bl, mul(b, bl, a[1], keepA), mul(b, bl, a[3], keepB));
                linalg::YieldOp::create(b, bl, ValueRange{m, u, keepA, keepB});
              });
          Value w = ib.generic(
              {mu[2], mu[3], it[2], aW}, {empty(ib, {B, H, DV})},
              {D{0, 1}, D{0, 1}, D{0, 1, 2}, D{0, 1, 2}}, {D{0, 1, 2}}, 3, {},
              [&](OpBuilder &b, Location bl, ValueRange a) {
                linalg::YieldOp::create(
                    b, bl, ValueRange{add(b, bl, mul(b, bl, a[2], a[0]), mul(b, bl, a[3], a[1]))});
              })[0];
          scf::YieldOp::create(
              nb, l,
              ValueRange{mu[0], mu[1], w, ib.insertSlice(it[0], it[3], 1, n),
                         ib.insertSlice(it[1], it[4], 1, n),
                         ib.insertSlice(it[2], it[5], 1, n)});
        });

    // 3. Every step: combine the chunk's carry with the local state; o = w / u.
    Value out = lb.generic(
        {pass2.getResult(3), pass2.getResult(4), pass2.getResult(5),
         pass1.getResult(3), pass1.getResult(4), pass1.getResult(5)},
        {empty(lb, {B, N, C, H, DV})},
        {D{0, 1, 3}, D{0, 1, 3}, D{0, 1, 3, 4}, D{0, 1, 2, 3}, D{0, 1, 2, 3},
         D{0, 1, 2, 3, 4}},
        {D{0, 1, 2, 3, 4}}, 5, {}, [&](OpBuilder &b, Location l, ValueRange a) {
          auto [m, keepA, keepB] = combineWeights(b, l, a[0], a[3]);
          (void)m;
          Value u = add(b, l, mul(b, l, a[1], keepA), mul(b, l, a[4], keepB));
          Value w = add(b, l, mul(b, l, a[2], keepA), mul(b, l, a[5], keepB));
          linalg::YieldOp::create(b, l, ValueRange{arith::DivFOp::create(b, l, w, u)});
        })[0];
    Value all = tensor::CollapseShapeOp::create(
        rewriter, loc, out,
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    SmallVector<OpFoldResult> zero(4, rewriter.getIndexAttr(0)),
        one(4, rewriter.getIndexAttr(1));
    Value trimmed = tensor::ExtractSliceOp::create(
        rewriter, loc, type({B, T, H, DV}), all, zero, sizes({B, T, H, DV}), one);
    auto convertTo = [&](Value value, Type target) {
      auto t = cast<RankedTensorType>(value.getType());
      auto result = cast<RankedTensorType>(target);
      if (t.getElementType() == result.getElementType())
        return value;
      D all;
      for (unsigned d = 0; d < t.getRank(); ++d)
        all.push_back(d);
      return lb.generic({value}, {lb.empty(result, lb.sizesOf(value))}, {all},
                        {all}, all.size(), {},
                        [&](OpBuilder &b, Location l, ValueRange a) {
                          LoopBuilder sb(b, l);
                          linalg::YieldOp::create(
                              b, l, sb.convert(a[0], result.getElementType()));
                        })[0];
    };
    rewriter.replaceOp(
        op, {convertTo(trimmed, op.getOutput().getType()),
             convertTo(pass2.getResult(0), op.getFinalStates()[0].getType()),
             convertTo(pass2.getResult(1), op.getFinalStates()[1].getType()),
             convertTo(pass2.getResult(2), op.getFinalStates()[2].getType())});
    return success();
  }
};

} // namespace

void seqc::populatePrefixFormPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLinearScanPrefix, LowerSoftmaxScanPrefix>(
      patterns.getContext());
}
