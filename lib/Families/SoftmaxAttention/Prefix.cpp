//===- Prefix.cpp - prefix form of a time-invariant query -----------------===//
//
// Aaren's form: softmax attention with one query for all steps is a scan
// of (m, u, w) elements (docs/DESIGN.md), computed by reduce-then-scan over
// chunks like the linear scan's prefix form.
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"
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
          Value prod =
              mul(b, l, sb.convert(args[0], f32), sb.convert(args[1], f32));
          Value acc =
              add(b, l, args[2], mul(b, l, prod, sb.scalar(f32, scale)));
          linalg::YieldOp::create(b, l, acc);
        })[0];
    Value s = chunked(
        insertPrefix(scores, filled(lb, {B, N * C, H}, negInf), {B, T, H}),
        {B, N * C, H});
    Value vConverted = lb.generic(
        {op.getV()}, {empty(lb, {B, T, H, DV})}, {D{0, 1, 2, 3}},
        {D{0, 1, 2, 3}}, 4, {}, [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          linalg::YieldOp::create(b, l, sb.convert(args[0], f32));
        })[0];
    Value v =
        chunked(insertPrefix(vConverted, filled(lb, {B, N * C, H, DV}, 0.0),
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
          Value w =
              ib.generic({mu[2], mu[3], vT, it[2]}, {empty(ib, {B, N, H, DV})},
                         {D{0, 1, 2}, D{0, 1, 2}, D{0, 1, 2, 3}, D{0, 1, 2, 3}},
                         {D{0, 1, 2, 3}}, 4, {},
                         [&](OpBuilder &b, Location bl, ValueRange a) {
                           linalg::YieldOp::create(
                               b, bl,
                               ValueRange{add(b, bl, mul(b, bl, a[3], a[0]),
                                              mul(b, bl, a[1], a[2]))});
                         })[0];
          scf::YieldOp::create(nb, l,
                               ValueRange{mu[0], mu[1], w,
                                          ib.insertSlice(mu[0], it[3], 2, t),
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
        SmallVector<int64_t> shape(
            cast<RankedTensorType>(part.getType()).getShape());
        D all;
        for (unsigned d = 0; d < shape.size(); ++d)
          all.push_back(d);
        init.push_back(
            lb.generic({part}, {empty(lb, shape)}, {all}, {all}, all.size(), {},
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
                Value u = add(b, bl, mul(b, bl, a[1], keepA),
                              mul(b, bl, a[3], keepB));
                linalg::YieldOp::create(b, bl, ValueRange{m, u, keepA, keepB});
              });
          Value w = ib.generic(
              {mu[2], mu[3], it[2], aW}, {empty(ib, {B, H, DV})},
              {D{0, 1}, D{0, 1}, D{0, 1, 2}, D{0, 1, 2}}, {D{0, 1, 2}}, 3, {},
              [&](OpBuilder &b, Location bl, ValueRange a) {
                linalg::YieldOp::create(
                    b, bl,
                    ValueRange{add(b, bl, mul(b, bl, a[2], a[0]),
                                   mul(b, bl, a[3], a[1]))});
              })[0];
          scf::YieldOp::create(nb, l,
                               ValueRange{mu[0], mu[1], w,
                                          ib.insertSlice(it[0], it[3], 1, n),
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
          linalg::YieldOp::create(
              b, l, ValueRange{arith::DivFOp::create(b, l, w, u)});
        })[0];
    Value all = tensor::CollapseShapeOp::create(
        rewriter, loc, out,
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    SmallVector<OpFoldResult> zero(4, rewriter.getIndexAttr(0)),
        one(4, rewriter.getIndexAttr(1));
    Value trimmed =
        tensor::ExtractSliceOp::create(rewriter, loc, type({B, T, H, DV}), all,
                                       zero, sizes({B, T, H, DV}), one);
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

void seqc::families::populateSoftmaxAttentionPrefixPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerSoftmaxScanPrefix>(patterns.getContext());
}
