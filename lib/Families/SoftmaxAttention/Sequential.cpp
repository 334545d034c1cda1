//===- Sequential.cpp - sequential form of seq.softmax_attention ----------===//
//
// One scf.for over time. A per-step query: masked softmax over the
// key/value cache; a time-invariant query (Aaren): the (m, u, w) update.
// Arithmetic in f32 for low-precision inputs.
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"
#include "lib/Families/SoftmaxAttention/SoftmaxSupport.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

using Dims = SmallVector<unsigned>;

Type elementOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getElementType();
}

struct LowerSoftmaxAttention : OpRewritePattern<SoftmaxAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    double scale = attentionScale(op.getScaleAttr(), op.getK());
    if (op.hasTimeInvariantQuery())
      lowerTimeInvariantQuery(op, rewriter, scale);
    else
      lowerPerStepQuery(op, rewriter, scale);
    return success();
  }

  /// The key/value cache is extended first; step t then takes a masked
  /// softmax over the P + t + 1 visible keys.
  void lowerPerStepQuery(SoftmaxAttentionOp op, PatternRewriter &rewriter,
                         double scale) const {
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value q = op.getQ(), k = op.getK(), v = op.getV();
    Type element = elementOf(k);
    Type compute = computeType(element);
    Type outElement = op.getOutput().getType().getElementType();
    Value prefix = cachedSteps(lb, op);
    Value steps = lb.dim(k, 1);
    Value total = arith::AddIOp::create(rewriter, loc, prefix, steps);

    // Plain values, not structured bindings: lambdas below capture them.
    Value keys, values;
    std::tie(keys, values) = extendKeyValueCache(lb, op);
    Value outputs = lb.empty(op.getOutput().getType(), lb.sizesOf(v));
    SmallVector<OpFoldResult> ks = lb.sizesOf(keys), vs = lb.sizesOf(values);
    OpFoldResult batch = ks[0], heads = ks[2], valueDim = vs[3];
    SmallVector<int64_t> stepShape(op.getOutput().getType().getShape());
    stepShape.erase(stepShape.begin() + 1); // [B, H, dv]

    auto loop = scf::ForOp::create(
        rewriter, loc, lb.index(0), steps, lb.index(1), ValueRange{outputs},
        [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value qT = ib.extractTimeSlice(q, t);
          Value limit = arith::AddIOp::create(nb, l, prefix, t);
          auto visible = [&](OpBuilder &eb, Location el, unsigned dim) {
            Value p = linalg::IndexOp::create(eb, el, dim);
            return arith::CmpIOp::create(eb, el, arith::CmpIPredicate::ule, p,
                                         limit)
                .getResult();
          };
          auto type = [&](ArrayRef<int64_t> shape) {
            return RankedTensorType::get(shape, compute);
          };
          int64_t dyn = ShapedType::kDynamic;
          // scores[b, h, p] = scale * q . k_p
          Value scores = ib.multiplyAccumulate(
              qT, keys, ib.zeros(type({dyn, dyn, dyn}), {batch, heads, total}),
              {Dims{0, 1, 3}, Dims{0, 2, 1, 3}}, Dims{0, 1, 2}, 4, {3},
              compute);
          Value negInf =
              ib.scalar(compute, -std::numeric_limits<double>::infinity());
          Value maxInit =
              linalg::FillOp::create(nb, l, negInf,
                                     ib.empty(type({dyn, dyn}), {batch, heads}))
                  .getResult(0);
          Value maxima = ib.generic(
              {scores}, {maxInit}, {Dims{0, 1, 2}}, {Dims{0, 1}}, 3, {2},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value scaled = arith::MulFOp::create(eb, el, args[0],
                                                     sb.scalar(compute, scale));
                Value larger =
                    arith::MaximumFOp::create(eb, el, args[1], scaled);
                Value keep = arith::SelectOp::create(eb, el, visible(eb, el, 2),
                                                     larger, args[1]);
                linalg::YieldOp::create(eb, el, keep);
              })[0];
          // Unnormalized weighted sum of values and the softmax denominator.
          auto weight = [&](OpBuilder &eb, Location el, Value score, Value max,
                            unsigned keyDim) {
            return softmaxWeight(eb, el, compute, scale, score, max,
                                 visible(eb, el, keyDim));
          };
          Value denominators = ib.generic(
              {scores, maxima}, {ib.zeros(type({dyn, dyn}), {batch, heads})},
              {Dims{0, 1, 2}, Dims{0, 1}}, {Dims{0, 1}}, 3, {2},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                Value w = weight(eb, el, args[0], args[1], 2);
                linalg::YieldOp::create(
                    eb, el,
                    ValueRange{arith::AddFOp::create(eb, el, args[2], w)});
              })[0];
          Value numerators = ib.generic(
              {scores, maxima, values},
              {ib.zeros(type({dyn, dyn, dyn}), {batch, heads, valueDim})},
              {Dims{0, 1, 3}, Dims{0, 1}, Dims{0, 3, 1, 2}}, {Dims{0, 1, 2}}, 4,
              {3}, [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value w = weight(eb, el, args[0], args[1], 3);
                Value prod = arith::MulFOp::create(
                    eb, el, w, sb.convert(args[2], compute));
                linalg::YieldOp::create(
                    eb, el,
                    ValueRange{arith::AddFOp::create(eb, el, args[3], prod)});
              })[0];
          Value out = ib.generic(
              {numerators, denominators},
              {ib.empty(RankedTensorType::get(stepShape, outElement),
                        {batch, heads, valueDim})},
              {Dims{0, 1, 2}, Dims{0, 1}}, {Dims{0, 1, 2}}, 3, {},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value o = arith::DivFOp::create(eb, el, args[0], args[1]);
                linalg::YieldOp::create(eb, el, sb.convert(o, outElement));
              })[0];
          scf::YieldOp::create(nb, l,
                               ValueRange{ib.insertTimeSlice(out, iter[0], t)});
        });
    rewriter.replaceOp(op, {loop.getResult(0), keys, values});
  }

  /// Aaren: the state (m, u, w) absorbs one key/value per step.
  void lowerTimeInvariantQuery(SoftmaxAttentionOp op, PatternRewriter &rewriter,
                               double scale) const {
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Value q = op.getQ(), k = op.getK(), v = op.getV();
    Type stateElement = elementOf(op.getFinalStates()[0]);
    Type compute = computeType(stateElement);
    Type outElement = op.getOutput().getType().getElementType();
    SmallVector<Value> state;
    if (!op.getInit().empty()) {
      llvm::append_range(state, op.getInit());
    } else {
      SmallVector<OpFoldResult> qs = lb.sizesOf(q), vs = lb.sizesOf(v);
      auto typeOf = [&](unsigned i) {
        return cast<RankedTensorType>(op.getFinalStates()[i].getType());
      };
      state.push_back(lb.filled(
          typeOf(0), {qs[0], qs[1]},
          rewriter.getFloatAttr(stateElement,
                                -std::numeric_limits<double>::infinity())));
      state.push_back(lb.zeros(typeOf(1), {qs[0], qs[1]}));
      state.push_back(lb.zeros(typeOf(2), {qs[0], qs[1], vs[3]}));
    }
    SmallVector<Value> iterInit(state);
    iterInit.push_back(lb.empty(op.getOutput().getType(), lb.sizesOf(v)));

    auto loop = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.dim(k, 1), lb.index(1), iterInit,
        [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value kT = ib.extractTimeSlice(k, t), vT = ib.extractTimeSlice(v, t);
          SmallVector<OpFoldResult> bh = ib.sizesOf(iter[0]);
          int64_t dyn = ShapedType::kDynamic;
          auto scalarType = RankedTensorType::get({dyn, dyn}, compute);
          Value scores = ib.multiplyAccumulate(
              q, kT, ib.zeros(scalarType, bh),
              {Dims{0, 1, 2}, Dims{0, 1, 2}}, Dims{0, 1}, 3, {2}, compute);
          // m' = max(m, s); keep = e^(m - m'); weight = e^(s - m');
          // u' = u keep + weight.
          ValueRange updated = ib.generic(
              {scores},
              {iter[0], iter[1], ib.empty(scalarType, bh),
               ib.empty(scalarType, bh)},
              {Dims{0, 1}}, {Dims{0, 1}, Dims{0, 1}, Dims{0, 1}, Dims{0, 1}}, 2,
              {}, [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value s = arith::MulFOp::create(eb, el, args[0],
                                                sb.scalar(compute, scale));
                Value m = sb.convert(args[1], compute);
                Value newMax = arith::MaximumFOp::create(eb, el, m, s);
                Value keep = math::ExpOp::create(
                    eb, el, arith::SubFOp::create(eb, el, m, newMax));
                Value w = math::ExpOp::create(
                    eb, el, arith::SubFOp::create(eb, el, s, newMax));
                Value u = arith::AddFOp::create(
                    eb, el,
                    arith::MulFOp::create(eb, el, sb.convert(args[2], compute),
                                          keep),
                    w);
                linalg::YieldOp::create(
                    eb, el,
                    ValueRange{sb.convert(newMax, stateElement),
                               sb.convert(u, stateElement), keep, w});
              });
          auto vSlice = cast<RankedTensorType>(vT.getType());
          ValueRange numer = ib.generic(
              {updated[2], updated[3], vT, updated[1]},
              {iter[2],
               ib.empty(RankedTensorType::get(vSlice.getShape(), outElement),
                        ib.sizesOf(vT))},
              {Dims{0, 1}, Dims{0, 1}, Dims{0, 1, 2}, Dims{0, 1}},
              {Dims{0, 1, 2}, Dims{0, 1, 2}}, 3, {},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value kept = arith::MulFOp::create(
                    eb, el, sb.convert(args[4], compute), args[0]);
                Value added = arith::MulFOp::create(
                    eb, el, args[1], sb.convert(args[2], compute));
                Value w = arith::AddFOp::create(eb, el, kept, added);
                Value o = arith::DivFOp::create(eb, el, w,
                                                sb.convert(args[3], compute));
                linalg::YieldOp::create(eb, el,
                                        ValueRange{sb.convert(w, stateElement),
                                                   sb.convert(o, outElement)});
              });
          Value written = ib.insertTimeSlice(numer[1], iter[3], t);
          scf::YieldOp::create(
              nb, l, ValueRange{updated[0], updated[1], numer[0], written});
        });
    rewriter.replaceOp(op, {loop.getResult(3), loop.getResult(0),
                            loop.getResult(1), loop.getResult(2)});
  }
};

} // namespace

void seqc::families::populateSoftmaxAttentionSequentialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerSoftmaxAttention>(patterns.getContext());
}
