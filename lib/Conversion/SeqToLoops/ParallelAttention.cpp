//===- ParallelAttention.cpp - parallel form of seq.softmax_attention -----===//
//
// The quadratic, masked form: every step's scores at once, no loop over
// time. Per batch and head, with the P cached keys first,
//
//   S[t, p] = q_t . k_p                              (all t, p < P + T)
//   m[t]    = max_{p <= P + t} scale S[t, p]
//   o_t     = sum_{p <= P + t} exp(scale S[t, p] - m[t]) v_p
//             / sum_{p <= P + t} exp(scale S[t, p] - m[t])
//
// exactly the sequential form's arithmetic per step (max-shifted, so no
// exponent is positive), in T x (P + T) scores instead of P + T per step:
// O(T (P + T)) memory for a critical path of one step. Every loop is a
// linalg.generic: parallel over batch, heads, steps and channels.
//
//===----------------------------------------------------------------------===//
#include "AttentionSupport.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

using Dims = SmallVector<unsigned>;

struct LowerSoftmaxAttentionParallel : OpRewritePattern<SoftmaxAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxAttentionOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::parallel ||
        op.hasTimeInvariantQuery() || !formLoweringBlocker(op).empty())
      return failure();
    double scale = attentionScale(op.getScaleAttr(), op.getK());
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value q = op.getQ();
    Type compute = computeType(
        cast<RankedTensorType>(op.getK().getType()).getElementType());
    Value prefix = cachedSteps(lb, op);
    auto [keys, values] = extendKeyValueCache(lb, op);
    SmallVector<OpFoldResult> ks = lb.sizesOf(keys), vs = lb.sizesOf(values),
                              qs = lb.sizesOf(q);
    OpFoldResult batch = ks[0], heads = ks[2], steps = qs[1], valueDim = vs[3];
    int64_t dyn = ShapedType::kDynamic;
    auto type = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, compute);
    };
    // Key p is visible to step t when p <= P + t.
    auto visible = [&](OpBuilder &b, Location l, unsigned stepDim,
                       unsigned keyDim) {
      Value t = linalg::IndexOp::create(b, l, stepDim);
      Value p = linalg::IndexOp::create(b, l, keyDim);
      Value limit = arith::AddIOp::create(b, l, prefix, t);
      return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, p, limit)
          .getResult();
    };

    Value scores = attentionScores(lb, q, keys, compute);
    // maxima[b, h, t] over visible p; dims (b, h, t, p).
    Value negInf =
        lb.scalar(compute, -std::numeric_limits<double>::infinity());
    Value maxInit =
        linalg::FillOp::create(
            rewriter, loc, negInf,
            lb.empty(type({dyn, dyn, dyn}), {batch, heads, steps}))
            .getResult(0);
    Value maxima = lb.generic(
        {scores}, {maxInit}, {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2}}, 4, {3},
        [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          Value scaled =
              arith::MulFOp::create(b, l, args[0], sb.scalar(compute, scale));
          Value larger = arith::MaximumFOp::create(b, l, args[1], scaled);
          linalg::YieldOp::create(
              b, l,
              arith::SelectOp::create(b, l, visible(b, l, 2, 3), larger,
                                      args[1])
                  .getResult());
        })[0];
    // denominators[b, h, t]; dims (b, h, t, p).
    Value denominators = lb.generic(
        {scores, maxima}, {lb.zeros(type({dyn, dyn, dyn}), {batch, heads, steps})},
        {Dims{0, 1, 2, 3}, Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 4, {3},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value w = softmaxWeight(b, l, compute, scale, args[0], args[1],
                                  visible(b, l, 2, 3));
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddFOp::create(b, l, args[2], w)});
        })[0];
    // numerators[b, h, t, e] = sum_p w[b, h, t, p] values[b, p, h, e]; dims
    // (b, h, t, e, p).
    Value numerators = lb.generic(
        {scores, maxima, values},
        {lb.zeros(type({dyn, dyn, dyn, dyn}), {batch, heads, steps, valueDim})},
        {Dims{0, 1, 2, 4}, Dims{0, 1, 2}, Dims{0, 4, 1, 3}}, {Dims{0, 1, 2, 3}},
        5, {4}, [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          Value w = softmaxWeight(b, l, compute, scale, args[0], args[1],
                                  visible(b, l, 2, 4));
          Value prod =
              arith::MulFOp::create(b, l, w, sb.convert(args[2], compute));
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddFOp::create(b, l, args[3], prod)});
        })[0];
    Value output = normalizeAttention(lb, op, numerators, denominators);
    rewriter.replaceOp(op, {output, keys, values});
    return success();
  }
};

} // namespace

void seqc::populateParallelFormPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerSoftmaxAttentionParallel>(patterns.getContext());
}
