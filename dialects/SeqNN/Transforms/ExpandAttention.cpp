//===- ExpandAttention.cpp - the attention family -> seq ops ---------------===//
//
// Every layer projects x once for all steps (q, k, v and gates: one matmul
// each), splits heads ([B, T, H*d] -> [B, T, H, d]), runs one seq op, merges
// heads and applies the output projection:
//
//   retnet          linear_attention, scalar gate log(gamma_h)
//   gla             linear_attention, vector gate logsigmoid(x Wd Wu + b)/tau
//   mamba2          linear_attention, scalar gate dt * -exp(a_log), k = B,
//                   q = C (groups shared by H/G heads), v = dt * x W_x, + d x W_x
//   deltanet        delta_rule, q and k L2-normalized, beta = sigmoid (x2)
//   gated_deltanet  delta_rule with gate -exp(a_log) * softplus(x W_a + b)
//   aaren           softmax_attention of the learned query (prefix scan)
//   attention       softmax_attention with a key/value cache
//
//===----------------------------------------------------------------------===//
#include "ExpandUtils.h"
#include "Passes.h"

#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::seqnn;

namespace {

using Dims = SmallVector<unsigned>;

/// x W split into heads: [B, T, H, d].
Value projectHeads(ExpandBuilder &eb, Value x, Value w, int64_t heads) {
  Value y = eb.project(x, w);
  int64_t width = shapeOf(y)[2];
  return eb.split(y, 2, {heads, width / heads});
}

/// o [B, T, H, d] merged and projected by w_o, in the declared type.
Value outputProjection(ExpandBuilder &eb, Value o, Value wO, Type element) {
  return eb.convertElements(eb.project(eb.merge(o, 2, 2), wO), element);
}

/// A per-step, per-head map of the projection x w [B, T, H].
Value headScalars(ExpandBuilder &eb, Value x, Value w, Value bias,
                  function_ref<Value(OpBuilder &, Location, Value, Value)> fn,
                  Value perHead = Value()) {
  Value z = eb.project(x, w);
  if (bias)
    z = eb.addBias(z, bias);
  SmallVector<Value> ins = {z};
  SmallVector<Dims> maps = {Dims{0, 1, 2}};
  if (perHead) {
    ins.push_back(perHead);
    maps.push_back(Dims{2});
  }
  return eb.generic(ins, {eb.emptyOf(eb.sizesOf(z))}, maps, {Dims{0, 1, 2}}, 3, {},
                    [&](OpBuilder &b, Location l, ValueRange args) {
                      LoopBuilder sb(b, l);
                      Value h = perHead ? sb.convert(args[1], b.getF32Type())
                                        : Value();
                      linalg::YieldOp::create(b, l, fn(b, l, args[0], h));
                    })[0];
}

FloatAttr scaleFor(OpBuilder &b, int64_t keyDim) {
  return b.getF64FloatAttr(1.0 / std::sqrt(static_cast<double>(keyDim)));
}

Value initState(ExpandBuilder &eb, Value init) {
  return init ? eb.convertElements(init, eb.f32()) : Value();
}

/// Replaces a layer with (y, final state) from a matrix-state seq op.
void replaceMatrixLayer(PatternRewriter &rewriter, ExpandBuilder &eb,
                        Operation *op, Value o, Value state, Value wO) {
  Type yElement = cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  Type sElement = cast<RankedTensorType>(op->getResult(1).getType()).getElementType();
  rewriter.replaceOp(op, {outputProjection(eb, o, wO, yElement),
                          eb.convertElements(state, sElement)});
}

/// q, k and v of a layer, each [B, T, H, d].
struct Projections {
  Value q, k, v;
  SmallVector<int64_t> qShape, vShape;
};

Projections projectQKV(ExpandBuilder &eb, Value x, Value wQ, Value wK,
                       Value wV, int64_t heads) {
  Projections p;
  p.q = projectHeads(eb, x, wQ, heads);
  p.k = projectHeads(eb, x, wK, heads);
  p.v = projectHeads(eb, x, wV, heads);
  p.qShape = shapeOf(p.q);
  p.vShape = shapeOf(p.v);
  return p;
}

/// Replaces a layer with gated linear attention over its projections.
void replaceWithLinearAttention(PatternRewriter &rewriter, ExpandBuilder &eb,
                                Operation *op, const Projections &p,
                                Value gate, seq::GateKind kind, Value init,
                                Value wO) {
  ArrayRef<int64_t> qs = p.qShape, vs = p.vShape;
  auto la = seq::LinearAttentionOp::create(
      rewriter, eb.location(), eb.tensorOf(vs),
      eb.tensorOf({qs[0], qs[2], qs[3], vs[3]}), p.q, p.k, p.v, gate,
      initState(eb, init), kind, scaleFor(rewriter, qs[3]), nullptr);
  replaceMatrixLayer(rewriter, eb, op, la.getOutput(), la.getFinalState(), wO);
}

/// Replaces a layer with its output projection and the softmax-attention
/// states, in the declared element types.
void replaceSoftmaxLayer(PatternRewriter &rewriter, ExpandBuilder &eb,
                         Operation *op, seq::SoftmaxAttentionOp attention,
                         Value wO) {
  auto elementOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getElementType();
  };
  SmallVector<Value> results = {outputProjection(
      eb, attention.getOutput(), wO, elementOf(op->getResult(0)))};
  for (auto [s, state] : llvm::enumerate(attention.getFinalStates()))
    results.push_back(
        eb.convertElements(state, elementOf(op->getResult(s + 1))));
  rewriter.replaceOp(op, results);
}

struct ExpandRetNet : OpRewritePattern<RetNetOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RetNetOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    int64_t H = op.getHeads();
    Projections p = projectQKV(eb, op.getX(), op.getWQ(), op.getWK(),
                               op.getWV(), H);
    ArrayRef<int64_t> qs = p.qShape;
    // log(gamma_h) for every step: gamma_h = 1 - 2^(-5-h) unless given.
    SmallVector<float> logDecay;
    for (int64_t h = 0; h < H; ++h) {
      double gamma = op.getDecay()
                         ? cast<FloatAttr>((*op.getDecay())[h]).getValueAsDouble()
                         : 1.0 - std::pow(2.0, -5.0 - h);
      logDecay.push_back(static_cast<float>(std::log(gamma)));
    }
    Value decay = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(eb.tensorOf({H}), ArrayRef(logDecay)));
    Value gate = eb.generic({decay},
                            {eb.emptyOf({eb.sizeOf(p.q, 0), eb.sizeOf(p.q, 1),
                                         eb.size(H)})},
                            {Dims{2}},
                            {Dims{0, 1, 2}}, 3, {},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              linalg::YieldOp::create(b, l, args[0]);
                            })[0];
    replaceWithLinearAttention(rewriter, eb, op, p, gate, seq::GateKind::scalar,
                               op.getInit(), op.getWO());
    return success();
  }
};

struct ExpandGLA : OpRewritePattern<GLAOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GLAOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    int64_t H = op.getHeads();
    Projections p = projectQKV(eb, op.getX(), op.getWQ(), op.getWK(),
                               op.getWV(), H);
    // log alpha = logsigmoid(x Wd Wu + b) / tau = -softplus(-z) / tau
    Value z = eb.addBias(eb.project(eb.project(op.getX(), op.getWGateDown()),
                                    op.getWGateUp()),
                         op.getGateBias());
    double tau = op.getGateNormalizer().convertToDouble();
    Value logAlpha = eb.map({z}, [&](OpBuilder &b, Location l, ArrayRef<Value> a) {
      Value sp = ExpandBuilder::softplus(b, l, arith::NegFOp::create(b, l, a[0]));
      return arith::DivFOp::create(b, l, arith::NegFOp::create(b, l, sp),
                                   ExpandBuilder::constant(b, l, tau))
          .getResult();
    });
    Value gate = eb.split(logAlpha, 2, {H, p.qShape[3]});
    replaceWithLinearAttention(rewriter, eb, op, p, gate, seq::GateKind::vector,
                               op.getInit(), op.getWO());
    return success();
  }
};

struct ExpandMamba2 : OpRewritePattern<Mamba2Op> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Mamba2Op op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    MLIRContext *ctx = rewriter.getContext();
    int64_t H = op.getHeads(), G = op.getGroups();
    Value x = op.getX();
    // dt = softplus(x W_dt + dt_bias) [B, T, H]
    Value dt = headScalars(eb, x, op.getWDt(), op.getDtBias(),
                           [](OpBuilder &b, Location l, Value z, Value) {
                             return ExpandBuilder::softplus(b, l, z);
                           });
    // g = dt * -exp(a_log)
    Value gate = eb.generic({dt, op.getALog()}, {eb.emptyOf(eb.sizesOf(dt))},
                            {Dims{0, 1, 2}, Dims{2}}, {Dims{0, 1, 2}}, 3, {},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              LoopBuilder sb(b, l);
                              Value aLog = sb.convert(args[1], b.getF32Type());
                              Value a = arith::NegFOp::create(b, l, math::ExpOp::create(b, l, aLog));
                              linalg::YieldOp::create(b, l, ValueRange{arith::MulFOp::create(b, l, args[0], a)});
                            })[0];
    Value groupB = projectHeads(eb, x, op.getWB(), G);
    Value groupC = projectHeads(eb, x, op.getWC(), G);
    Value xv = projectHeads(eb, x, op.getWX(), H);
    SmallVector<int64_t> gs = shapeOf(groupB), xs = shapeOf(xv);
    int64_t B = xs[0], T = xs[1], N = gs[3], P = xs[3];
    // Sizes of the per-head tensors; batch and time may be dynamic.
    SmallVector<OpFoldResult> headSizes = {eb.sizeOf(xv, 0), eb.sizeOf(xv, 1),
                                           eb.size(H), eb.size(N)};
    SmallVector<OpFoldResult> valueSizes = eb.sizesOf(xv);
    // Head h reads group h / (H / G).
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineMap groupOfHead = AffineMap::get(
        4, 0, {d(0), d(1), d(2).floorDiv(H / G), d(3)}, ctx);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    auto broadcastGroups = [&](Value grouped) {
      return eb.generic({grouped}, {eb.emptyOf(headSizes)},
                        {groupOfHead, identity}, {},
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          linalg::YieldOp::create(b, l, args[0]);
                        })[0];
    };
    Value k = broadcastGroups(groupB), q = broadcastGroups(groupC);
    // v = dt * x W_x
    Value v = eb.generic({dt, xv}, {eb.emptyOf(valueSizes)},
                         {Dims{0, 1, 2}, Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}},
                         4, {}, [&](OpBuilder &b, Location l, ValueRange args) {
                           linalg::YieldOp::create(b, l, ValueRange{arith::MulFOp::create(b, l, args[0], args[1])});
                         })[0];
    auto la = seq::LinearAttentionOp::create(
        rewriter, loc, eb.tensorOf({B, T, H, P}), eb.tensorOf({B, H, N, P}), q,
        k, v, gate, initState(eb, op.getInit()), seq::GateKind::scalar,
        rewriter.getF64FloatAttr(1.0), nullptr);
    // o += d_h * x W_x
    Value o = eb.generic({la.getOutput(), op.getD(), xv},
                         {eb.emptyOf(valueSizes)},
                         {Dims{0, 1, 2, 3}, Dims{2}, Dims{0, 1, 2, 3}},
                         {Dims{0, 1, 2, 3}}, 4, {},
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           LoopBuilder sb(b, l);
                           Value dh = sb.convert(args[1], b.getF32Type());
                           Value skip = arith::MulFOp::create(b, l, dh, args[2]);
                           linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, args[0], skip)});
                         })[0];
    replaceMatrixLayer(rewriter, eb, op, o, la.getFinalState(), op.getWO());
    return success();
  }
};

template <typename OpT>
struct ExpandDeltaNet : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    int64_t H = op.getHeads();
    Value x = op.getX();
    Value q = eb.normalizeRows(projectHeads(eb, x, op.getWQ(), H));
    Value k = eb.normalizeRows(projectHeads(eb, x, op.getWK(), H));
    Value v = projectHeads(eb, x, op.getWV(), H);
    SmallVector<int64_t> qs = shapeOf(q), vs = shapeOf(v);
    double betaScale = op.getAllowNegativeEigenvalues() ? 2.0 : 1.0;
    Value beta = headScalars(eb, x, op.getWBeta(), Value(),
                             [&](OpBuilder &b, Location l, Value z, Value) {
                               return arith::MulFOp::create(
                                   b, l, ExpandBuilder::sigmoid(b, l, z),
                                   ExpandBuilder::constant(b, l, betaScale))
                                   .getResult();
                             });
    Value gate;
    if constexpr (std::is_same_v<OpT, GatedDeltaNetOp>) {
      // log alpha = -exp(a_log) * softplus(x W_a + dt_bias)
      gate = headScalars(
          eb, x, op.getWA(), op.getDtBias(),
          [](OpBuilder &b, Location l, Value z, Value aLog) {
            Value rate = math::ExpOp::create(b, l, aLog);
            Value dt = ExpandBuilder::softplus(b, l, z);
            return arith::NegFOp::create(b, l, arith::MulFOp::create(b, l, rate, dt))
                .getResult();
          },
          op.getALog());
    }
    auto rule = seq::DeltaRuleOp::create(
        rewriter, loc, eb.tensorOf(vs), eb.tensorOf({qs[0], H, qs[3], vs[3]}), q,
        k, v, beta, gate, initState(eb, op.getInit()),
        op.getAllowNegativeEigenvalues(), scaleFor(rewriter, qs[3]), nullptr);
    replaceMatrixLayer(rewriter, eb, op, rule.getOutput(), rule.getFinalState(),
                       op.getWO());
    return success();
  }
};

struct ExpandAaren : OpRewritePattern<AarenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AarenOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    int64_t H = op.getHeads();
    Value k = projectHeads(eb, op.getX(), op.getWK(), H);
    Value v = projectHeads(eb, op.getX(), op.getWV(), H);
    SmallVector<int64_t> ks = shapeOf(k), vs = shapeOf(v);
    int64_t B = ks[0];
    // The learned query [H, dk], the same for every sequence: [B, H, dk].
    Value q = eb.generic({op.getQuery()},
                         {eb.emptyOf({eb.sizeOf(k, 0), eb.size(H), eb.size(ks[3])})},
                         {Dims{1, 2}}, {Dims{0, 1, 2}}, 3, {},
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           LoopBuilder sb(b, l);
                           linalg::YieldOp::create(b, l, sb.convert(args[0], b.getF32Type()));
                         })[0];
    SmallVector<Value> init;
    for (Value s : op.getInit())
      init.push_back(eb.convertElements(s, eb.f32()));
    SmallVector<Type> stateTypes = {eb.tensorOf({B, H}), eb.tensorOf({B, H}),
                                    eb.tensorOf({B, H, vs[3]})};
    auto attention = seq::SoftmaxAttentionOp::create(
        rewriter, loc, eb.tensorOf(vs), stateTypes, q, k, v, init,
        scaleFor(rewriter, ks[3]), nullptr);
    replaceSoftmaxLayer(rewriter, eb, op, attention, op.getWO());
    return success();
  }
};

struct ExpandAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    int64_t H = op.getHeads();
    Projections p = projectQKV(eb, op.getX(), op.getWQ(), op.getWK(),
                               op.getWV(), H);
    Value q = p.q, k = p.k, v = p.v;
    ArrayRef<int64_t> ks = p.qShape, vs = p.vShape;
    SmallVector<Value> init;
    for (Value s : op.getInit())
      init.push_back(eb.convertElements(s, eb.f32()));
    int64_t total = shapeOf(op.getFinalStates()[0])[1];
    SmallVector<Type> cacheTypes = {eb.tensorOf({ks[0], total, H, ks[3]}),
                                    eb.tensorOf({vs[0], total, H, vs[3]})};
    auto attention = seq::SoftmaxAttentionOp::create(
        rewriter, loc, eb.tensorOf(vs), cacheTypes, q, k, v, init,
        scaleFor(rewriter, ks[3]), nullptr);
    replaceSoftmaxLayer(rewriter, eb, op, attention, op.getWO());
    return success();
  }
};

} // namespace

void seqc::seqnn::populateExpandAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandRetNet, ExpandGLA, ExpandMamba2,
               ExpandDeltaNet<DeltaNetOp>, ExpandDeltaNet<GatedDeltaNetOp>,
               ExpandAaren, ExpandAttention>(patterns.getContext());
}
