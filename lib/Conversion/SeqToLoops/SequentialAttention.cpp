//===- SequentialAttention.cpp - sequential form of the attention family --===//
//
// One scf.for over time; each step updates the per-head state with
// linalg.generic ops that are parallel over batch, heads and channels:
//
//   linear_attention:  S = diag(exp(g)) S + k v^T;           o = S^T q s
//   delta_rule:        S = a (S - beta k (k^T S)) + beta k v^T; o = S^T q s
//   softmax_attention: per-step query: masked softmax over the key/value
//                      cache; time-invariant query: the (m, u, w) update.
//
// Arithmetic is in f32 for low-precision inputs, states in their own type.
//
//===----------------------------------------------------------------------===//
#include "AttentionSupport.h"
#include "lib/Utils/LoopBuilder.h"
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

double scaleFactor(FloatAttr scale, Value key) {
  return attentionScale(scale, key);
}

/// o[b, h, j] = scale * sum_i S[b, h, i, j] q[b, h, i], converted to the
/// output element type.
Value readOut(LoopBuilder &lb, Value state, Value query, Type compute,
              Type outElement, double scale, Value valueSlice) {
  OpBuilder &b = lb.builder();
  auto vType = cast<RankedTensorType>(valueSlice.getType());
  SmallVector<OpFoldResult> sizes = lb.sizesOf(valueSlice);
  Value acc = lb.zeros(RankedTensorType::get(vType.getShape(), compute), sizes);
  Value sum = lb.generic(
      {state, query}, {acc}, {Dims{0, 1, 3, 2}, Dims{0, 1, 3}}, {Dims{0, 1, 2}},
      4, {3}, [&](OpBuilder &eb, Location l, ValueRange args) {
        LoopBuilder sb(eb, l);
        Value s = sb.convert(args[0], compute);
        Value q = sb.convert(args[1], compute);
        Value prod = arith::MulFOp::create(eb, l, s, q);
        Value add = arith::AddFOp::create(eb, l, args[2], prod);
        linalg::YieldOp::create(eb, l, add);
      })[0];
  Value out = lb.empty(RankedTensorType::get(vType.getShape(), outElement),
                       sizes);
  return lb.generic({sum}, {out}, {Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
                    [&](OpBuilder &eb, Location l, ValueRange args) {
                      LoopBuilder sb(eb, l);
                      Value factor = sb.scalar(compute, scale);
                      Value scaled = arith::MulFOp::create(eb, l, args[0], factor);
                      linalg::YieldOp::create(eb, l,
                                              sb.convert(scaled, outElement));
                    })[0];
  (void)b;
}

Value initialMatrixState(LoopBuilder &lb, Value init, RankedTensorType type,
                         Value q, Value v) {
  if (init)
    return init;
  SmallVector<OpFoldResult> qs = lb.sizesOf(q), vs = lb.sizesOf(v);
  return lb.zeros(type, {qs[0], qs[2], qs[3], vs[3]});
}

/// How one step updates the matrix state: given the step's slices and the
/// current state, returns the next state.
using MatrixStateUpdate = llvm::function_ref<Value(
    LoopBuilder &, Value t, Value state, Type compute, Type stateElement)>;

/// The loop linear attention and the delta rule share: the state
/// [B, H, dk, dv] and the output sequence are carried over time; each step
/// updates the state, then reads out o = scale * S^T q.
LogicalResult lowerMatrixStateLoop(Operation *op, PatternRewriter &rewriter,
                                   Value q, Value k, Value v, Value init,
                                   RankedTensorType stateType,
                                   RankedTensorType outputType,
                                   FloatAttr scaleAttr,
                                   MatrixStateUpdate update) {
  double scale = scaleFactor(scaleAttr, k);
  Location loc = op->getLoc();
  LoopBuilder lb(rewriter, loc);
  Type stateElement = stateType.getElementType();
  Type compute = computeType(stateElement);
  Type outElement = outputType.getElementType();
  Value state = initialMatrixState(lb, init, stateType, q, v);
  Value outputs = lb.empty(outputType, lb.sizesOf(v));
  auto loop = scf::ForOp::create(
      rewriter, loc, lb.index(0), lb.dim(q, 1), lb.index(1),
      ValueRange{state, outputs},
      [&](OpBuilder &nb, Location l, Value t, ValueRange iter) {
        LoopBuilder ib(nb, l);
        Value next = update(ib, t, iter[0], compute, stateElement);
        Value out = readOut(ib, next, ib.extractTimeSlice(q, t), compute,
                            outElement, scale, ib.extractTimeSlice(v, t));
        Value written = ib.insertTimeSlice(out, iter[1], t);
        scf::YieldOp::create(nb, l, ValueRange{next, written});
      });
  rewriter.replaceOp(op, {loop.getResult(1), loop.getResult(0)});
  return success();
}

struct LowerLinearAttention : OpRewritePattern<LinearAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Value k = op.getK(), v = op.getV(), gate = op.getGate();
    GateKind kind = op.getGateKind();
    // S = diag(exp(g)) S + k v^T, in place.
    auto update = [&](LoopBuilder &ib, Value t, Value state, Type compute,
                      Type stateElement) {
      SmallVector<Value> ins = {ib.extractTimeSlice(k, t),
                                ib.extractTimeSlice(v, t)};
      SmallVector<Dims> maps = {Dims{0, 1, 2}, Dims{0, 1, 3}};
      if (gate) {
        ins.push_back(ib.extractTimeSlice(gate, t));
        maps.push_back(kind == GateKind::scalar ? Dims{0, 1} : Dims{0, 1, 2});
      }
      return ib.generic(
          ins, {state}, maps, {Dims{0, 1, 2, 3}}, 4, {},
          [&](OpBuilder &eb, Location el, ValueRange args) {
            LoopBuilder sb(eb, el);
            Value s = sb.convert(args.back(), compute);
            if (gate) {
              Value alpha =
                  math::ExpOp::create(eb, el, sb.convert(args[2], compute));
              s = arith::MulFOp::create(eb, el, s, alpha);
            }
            Value kv = arith::MulFOp::create(eb, el,
                                             sb.convert(args[0], compute),
                                             sb.convert(args[1], compute));
            Value next = arith::AddFOp::create(eb, el, s, kv);
            linalg::YieldOp::create(eb, el, sb.convert(next, stateElement));
          })[0];
    };
    return lowerMatrixStateLoop(op, rewriter, op.getQ(), k, v, op.getInit(),
                                op.getFinalState().getType(),
                                op.getOutput().getType(), op.getScaleAttr(),
                                update);
  }
};

struct LowerDeltaRule : OpRewritePattern<DeltaRuleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DeltaRuleOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Value k = op.getK(), v = op.getV(), beta = op.getBeta(),
          gate = op.getGate();
    auto update = [&](LoopBuilder &ib, Value t, Value state, Type compute,
                      Type stateElement) {
      Value kT = ib.extractTimeSlice(k, t), vT = ib.extractTimeSlice(v, t);
      // kS[b, h, j] = sum_i k[b, h, i] S[b, h, i, j]
      auto vType = cast<RankedTensorType>(vT.getType());
      Value kS = ib.generic(
          {kT, state},
          {ib.zeros(RankedTensorType::get(vType.getShape(), compute),
                    ib.sizesOf(vT))},
          {Dims{0, 1, 3}, Dims{0, 1, 3, 2}}, {Dims{0, 1, 2}}, 4, {3},
          [&](OpBuilder &eb, Location el, ValueRange args) {
            LoopBuilder sb(eb, el);
            Value prod = arith::MulFOp::create(eb, el,
                                               sb.convert(args[0], compute),
                                               sb.convert(args[1], compute));
            linalg::YieldOp::create(
                eb, el, ValueRange{arith::AddFOp::create(eb, el, args[2], prod)});
          })[0];
      SmallVector<Value> ins = {kT, vT, kS, ib.extractTimeSlice(beta, t)};
      SmallVector<Dims> maps = {Dims{0, 1, 2}, Dims{0, 1, 3}, Dims{0, 1, 3},
                                Dims{0, 1}};
      if (gate) {
        ins.push_back(ib.extractTimeSlice(gate, t));
        maps.push_back(Dims{0, 1});
      }
      // S = alpha (S - beta k kS) + beta k v, in place.
      return ib.generic(
          ins, {state}, maps, {Dims{0, 1, 2, 3}}, 4, {},
          [&](OpBuilder &eb, Location el, ValueRange args) {
            LoopBuilder sb(eb, el);
            Value key = sb.convert(args[0], compute);
            Value value = sb.convert(args[1], compute);
            Value strength = sb.convert(args[3], compute);
            Value s = sb.convert(args.back(), compute);
            Value betaKey = arith::MulFOp::create(eb, el, strength, key);
            Value erase = arith::MulFOp::create(eb, el, betaKey, args[2]);
            Value kept = arith::SubFOp::create(eb, el, s, erase);
            if (gate) {
              Value alpha =
                  math::ExpOp::create(eb, el, sb.convert(args[4], compute));
              kept = arith::MulFOp::create(eb, el, alpha, kept);
            }
            Value write = arith::MulFOp::create(eb, el, betaKey, value);
            Value next = arith::AddFOp::create(eb, el, kept, write);
            linalg::YieldOp::create(eb, el, sb.convert(next, stateElement));
          })[0];
    };
    return lowerMatrixStateLoop(op, rewriter, op.getQ(), k, v, op.getInit(),
                                op.getFinalState().getType(),
                                op.getOutput().getType(), op.getScaleAttr(),
                                update);
  }
};

struct LowerSoftmaxAttention : OpRewritePattern<SoftmaxAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    double scale = scaleFactor(op.getScaleAttr(), op.getK());
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
          Value scores = ib.generic(
              {qT, keys}, {ib.zeros(type({dyn, dyn, dyn}), {batch, heads, total})},
              {Dims{0, 1, 3}, Dims{0, 2, 1, 3}}, {Dims{0, 1, 2}}, 4, {3},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value prod = arith::MulFOp::create(
                    eb, el, sb.convert(args[0], compute),
                    sb.convert(args[1], compute));
                linalg::YieldOp::create(
                    eb, el, ValueRange{arith::AddFOp::create(eb, el, args[2], prod)});
              })[0];
          Value negInf = ib.scalar(compute, -std::numeric_limits<double>::infinity());
          Value maxInit = linalg::FillOp::create(
                              nb, l, negInf,
                              ib.empty(type({dyn, dyn}), {batch, heads}))
                              .getResult(0);
          Value maxima = ib.generic(
              {scores}, {maxInit}, {Dims{0, 1, 2}}, {Dims{0, 1}}, 3, {2},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value scaled = arith::MulFOp::create(
                    eb, el, args[0], sb.scalar(compute, scale));
                Value larger = arith::MaximumFOp::create(eb, el, args[1], scaled);
                Value keep = arith::SelectOp::create(
                    eb, el, visible(eb, el, 2), larger, args[1]);
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
                    eb, el, ValueRange{arith::AddFOp::create(eb, el, args[2], w)});
              })[0];
          Value numerators = ib.generic(
              {scores, maxima, values},
              {ib.zeros(type({dyn, dyn, dyn}), {batch, heads, valueDim})},
              {Dims{0, 1, 3}, Dims{0, 1}, Dims{0, 3, 1, 2}}, {Dims{0, 1, 2}},
              4, {3}, [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value w = weight(eb, el, args[0], args[1], 3);
                Value prod = arith::MulFOp::create(
                    eb, el, w, sb.convert(args[2], compute));
                linalg::YieldOp::create(
                    eb, el, ValueRange{arith::AddFOp::create(eb, el, args[3], prod)});
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
          Value scores = ib.generic(
              {q, kT}, {ib.zeros(scalarType, bh)}, {Dims{0, 1, 2}, Dims{0, 1, 2}},
              {Dims{0, 1}}, 3, {2},
              [&](OpBuilder &eb, Location el, ValueRange args) {
                LoopBuilder sb(eb, el);
                Value prod = arith::MulFOp::create(
                    eb, el, sb.convert(args[0], compute),
                    sb.convert(args[1], compute));
                linalg::YieldOp::create(
                    eb, el, ValueRange{arith::AddFOp::create(eb, el, args[2], prod)});
              })[0];
          // m' = max(m, s); keep = e^(m - m'); weight = e^(s - m');
          // u' = u keep + weight.
          ValueRange updated = ib.generic(
              {scores}, {iter[0], iter[1], ib.empty(scalarType, bh),
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
                    arith::MulFOp::create(eb, el,
                                          sb.convert(args[2], compute), keep),
                    w);
                linalg::YieldOp::create(
                    eb, el,
                    ValueRange{sb.convert(newMax, stateElement),
                               sb.convert(u, stateElement), keep, w});
              });
          auto vSlice = cast<RankedTensorType>(vT.getType());
          ValueRange numer = ib.generic(
              {updated[2], updated[3], vT, updated[1]},
              {iter[2], ib.empty(RankedTensorType::get(vSlice.getShape(),
                                                       outElement),
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
                linalg::YieldOp::create(
                    eb, el,
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

void seqc::populateSequentialAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLinearAttention, LowerDeltaRule, LowerSoftmaxAttention>(
      patterns.getContext());
}
