//===- SoftmaxSupport.cpp - pieces the softmax forms share ----------------===//
#include "lib/Families/SoftmaxAttention/SoftmaxSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace seqc {

Value cachedSteps(LoopBuilder &lb, seq::SoftmaxAttentionOp op) {
  return op.getInit().empty() ? lb.index(0) : lb.dim(op.getInit()[0], 1);
}

std::pair<Value, Value> extendKeyValueCache(LoopBuilder &lb,
                                            seq::SoftmaxAttentionOp op) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  Value prefix = cachedSteps(lb, op);
  Value total = arith::AddIOp::create(b, loc, prefix, lb.dim(op.getK(), 1));
  auto extend = [&](Value cached, Value fresh, Value result) {
    SmallVector<OpFoldResult> sizes = lb.sizesOf(fresh);
    sizes[1] = total;
    Value cache = lb.empty(cast<RankedTensorType>(result.getType()), sizes);
    SmallVector<OpFoldResult> zeros(4, b.getIndexAttr(0));
    SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
    if (cached)
      cache = tensor::InsertSliceOp::create(b, loc, cached, cache, zeros,
                                            lb.sizesOf(cached), ones);
    SmallVector<OpFoldResult> offsets = zeros;
    offsets[1] = prefix;
    return tensor::InsertSliceOp::create(b, loc, fresh, cache, offsets,
                                         lb.sizesOf(fresh), ones)
        .getResult();
  };
  bool hasInit = !op.getInit().empty();
  return {extend(hasInit ? op.getInit()[0] : Value(), op.getK(),
                 op.getFinalStates()[0]),
          extend(hasInit ? op.getInit()[1] : Value(), op.getV(),
                 op.getFinalStates()[1])};
}

Value softmaxWeight(OpBuilder &b, Location loc, Type compute, double scale,
                    Value score, Value max, Value visible) {
  LoopBuilder sb(b, loc);
  Value scaled =
      arith::MulFOp::create(b, loc, score, sb.scalar(compute, scale));
  Value shifted = arith::SubFOp::create(b, loc, scaled, max);
  Value w = math::ExpOp::create(b, loc, shifted);
  return arith::SelectOp::create(b, loc, visible, w, sb.scalar(compute, 0.0))
      .getResult();
}

Value normalizeAttention(LoopBuilder &lb, seq::SoftmaxAttentionOp op,
                         Value numerators, Value denominators) {
  using Dims = SmallVector<unsigned>;
  auto denominatorType = cast<RankedTensorType>(denominators.getType());
  Type compute = denominatorType.getElementType();
  Type outElement = op.getOutput().getType().getElementType();
  Value reciprocals = lb.generic(
      {denominators}, {lb.empty(denominatorType, lb.sizesOf(denominators))},
      {Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
      [&](OpBuilder &b, Location l, ValueRange args) {
        LoopBuilder sb(b, l);
        linalg::YieldOp::create(
            b, l,
            arith::DivFOp::create(b, l, sb.scalar(compute, 1.0), args[0])
                .getResult());
      })[0];
  return lb.generic({numerators, reciprocals},
                    {lb.empty(op.getOutput().getType(), lb.sizesOf(op.getV()))},
                    {Dims{0, 2, 1, 3}, Dims{0, 2, 1}}, {Dims{0, 1, 2, 3}}, 4,
                    {}, [&](OpBuilder &b, Location l, ValueRange args) {
                      LoopBuilder sb(b, l);
                      Value o = arith::MulFOp::create(b, l, args[0], args[1]);
                      linalg::YieldOp::create(b, l, sb.convert(o, outElement));
                    })[0];
}

Value attentionScores(LoopBuilder &lb, Value q, Value keys, Type compute) {
  using Dims = SmallVector<unsigned>;
  SmallVector<OpFoldResult> qs = lb.sizesOf(q), ks = lb.sizesOf(keys);
  auto qType = cast<RankedTensorType>(q.getType()),
       kType = cast<RankedTensorType>(keys.getType());
  auto scoresType =
      RankedTensorType::get({kType.getDimSize(0), kType.getDimSize(2),
                             qType.getDimSize(1), kType.getDimSize(1)},
                            compute);
  return lb.multiplyAccumulate(
      q, keys, lb.zeros(scoresType, {ks[0], ks[2], qs[1], ks[1]}),
      {Dims{0, 2, 1, 4}, Dims{0, 3, 1, 4}}, Dims{0, 1, 2, 3}, 5, {4},
      compute);
}

} // namespace seqc
