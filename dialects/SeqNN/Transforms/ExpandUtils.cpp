//===- ExpandUtils.cpp - IR building shared by the seqnn expansions -------===//
#include "ExpandUtils.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace seqc::seqnn {

SmallVector<int64_t> shapeOf(Value value) {
  return SmallVector<int64_t>(
      cast<RankedTensorType>(value.getType()).getShape());
}

Type ExpandBuilder::f32() { return builder().getF32Type(); }

RankedTensorType ExpandBuilder::tensorOf(ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, f32());
}

RankedTensorType ExpandBuilder::tensorOf(ArrayRef<OpFoldResult> sizes) {
  SmallVector<int64_t> shape;
  for (OpFoldResult size : sizes)
    shape.push_back(getConstantIntValue(size).value_or(ShapedType::kDynamic));
  return tensorOf(shape);
}

Value ExpandBuilder::emptyOf(ArrayRef<OpFoldResult> sizes) {
  return empty(tensorOf(sizes), sizes);
}

OpFoldResult ExpandBuilder::sizeOf(Value value, unsigned dim) {
  return sizesOf(value)[dim];
}

OpFoldResult ExpandBuilder::size(int64_t value) {
  return builder().getIndexAttr(value);
}

Value ExpandBuilder::zerosOf(ArrayRef<OpFoldResult> sizes) {
  return zeros(tensorOf(sizes), sizes);
}

/// Static sizes as OpFoldResults. A dynamic entry here is an expansion
/// that reads a dynamic batch or time as a number: a compiler bug that would
/// allocate a garbage size, so it stops the compiler instead.
static SmallVector<OpFoldResult> staticSizes(MLIRContext *context,
                                             ArrayRef<int64_t> shape) {
  if (llvm::any_of(shape, ShapedType::isDynamic))
    llvm::report_fatal_error("seqnn-expand: a static-shape builder was given "
                             "a dynamic size; pass the sizes as values");
  return getAsIndexOpFoldResult(context, shape);
}

Value ExpandBuilder::emptyOf(ArrayRef<int64_t> shape) {
  return empty(tensorOf(shape), staticSizes(builder().getContext(), shape));
}

Value ExpandBuilder::zerosOf(ArrayRef<int64_t> shape) {
  return zeros(tensorOf(shape), staticSizes(builder().getContext(), shape));
}

Value ExpandBuilder::project(Value x, Value w, ValueRange biases) {
  OpBuilder &b = builder();
  SmallVector<OpFoldResult> xs = sizesOf(x), ws = sizesOf(w);
  // [B, T, M] -> [B*T, M]: one GEMM for every step of every sequence.
  Value rows = merge(x, 0, 2);
  SmallVector<OpFoldResult> productSizes = {sizesOf(rows)[0], ws[1]};
  Value init = zerosOf(productSizes);
  if (!biases.empty()) {
    // One bias row (their sum, in f32), broadcast over the rows by a
    // generic that only yields it (a broadcast the derivative rules of
    // linalg.generic know).
    Value row = biases.size() == 1
                    ? convertElements(biases[0], f32())
                    : map(biases, [](OpBuilder &nb, Location loc,
                                     ArrayRef<Value> values) {
                        Value sum = values[0];
                        for (Value v : values.drop_front())
                          sum = arith::AddFOp::create(nb, loc, sum, v);
                        return sum;
                      });
    init = generic({row}, {emptyOf(productSizes)}, {{1}}, {{0, 1}}, 2, {},
                   [&](OpBuilder &nb, Location loc, ValueRange args) {
                     linalg::YieldOp::create(nb, loc, args[0]);
                   })[0];
  }
  Value product =
      linalg::MatmulOp::create(b, location(), ValueRange{rows, w},
                               ValueRange{init})
          .getResult(0);
  return split(product, 0, ArrayRef<OpFoldResult>{xs[0], xs[1]});
}

Value ExpandBuilder::addBias(Value y, Value bias) {
  SmallVector<int64_t> shape = shapeOf(y);
  unsigned rank = shape.size();
  SmallVector<unsigned> all, last = {rank - 1};
  for (unsigned d = 0; d < rank; ++d)
    all.push_back(d);
  return generic({y, bias}, {empty(tensorOf(shape), sizesOf(y))}, {all, last},
                 {all}, rank, {},
                 [&](OpBuilder &b, Location loc, ValueRange args) {
                   LoopBuilder sb(b, loc);
                   Value sum = arith::AddFOp::create(
                       b, loc, sb.convert(args[0], f32()),
                       sb.convert(args[1], f32()));
                   linalg::YieldOp::create(b, loc, sum);
                 })[0];
}

Value ExpandBuilder::map(
    ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> fn) {
  SmallVector<int64_t> shape = shapeOf(inputs.front());
  unsigned rank = shape.size();
  SmallVector<unsigned> all;
  for (unsigned d = 0; d < rank; ++d)
    all.push_back(d);
  SmallVector<SmallVector<unsigned>> maps(inputs.size(), all);
  return generic(inputs, {empty(tensorOf(shape), sizesOf(inputs.front()))},
                 maps, {all}, rank, {},
                 [&](OpBuilder &b, Location loc, ValueRange args) {
                   LoopBuilder sb(b, loc);
                   SmallVector<Value> converted;
                   for (Value a : args.drop_back())
                     converted.push_back(sb.convert(a, b.getF32Type()));
                   linalg::YieldOp::create(b, loc, fn(b, loc, converted));
                 })[0];
}

Value ExpandBuilder::split(Value value, unsigned dim, ArrayRef<int64_t> sizes) {
  return split(value, dim,
               getAsIndexOpFoldResult(builder().getContext(), sizes));
}

Value ExpandBuilder::split(Value value, unsigned dim,
                           ArrayRef<OpFoldResult> sizes) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> outputSizes, valueSizes = sizesOf(value);
  SmallVector<ReassociationIndices> groups;
  int64_t next = 0;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    ReassociationIndices group;
    if (d == dim) {
      for (OpFoldResult s : sizes) {
        outputSizes.push_back(s);
        group.push_back(next++);
      }
    } else {
      outputSizes.push_back(valueSizes[d]);
      group.push_back(next++);
    }
    groups.push_back(group);
  }
  // Explicit output sizes: a group may split a dynamic B*T into B and T.
  RankedTensorType result = tensorOf(outputSizes);
  return tensor::ExpandShapeOp::create(
      builder(), location(),
      RankedTensorType::get(result.getShape(), type.getElementType()), value,
      groups, outputSizes);
}

Value ExpandBuilder::merge(Value value, unsigned dim, unsigned count) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < type.getRank();) {
    ReassociationIndices group;
    unsigned take = d == dim ? count : 1;
    for (unsigned i = 0; i < take; ++i)
      group.push_back(d++);
    groups.push_back(group);
  }
  return tensor::CollapseShapeOp::create(builder(), location(), value, groups);
}

Value ExpandBuilder::normalizeRows(Value value) {
  SmallVector<int64_t> shape = shapeOf(value);
  unsigned rank = shape.size();
  SmallVector<unsigned> all, rows;
  for (unsigned d = 0; d < rank; ++d)
    all.push_back(d);
  rows.assign(all.begin(), all.end() - 1);
  Value sumSquares = generic(
      {value}, {zerosOf(sizesOf(value, /*dropped=*/rank - 1))}, {all}, {rows}, rank, {rank - 1},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        LoopBuilder sb(b, loc);
        Value v = sb.convert(args[0], b.getF32Type());
        Value sq = arith::MulFOp::create(b, loc, v, v);
        linalg::YieldOp::create(b, loc,
                                ValueRange{arith::AddFOp::create(b, loc, args[1], sq)});
      })[0];
  return generic({value, sumSquares}, {empty(tensorOf(shape), sizesOf(value))},
                 {all, rows}, {all}, rank, {},
                 [&](OpBuilder &b, Location loc, ValueRange args) {
                   LoopBuilder sb(b, loc);
                   // x / sqrt(sum x^2 + eps): eps keeps a zero row finite.
                   Value eps = constant(b, loc, 1e-12);
                   Value norm = math::SqrtOp::create(
                       b, loc, arith::AddFOp::create(b, loc, args[1], eps));
                   Value v = sb.convert(args[0], b.getF32Type());
                   linalg::YieldOp::create(
                       b, loc, ValueRange{arith::DivFOp::create(b, loc, v, norm)});
                 })[0];
}

Value ExpandBuilder::constant(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32Type(),
                                   b.getF32FloatAttr(value));
}

Value ExpandBuilder::sigmoid(OpBuilder &b, Location loc, Value v) {
  Value one = constant(b, loc, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

Value ExpandBuilder::softplus(OpBuilder &b, Location loc, Value v) {
  Value zero = constant(b, loc, 0.0);
  Value positive = arith::MaximumFOp::create(b, loc, v, zero);
  Value magnitude = math::AbsFOp::create(b, loc, v);
  Value tail = math::Log1pOp::create(
      b, loc, math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, magnitude)));
  return arith::AddFOp::create(b, loc, positive, tail);
}

} // namespace seqc::seqnn
