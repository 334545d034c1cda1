//===- AttentionSupport.cpp - pieces shared by attention forms ------------===//
#include "AttentionSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace seqc {

double attentionScale(FloatAttr scale, Value key) {
  if (scale)
    return scale.getValueAsDouble();
  int64_t keyDim = cast<RankedTensorType>(key.getType()).getDimSize(3);
  return 1.0 / std::sqrt(static_cast<double>(keyDim));
}

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
  Value scaled = arith::MulFOp::create(b, loc, score, sb.scalar(compute, scale));
  Value shifted = arith::SubFOp::create(b, loc, scaled, max);
  Value w = math::ExpOp::create(b, loc, shifted);
  return arith::SelectOp::create(b, loc, visible, w, sb.scalar(compute, 0.0))
      .getResult();
}

} // namespace seqc
