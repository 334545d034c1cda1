//===- Adjoint.cpp - the derivative rule of seq.softmax_attention ---------===//
//
// Causal softmax attention with a per-step query over the keys and values
// of the extended cache (the op's final states K', V' = [cache; this call]):
//
//   S = scale Q K'^T (masked: query t sees cache entries and steps <= t)
//   P = softmax(S),  O = P V'
//   dV' = P^T dO,  dP = dO V'^T,  delta = rowsum(dO o O)
//   dS = P o (dP - delta),  dQ = scale dS K',  dK' = scale dS^T Q
//
// with the final states' own cotangents added to dK', dV' before they are
// split between the cache and this call's keys and values. P is recomputed
// from Q and K' (the forward keeps no [T, L] matrix); the backward here is
// dense over (t, l): the tiled flash backward that recomputes P block by
// block from the saved log-sum-exp is not built yet.
//
// With a time-invariant query (Aaren), the op is its softmax-scan
// recurrence over the state (m, u, w):
//   s = scale q . k_t,  m' = max(m, s),  u' = u e^(m - m') + e^(s - m'),
//   w' = w e^(m - m') + e^(s - m') v_t,  o_t = w' / u'
// differentiated as a recurrence (its prefix-form backward is not built
// yet); the query is broadcast over time and its cotangent summed back.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"

#include "lib/Families/Recurrence/Recurrence.h"
#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::ad;

namespace {

/// Builds linalg.generic ops over up to 5 loops in f32.
struct Contractions {
  OpBuilder &b;
  Location loc;
  Type f32 = b.getF32Type();

  AffineMap map(unsigned loops, ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(b.getAffineDimExpr(d));
    return AffineMap::get(loops, 0, exprs, b.getContext());
  }

  Value convert(OpBuilder &nb, Location nl, Value v) {
    if (v.getType() == f32)
      return v;
    return arith::ExtFOp::create(nb, nl, f32, v);
  }

  /// out[outDims] = scale * sum over the other loops of lhs * rhs.
  Value contract(unsigned loops, Value lhs, ArrayRef<unsigned> lhsDims,
                 Value rhs, ArrayRef<unsigned> rhsDims,
                 ArrayRef<unsigned> outDims, ArrayRef<int64_t> outShape,
                 double scale) {
    auto type = RankedTensorType::get(outShape, f32);
    SmallVector<utils::IteratorType> iterators;
    for (unsigned d = 0; d < loops; ++d)
      iterators.push_back(llvm::is_contained(outDims, d)
                              ? utils::IteratorType::parallel
                              : utils::IteratorType::reduction);
    SmallVector<AffineMap> maps = {map(loops, lhsDims), map(loops, rhsDims),
                                   map(loops, outDims)};
    return linalg::GenericOp::create(
               b, loc, type, ValueRange{lhs, rhs}, zerosOf(b, loc, type), maps,
               iterators,
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 Value product = arith::MulFOp::create(
                     nb, nl, convert(nb, nl, args[0]), convert(nb, nl, args[1]));
                 if (scale != 1.0)
                   product = arith::MulFOp::create(
                       nb, nl, product,
                       arith::ConstantOp::create(nb, nl, f32,
                                                 nb.getF32FloatAttr(scale)));
                 Value sum = arith::AddFOp::create(nb, nl, args[2], product);
                 linalg::YieldOp::create(nb, nl, sum);
               })
        .getResult(0);
  }
};

} // namespace

/// An elementwise generic over `shape` (f32): `inputs` with `maps` (over
/// shape.size() loops), `body` on their scalars.
static Value elementwiseF32(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ValueRange inputs,
    ArrayRef<AffineMap> maps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Type f32 = b.getF32Type();
  auto type = RankedTensorType::get(shape, f32);
  SmallVector<AffineMap> all(maps);
  all.push_back(b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, inputs,
             tensor::EmptyOp::create(b, loc, shape, f32).getResult(), all,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               SmallVector<Value> scalars;
               for (Value v : args.drop_back())
                 scalars.push_back(v.getType() == f32
                                       ? v
                                       : Value(arith::ExtFOp::create(
                                             nb, nl, f32, v)));
               linalg::YieldOp::create(nb, nl, body(nb, nl, scalars));
             })
      .getResult(0);
}

/// Aaren: the softmax scan as a recurrence, differentiated.
static LogicalResult buildAarenAdjoint(SoftmaxAttentionOp op,
                                       AdjointBuilder &adjoints) {
  Location loc = op.getLoc();
  auto kType = cast<RankedTensorType>(op.getK().getType());
  auto vType = cast<RankedTensorType>(op.getV().getType());
  if (!kType.hasStaticShape() || !vType.hasStaticShape())
    return op.emitOpError("has no derivative rule for dynamic shapes");
  int64_t B = kType.getDimSize(0), T = kType.getDimSize(1),
          H = kType.getDimSize(2), DK = kType.getDimSize(3),
          DV = vType.getDimSize(3);
  double scale = op.getScaleAttr() ? op.getScaleAttr().getValueAsDouble()
                                   : 1.0 / std::sqrt(double(DK));
  Type outputElement =
      cast<RankedTensorType>(op.getOutput().getType()).getElementType();
  OpBuilder b(op);
  Type f32 = b.getF32Type();
  // The query broadcast over time: [B, H, dk] -> [B, T, H, dk].
  auto qType = cast<RankedTensorType>(op.getQ().getType());
  auto broadcastType = RankedTensorType::get({B, T, H, DK},
                                             qType.getElementType());
  auto map4 = [&](ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(b.getAffineDimExpr(d));
    return AffineMap::get(4, 0, exprs, b.getContext());
  };
  Value queries =
      linalg::GenericOp::create(
          b, loc, broadcastType, op.getQ(),
          tensor::EmptyOp::create(b, loc, broadcastType.getShape(),
                                  qType.getElementType())
              .getResult(),
          SmallVector<AffineMap>{map4({0, 2, 3}), map4({0, 1, 2, 3})},
          SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
          [](OpBuilder &nb, Location nl, ValueRange args) {
            linalg::YieldOp::create(nb, nl, args[0]);
          })
          .getResult(0);
  SmallVector<Value> inits(op.getInit().begin(), op.getInit().end());
  if (inits.empty()) {
    // The identity (-inf, 0, 0).
    auto rowType = RankedTensorType::get({B, H}, f32);
    Value lowest = arith::ConstantOp::create(
        b, loc, f32,
        b.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
    inits.push_back(
        linalg::FillOp::create(
            b, loc, lowest,
            tensor::EmptyOp::create(b, loc, rowType.getShape(), f32)
                .getResult())
            .getResult(0));
    inits.push_back(zerosOf(b, loc, rowType));
    inits.push_back(zerosOf(b, loc, RankedTensorType::get({B, H, DV}, f32)));
  }
  for (Value init : inits)
    if (getElementTypeOrSelf(init.getType()) != f32)
      return op.emitOpError("has no derivative rule for a non-f32 scan state");
  // The broadcast is a forward op this rule adds: the sweep that called it
  // has passed its position, so its cotangent (the query's, summed over
  // time) is taken here.
  LogicalResult result = families::differentiateAsRecurrence(
      op, ValueRange{queries, op.getK(), op.getV()}, inits,
      [&](OpBuilder &nb, Location nl, ValueRange step,
          ValueRange states) -> SmallVector<Value> {
        Contractions c{nb, nl};
        auto map3 = [&](unsigned loops, ArrayRef<unsigned> dims) {
          return c.map(loops, dims);
        };
        // s (b, h) = scale sum_d q k.
        Value score = c.contract(3, step[0], {0, 1, 2}, step[1], {0, 1, 2},
                                 {0, 1}, {B, H}, scale);
        Value m = states[0], u = states[1], w = states[2];
        SmallVector<AffineMap> rows = {map3(2, {0, 1}), map3(2, {0, 1})};
        Value mNext = elementwiseF32(
            nb, nl, {B, H}, {m, score}, rows,
            [](OpBuilder &sb, Location sl, ValueRange x) -> Value {
              return arith::MaximumFOp::create(sb, sl, x[0], x[1]);
            });
        auto expDiff = [&](Value lhs) {
          return elementwiseF32(
              nb, nl, {B, H}, {lhs, mNext}, rows,
              [](OpBuilder &sb, Location sl, ValueRange x) -> Value {
                Value d = arith::SubFOp::create(sb, sl, x[0], x[1]);
                return math::ExpOp::create(sb, sl, d);
              });
        };
        Value keep = expDiff(m), fresh = expDiff(score);
        Value uNext = elementwiseF32(
            nb, nl, {B, H}, {u, keep, fresh},
            {map3(2, {0, 1}), map3(2, {0, 1}), map3(2, {0, 1})},
            [](OpBuilder &sb, Location sl, ValueRange x) -> Value {
              Value kept = arith::MulFOp::create(sb, sl, x[0], x[1]);
              return arith::AddFOp::create(sb, sl, kept, x[2]);
            });
        Value wNext = elementwiseF32(
            nb, nl, {B, H, DV}, {w, keep, fresh, step[2]},
            {map3(3, {0, 1, 2}), map3(3, {0, 1}), map3(3, {0, 1}),
             map3(3, {0, 1, 2})},
            [](OpBuilder &sb, Location sl, ValueRange x) -> Value {
              Value kept = arith::MulFOp::create(sb, sl, x[0], x[1]);
              Value added = arith::MulFOp::create(sb, sl, x[2], x[3]);
              return arith::AddFOp::create(sb, sl, kept, added);
            });
        Value out = elementwiseF32(
            nb, nl, {B, H, DV}, {wNext, uNext},
            {map3(3, {0, 1, 2}), map3(3, {0, 1})},
            [](OpBuilder &sb, Location sl, ValueRange x) -> Value {
              return arith::DivFOp::create(sb, sl, x[0], x[1]);
            });
        return {mNext, uNext, wNext, castElements(nb, nl, out, outputElement)};
      },
      adjoints);
  if (failed(result))
    return failure();
  return adjoints.backpropagate({queries.getDefiningOp()});
}

LogicalResult families::buildSoftmaxAttentionAdjoint(SoftmaxAttentionOp op,
                                                     AdjointBuilder &adjoints) {
  if (op.hasTimeInvariantQuery())
    return buildAarenAdjoint(op, adjoints);
  Location loc = op.getLoc();
  OpBuilder &b = adjoints.builder();
  Value q = op.getQ(), o = op.getOutput();
  Value dO = adjoints.cotangent(o);
  Value keys = op.getFinalStates()[0], values = op.getFinalStates()[1];
  Value gKeys = adjoints.cotangent(keys), gValues = adjoints.cotangent(values);
  auto qType = cast<RankedTensorType>(q.getType());
  auto kType = cast<RankedTensorType>(keys.getType());
  auto vType = cast<RankedTensorType>(values.getType());
  for (Type t : {Type(qType), Type(kType), Type(vType)})
    if (!cast<RankedTensorType>(t).hasStaticShape())
      return op.emitOpError("has no derivative rule for dynamic shapes");
  int64_t B = qType.getDimSize(0), T = qType.getDimSize(1),
          H = qType.getDimSize(2), DK = qType.getDimSize(3);
  int64_t L = kType.getDimSize(1), DV = vType.getDimSize(3), P = L - T;
  double scale = op.getScaleAttr() ? op.getScaleAttr().getValueAsDouble()
                                   : 1.0 / std::sqrt(double(DK));
  Contractions c{b, loc};
  Type f32 = c.f32;

  SmallVector<Value> dKeys, dValues; // [B, L, H, D] in f32, or none
  Value dQ;
  if (dO) {
    // Scores (b, h, t, l), with the causal mask applied in softmax.
    Value scores = c.contract(5, q, {0, 2, 1, 4}, keys, {0, 3, 1, 4},
                              {0, 1, 2, 3}, {B, H, T, L}, scale);
    auto rowType = RankedTensorType::get({B, H, T}, f32);
    auto matrixType = RankedTensorType::get({B, H, T, L}, f32);
    SmallVector<AffineMap> rowMaps = {c.map(4, {0, 1, 2, 3}),
                                      c.map(4, {0, 1, 2})};
    SmallVector<utils::IteratorType> rowIterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::parallel, utils::IteratorType::reduction};
    SmallVector<utils::IteratorType> parallel4(4,
                                               utils::IteratorType::parallel);
    // Whether (t, l) is visible: l <= P + t.
    auto visible = [&](OpBuilder &nb, Location nl) {
      Value t = linalg::IndexOp::create(nb, nl, 2);
      Value l = linalg::IndexOp::create(nb, nl, 3);
      Value limit = arith::AddIOp::create(
          nb, nl, t, arith::ConstantIndexOp::create(nb, nl, P));
      return arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ule, l,
                                   limit);
    };
    Value lowest = arith::ConstantOp::create(
        b, loc, f32, b.getF32FloatAttr(-std::numeric_limits<float>::infinity()));
    Value rowInit = linalg::FillOp::create(
                        b, loc, lowest,
                        tensor::EmptyOp::create(b, loc, rowType.getShape(), f32)
                            .getResult())
                        .getResult(0);
    Value rowMax =
        linalg::GenericOp::create(
            b, loc, rowType, scores, rowInit, rowMaps, rowIterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value m = arith::MaximumFOp::create(nb, nl, args[1], args[0]);
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::SelectOp::create(nb, nl, visible(nb, nl), m,
                                                args[1])));
            })
            .getResult(0);
    Value exps =
        linalg::GenericOp::create(
            b, loc, matrixType, ValueRange{scores, rowMax},
            tensor::EmptyOp::create(b, loc, matrixType.getShape(), f32)
                .getResult(),
            SmallVector<AffineMap>{c.map(4, {0, 1, 2, 3}), c.map(4, {0, 1, 2}),
                                   c.map(4, {0, 1, 2, 3})},
            parallel4,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value shifted = arith::SubFOp::create(nb, nl, args[0], args[1]);
              Value e = math::ExpOp::create(nb, nl, shifted);
              Value zero =
                  arith::ConstantOp::create(nb, nl, f32, nb.getF32FloatAttr(0));
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::SelectOp::create(nb, nl, visible(nb, nl), e,
                                                zero)));
            })
            .getResult(0);
    Value rowSum =
        linalg::GenericOp::create(
            b, loc, rowType, exps, zerosOf(b, loc, rowType), rowMaps,
            rowIterators,
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(
                  nb, nl,
                  Value(arith::AddFOp::create(nb, nl, args[1], args[0])));
            })
            .getResult(0);
    auto elementwise = [&](ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                           function_ref<Value(OpBuilder &, Location,
                                              ValueRange)>
                               body) {
      SmallVector<AffineMap> maps(inputMaps);
      maps.push_back(c.map(4, {0, 1, 2, 3}));
      return linalg::GenericOp::create(
                 b, loc, matrixType, inputs,
                 tensor::EmptyOp::create(b, loc, matrixType.getShape(), f32)
                     .getResult(),
                 maps, parallel4,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   linalg::YieldOp::create(nb, nl,
                                           body(nb, nl, args.drop_back()));
                 })
          .getResult(0);
    };
    Value probabilities = elementwise(
        {exps, rowSum}, {c.map(4, {0, 1, 2, 3}), c.map(4, {0, 1, 2})},
        [](OpBuilder &nb, Location nl, ValueRange s) -> Value {
          return arith::DivFOp::create(nb, nl, s[0], s[1]);
        });
    // dV' (b, l, h, e) = sum_t P (b, h, t, l) dO (b, t, h, e).
    dValues.push_back(c.contract(5, probabilities, {0, 2, 4, 1}, dO,
                                 {0, 4, 2, 3}, {0, 1, 2, 3}, {B, L, H, DV},
                                 1.0));
    // dP (b, h, t, l) = sum_e dO (b, t, h, e) V' (b, l, h, e).
    Value dP = c.contract(5, dO, {0, 2, 1, 4}, values, {0, 3, 1, 4},
                          {0, 1, 2, 3}, {B, H, T, L}, 1.0);
    // delta (b, h, t) = sum_e dO O.
    Value delta = c.contract(4, dO, {0, 2, 1, 3}, o, {0, 2, 1, 3}, {0, 1, 2},
                             {B, H, T}, 1.0);
    Value dS = elementwise(
        {probabilities, dP, delta},
        {c.map(4, {0, 1, 2, 3}), c.map(4, {0, 1, 2, 3}), c.map(4, {0, 1, 2})},
        [](OpBuilder &nb, Location nl, ValueRange s) -> Value {
          Value centered = arith::SubFOp::create(nb, nl, s[1], s[2]);
          return arith::MulFOp::create(nb, nl, s[0], centered);
        });
    // dQ (b, t, h, d) = scale sum_l dS (b, h, t, l) K' (b, l, h, d).
    dQ = c.contract(5, dS, {0, 2, 1, 4}, keys, {0, 4, 2, 3}, {0, 1, 2, 3},
                    {B, T, H, DK}, scale);
    // dK' (b, l, h, d) = scale sum_t dS (b, h, t, l) Q (b, t, h, d).
    dKeys.push_back(c.contract(5, dS, {0, 2, 4, 1}, q, {0, 4, 2, 3},
                               {0, 1, 2, 3}, {B, L, H, DK}, scale));
  }
  // The final states' own cotangents.
  auto total = [&](SmallVectorImpl<Value> &parts, Value g) -> Value {
    if (g)
      parts.push_back(castElements(b, loc, g, f32));
    if (parts.empty())
      return Value();
    Value sum = parts[0];
    for (Value part : ArrayRef(parts).drop_front())
      sum = addTensors(b, loc, sum, part);
    return sum;
  };
  Value dK = total(dKeys, gKeys), dV = total(dValues, gValues);
  auto distribute = [&](Value d, Value current, Value cache) {
    if (!d)
      return;
    Type currentElement = getElementTypeOrSelf(current.getType());
    adjoints.accumulate(
        current, castElements(b, loc, sliceTime(b, loc, d, P, T), currentElement),
        loc);
    if (cache)
      adjoints.accumulate(cache,
                          castElements(b, loc, sliceTime(b, loc, d, 0, P),
                                       getElementTypeOrSelf(cache.getType())),
                          loc);
  };
  Value keyCache = op.getInit().empty() ? Value() : op.getInit()[0];
  Value valueCache = op.getInit().empty() ? Value() : op.getInit()[1];
  distribute(dK, op.getK(), keyCache);
  distribute(dV, op.getV(), valueCache);
  if (dQ)
    adjoints.accumulate(q, castElements(b, loc, dQ, qType.getElementType()),
                        loc);
  return success();
}
