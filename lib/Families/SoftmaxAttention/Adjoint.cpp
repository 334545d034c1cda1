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
// split between the cache and this call's keys and values. This is the
// flash backward: the forward keeps no [T, L] matrix, and neither does the
// backward. Over blocks of 64 keys it first recomputes each row's
// log-sum-exp online (running max, rescaled sum), then recomputes
// P = exp(S - lse) block by block, accumulating dQ and writing each block's
// dK', dV'; its largest temporaries are T x 64 per head.
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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::ad;

namespace {

/// Keys per block of the flash backward: its per-block matrices are
/// T x 64, what a tile of the GPU's and the CPU's contraction code takes.
constexpr int64_t kFlashKeyBlock = 64;

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
    // Flash backward: the keys and values in blocks of Bk (zero-padded to
    // Lp = nb Bk; padded keys are never visible), two loops over them.
    // The first recomputes each row's log-sum-exp online (a running max
    // and a sum rescaled to it); the second recomputes P = exp(S - lse)
    // block by block and accumulates dQ, writing each block's dK', dV'.
    // Nothing of size T x L exists: the per-block matrices are T x Bk.
    int64_t blockKeys = std::min<int64_t>(L, kFlashKeyBlock);
    int64_t blocks = (L + blockKeys - 1) / blockKeys, LP = blocks * blockKeys;
    auto padded = [&](Value sequence, int64_t d) {
      if (LP == L)
        return castElements(b, loc, sequence, f32);
      Value zeros = zerosOf(b, loc, RankedTensorType::get({B, LP, H, d}, f32));
      return insertTime(b, loc, castElements(b, loc, sequence, f32), zeros, 0,
                        L);
    };
    Value keysP = padded(keys, DK), valuesP = padded(values, DV);
    auto rowType = RankedTensorType::get({B, H, T}, f32);
    auto blockType = RankedTensorType::get({B, H, T, blockKeys}, f32);
    SmallVector<utils::IteratorType> rowIterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::parallel, utils::IteratorType::reduction};
    SmallVector<utils::IteratorType> parallel4(4,
                                               utils::IteratorType::parallel);
    Value lowest = arith::ConstantOp::create(
        b, loc, f32, b.getF32FloatAttr(-std::numeric_limits<float>::infinity()));

    // The block of `sequence` [B, LP, H, d] at key `offset`.
    auto blockOf = [&](OpBuilder &nb, Location nl, Value sequence,
                       Value offset, int64_t d) -> Value {
      SmallVector<OpFoldResult> offsets = {nb.getIndexAttr(0), offset,
                                           nb.getIndexAttr(0),
                                           nb.getIndexAttr(0)},
                                sizes = {nb.getIndexAttr(B),
                                         nb.getIndexAttr(blockKeys),
                                         nb.getIndexAttr(H), nb.getIndexAttr(d)},
                                strides(4, nb.getIndexAttr(1));
      return tensor::ExtractSliceOp::create(
          nb, nl, RankedTensorType::get({B, blockKeys, H, d}, f32), sequence,
          offsets, sizes, strides);
    };
    // Whether (t, offset + l) is visible: offset + l <= P + t.
    auto visible = [&](OpBuilder &nb, Location nl, Value offset) -> Value {
      Value t = linalg::IndexOp::create(nb, nl, 2);
      Value l = arith::AddIOp::create(nb, nl, offset,
                                      linalg::IndexOp::create(nb, nl, 3));
      Value limit = arith::AddIOp::create(
          nb, nl, t, arith::ConstantIndexOp::create(nb, nl, P));
      return arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ule, l,
                                   limit);
    };
    // A generic over (b, h, t, l) of the block: `reduce` sums or maxes
    // over l into `init` ([B, H, T]); otherwise elementwise into a block.
    auto overBlock = [&](OpBuilder &nb, Location nl, ValueRange inputs,
                         ArrayRef<AffineMap> inputMaps, Value init,
                         function_ref<Value(OpBuilder &, Location, ValueRange)>
                             body) -> Value {
      Contractions c{nb, nl};
      SmallVector<AffineMap> maps(inputMaps);
      maps.push_back(init ? c.map(4, {0, 1, 2}) : c.map(4, {0, 1, 2, 3}));
      Value out = init ? init
                       : tensor::EmptyOp::create(nb, nl, blockType.getShape(),
                                                 f32)
                             .getResult();
      return linalg::GenericOp::create(
                 nb, nl, out.getType(), inputs, out, maps,
                 init ? rowIterators : parallel4,
                 [&](OpBuilder &bb, Location bl, ValueRange args) {
                   linalg::YieldOp::create(bb, bl, body(bb, bl, args));
                 })
          .getResult(0);
    };
    auto scoresOf = [&](OpBuilder &nb, Location nl, Value keyBlock) {
      // S (b, h, t, l) = scale sum_d q (b, t, h, d) K (b, l, h, d).
      return Contractions{nb, nl}.contract(5, q, {0, 2, 1, 4}, keyBlock,
                                           {0, 3, 1, 4}, {0, 1, 2, 3},
                                           {B, H, T, blockKeys}, scale);
    };
    SmallVector<AffineMap> blockAndRow = {c.map(4, {0, 1, 2, 3}),
                                          c.map(4, {0, 1, 2})};

    // 1. Each row's log-sum-exp, online over the blocks.
    Value rowLowest = linalg::FillOp::create(
                          b, loc, lowest,
                          tensor::EmptyOp::create(b, loc, rowType.getShape(),
                                                  f32)
                              .getResult())
                          .getResult(0);
    auto lseLoop = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0),
        arith::ConstantIndexOp::create(b, loc, LP),
        arith::ConstantIndexOp::create(b, loc, blockKeys),
        ValueRange{rowLowest, zerosOf(b, loc, rowType)},
        [&](OpBuilder &nb, Location nl, Value offset, ValueRange iter) {
          Value S = scoresOf(nb, nl, blockOf(nb, nl, keysP, offset, DK));
          Value blockMax = overBlock(
              nb, nl, {S}, {c.map(4, {0, 1, 2, 3})},
              linalg::FillOp::create(
                  nb, nl, lowest,
                  tensor::EmptyOp::create(nb, nl, rowType.getShape(), f32)
                      .getResult())
                  .getResult(0),
              [&](OpBuilder &bb, Location bl, ValueRange x) -> Value {
                Value m = arith::MaximumFOp::create(bb, bl, x[1], x[0]);
                return arith::SelectOp::create(bb, bl, visible(bb, bl, offset),
                                               m, x[1]);
              });
          Value runningMax = elementwiseF32(
              nb, nl, {B, H, T}, {iter[0], blockMax},
              {c.map(3, {0, 1, 2}), c.map(3, {0, 1, 2})},
              [](OpBuilder &bb, Location bl, ValueRange x) -> Value {
                return arith::MaximumFOp::create(bb, bl, x[0], x[1]);
              });
          Value blockSum = overBlock(
              nb, nl, {S, runningMax}, blockAndRow, zerosOf(nb, nl, rowType),
              [&](OpBuilder &bb, Location bl, ValueRange x) -> Value {
                Value e = math::ExpOp::create(
                    bb, bl, arith::SubFOp::create(bb, bl, x[0], x[1]));
                Value term = arith::SelectOp::create(
                    bb, bl, visible(bb, bl, offset), e,
                    arith::ConstantOp::create(bb, bl, f32,
                                              bb.getF32FloatAttr(0)));
                return arith::AddFOp::create(bb, bl, x[2], term);
              });
          // The sum so far, rescaled to the new max (a row's first block
          // always has a visible key, so the max is finite from then on).
          Value runningSum = elementwiseF32(
              nb, nl, {B, H, T}, {iter[1], iter[0], runningMax, blockSum},
              {c.map(3, {0, 1, 2}), c.map(3, {0, 1, 2}), c.map(3, {0, 1, 2}),
               c.map(3, {0, 1, 2})},
              [](OpBuilder &bb, Location bl, ValueRange x) -> Value {
                Value rescale = math::ExpOp::create(
                    bb, bl, arith::SubFOp::create(bb, bl, x[1], x[2]));
                return arith::AddFOp::create(
                    bb, bl, arith::MulFOp::create(bb, bl, x[0], rescale), x[3]);
              });
          scf::YieldOp::create(nb, nl, ValueRange{runningMax, runningSum});
        });
    Value lse = elementwiseF32(
        b, loc, {B, H, T}, {lseLoop.getResult(0), lseLoop.getResult(1)},
        {c.map(3, {0, 1, 2}), c.map(3, {0, 1, 2})},
        [](OpBuilder &bb, Location bl, ValueRange x) -> Value {
          return arith::AddFOp::create(bb, bl, x[0],
                                       math::LogOp::create(bb, bl, x[1]));
        });
    // delta (b, h, t) = sum_e dO O.
    Value delta = c.contract(4, dO, {0, 2, 1, 3}, o, {0, 2, 1, 3}, {0, 1, 2},
                             {B, H, T}, 1.0);

    // 2. The gradients, block by block.
    auto gradLoop = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0),
        arith::ConstantIndexOp::create(b, loc, LP),
        arith::ConstantIndexOp::create(b, loc, blockKeys),
        ValueRange{zerosOf(b, loc, RankedTensorType::get({B, T, H, DK}, f32)),
                   zerosOf(b, loc, RankedTensorType::get({B, LP, H, DK}, f32)),
                   zerosOf(b, loc, RankedTensorType::get({B, LP, H, DV}, f32))},
        [&](OpBuilder &nb, Location nl, Value offset, ValueRange iter) {
          Contractions bc{nb, nl};
          Value keyBlock = blockOf(nb, nl, keysP, offset, DK);
          Value valueBlock = blockOf(nb, nl, valuesP, offset, DV);
          Value S = scoresOf(nb, nl, keyBlock);
          Value probabilities = overBlock(
              nb, nl, {S, lse}, blockAndRow, Value(),
              [&](OpBuilder &bb, Location bl, ValueRange x) -> Value {
                Value e = math::ExpOp::create(
                    bb, bl, arith::SubFOp::create(bb, bl, x[0], x[1]));
                return arith::SelectOp::create(
                    bb, bl, visible(bb, bl, offset), e,
                    arith::ConstantOp::create(bb, bl, f32,
                                              bb.getF32FloatAttr(0)));
              });
          // dV' (b, l, h, e) = sum_t P (b, h, t, l) dO (b, t, h, e).
          Value dValueBlock =
              bc.contract(5, probabilities, {0, 2, 4, 1}, dO, {0, 4, 2, 3},
                          {0, 1, 2, 3}, {B, blockKeys, H, DV}, 1.0);
          // dP (b, h, t, l) = sum_e dO (b, t, h, e) V' (b, l, h, e).
          Value dP = bc.contract(5, dO, {0, 2, 1, 4}, valueBlock, {0, 3, 1, 4},
                                 {0, 1, 2, 3}, {B, H, T, blockKeys}, 1.0);
          Value dS = overBlock(
              nb, nl, {probabilities, dP, delta},
              {c.map(4, {0, 1, 2, 3}), c.map(4, {0, 1, 2, 3}),
               c.map(4, {0, 1, 2})},
              Value(), [](OpBuilder &bb, Location bl, ValueRange x) -> Value {
                Value centered = arith::SubFOp::create(bb, bl, x[1], x[2]);
                return arith::MulFOp::create(bb, bl, x[0], centered);
              });
          // dQ (b, t, h, d) += scale sum_l dS (b, h, t, l) K' (b, l, h, d).
          Value dQNext = addTensors(
              nb, nl, iter[0],
              bc.contract(5, dS, {0, 2, 1, 4}, keyBlock, {0, 4, 2, 3},
                          {0, 1, 2, 3}, {B, T, H, DK}, scale));
          // dK' (b, l, h, d) = scale sum_t dS (b, h, t, l) Q (b, t, h, d).
          Value dKeyBlock =
              bc.contract(5, dS, {0, 2, 4, 1}, q, {0, 4, 2, 3}, {0, 1, 2, 3},
                          {B, blockKeys, H, DK}, scale);
          auto written = [&](Value block, Value into, int64_t d) -> Value {
            SmallVector<OpFoldResult> offsets = {nb.getIndexAttr(0), offset,
                                                 nb.getIndexAttr(0),
                                                 nb.getIndexAttr(0)},
                                      sizes = {nb.getIndexAttr(B),
                                               nb.getIndexAttr(blockKeys),
                                               nb.getIndexAttr(H),
                                               nb.getIndexAttr(d)},
                                      strides(4, nb.getIndexAttr(1));
            return tensor::InsertSliceOp::create(nb, nl, block, into, offsets,
                                                 sizes, strides);
          };
          scf::YieldOp::create(nb, nl,
                               ValueRange{dQNext,
                                          written(dKeyBlock, iter[1], DK),
                                          written(dValueBlock, iter[2], DV)});
        });
    dQ = gradLoop.getResult(0);
    dKeys.push_back(LP == L ? gradLoop.getResult(1)
                            : sliceTime(b, loc, gradLoop.getResult(1), 0, L));
    dValues.push_back(LP == L ? gradLoop.getResult(2)
                              : sliceTime(b, loc, gradLoop.getResult(2), 0, L));
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
