//===- LoopBuilder.cpp - tensor-level IR building for lowerings -----------===//
#include "dialects/Utils/LoopBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace seqc {

Value LoopBuilder::index(int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value LoopBuilder::dim(Value tensor, int64_t d) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(d))
    return index(type.getDimSize(d));
  return tensor::DimOp::create(b, loc, tensor, d);
}

SmallVector<OpFoldResult> LoopBuilder::sizesOf(Value tensor, int64_t dropped) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, tensor);
  if (dropped >= 0)
    sizes.erase(sizes.begin() + dropped);
  return sizes;
}

LoopBuilder::SliceAt LoopBuilder::sliceAt(Value tensor, unsigned dim,
                                          Value index) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  SliceAt slice;
  slice.offsets.assign(rank, b.getIndexAttr(0));
  slice.offsets[dim] = index;
  slice.sizes = sizesOf(tensor);
  slice.sizes[dim] = b.getIndexAttr(1);
  slice.strides.assign(rank, b.getIndexAttr(1));
  return slice;
}

Value LoopBuilder::extractSlice(Value source, unsigned dim, Value index) {
  auto type = cast<RankedTensorType>(source.getType());
  int64_t rank = type.getRank();
  auto [offsets, sizes, strides] = sliceAt(source, dim, index);
  SmallVector<int64_t> sliceShape(type.getShape());
  sliceShape.erase(sliceShape.begin() + dim);
  auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
  // A rank-reducing slice leaves which unit dimension it drops to
  // inference; with another static unit dimension in the source (one head,
  // one step per chunk) folds picked the wrong one. Then: a rank-preserving
  // slice and `dim` collapsed explicitly.
  bool ambiguous = false;
  for (int64_t d = 0; d < rank; ++d)
    ambiguous |= d != static_cast<int64_t>(dim) && type.getDimSize(d) == 1;
  if (!ambiguous)
    return tensor::ExtractSliceOp::create(b, loc, sliceType, source, offsets,
                                          sizes, strides);
  SmallVector<int64_t> fullShape(type.getShape());
  fullShape[dim] = 1;
  auto fullType = RankedTensorType::get(fullShape, type.getElementType());
  Value slice = tensor::ExtractSliceOp::create(b, loc, fullType, source,
                                               offsets, sizes, strides);
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < rank; ++d) {
    if (d == static_cast<int64_t>(dim) + 1 ||
        (d == static_cast<int64_t>(dim) && d == rank - 1 && d > 0)) {
      groups.back().push_back(d);
      continue;
    }
    groups.push_back({d});
  }
  return tensor::CollapseShapeOp::create(b, loc, sliceType, slice, groups);
}

Value LoopBuilder::insertSlice(Value slice, Value dest, unsigned dim,
                               Value index) {
  SliceAt at = sliceAt(dest, dim, index);
  return tensor::InsertSliceOp::create(b, loc, slice, dest, at.offsets,
                                       at.sizes, at.strides);
}

void LoopBuilder::parallelInsertSlice(Value slice, Value dest, unsigned dim,
                                      Value index) {
  // Sizes are computed in the body: the terminator region holds only the
  // parallel inserts.
  auto [offsets, sizes, strides] = sliceAt(dest, dim, index);
  auto forall = cast<scf::ForallOp>(
      cast<BlockArgument>(dest).getOwner()->getParentOp());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, slice, dest, offsets, sizes,
                                        strides);
}

Value LoopBuilder::extractTimeSlice(Value seq, Value t) {
  return extractSlice(seq, 1, t);
}

Value LoopBuilder::insertTimeSlice(Value slice, Value seq, Value t) {
  return insertSlice(slice, seq, 1, t);
}

Value LoopBuilder::empty(RankedTensorType type, ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> dynamic;
  for (auto [dimIndex, size] : llvm::enumerate(sizes))
    if (type.isDynamicDim(dimIndex))
      dynamic.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  return tensor::EmptyOp::create(b, loc, type, dynamic);
}

Value LoopBuilder::scalar(Type type, double value) {
  if (auto complexType = dyn_cast<ComplexType>(type)) {
    auto part = cast<FloatType>(complexType.getElementType());
    auto attr = b.getArrayAttr(
        {b.getFloatAttr(part, value), b.getFloatAttr(part, 0.0)});
    return complex::ConstantOp::create(b, loc, complexType, attr);
  }
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value LoopBuilder::filled(RankedTensorType type, ArrayRef<OpFoldResult> sizes,
                          TypedAttr value) {
  Value init = empty(type, sizes);
  Value fillValue;
  if (auto floatAttr = dyn_cast<FloatAttr>(value))
    fillValue = scalar(type.getElementType(), floatAttr.getValueAsDouble());
  else
    fillValue = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, fillValue, init).getResult(0);
}

Value LoopBuilder::zeros(RankedTensorType type, ArrayRef<OpFoldResult> sizes) {
  Value init = empty(type, sizes);
  Value zero = scalar(type.getElementType(), 0.0);
  return linalg::FillOp::create(b, loc, zero, init).getResult(0);
}

Value LoopBuilder::convert(Value value, Type to) {
  Type from = value.getType();
  if (from == to)
    return value;
  auto fromFloat = cast<FloatType>(from), toFloat = cast<FloatType>(to);
  if (fromFloat.getWidth() < toFloat.getWidth())
    return arith::ExtFOp::create(b, loc, to, value);
  return arith::TruncFOp::create(b, loc, to, value);
}

Value LoopBuilder::convertElements(Value tensor, Type to) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType() == to)
    return tensor;
  SmallVector<unsigned> dims;
  for (unsigned d = 0; d < type.getRank(); ++d)
    dims.push_back(d);
  return generic({tensor}, {empty(type.clone(to), sizesOf(tensor))}, {dims},
                 {dims}, dims.size(), {},
                 [&](OpBuilder &bb, Location l, ValueRange args) {
                   linalg::YieldOp::create(
                       bb, l, LoopBuilder(bb, l).convert(args[0], to));
                 })[0];
}

ValueRange LoopBuilder::generic(
    ValueRange inputs, ValueRange outputs,
    ArrayRef<SmallVector<unsigned>> inputDims,
    ArrayRef<SmallVector<unsigned>> outputDims, unsigned numDims,
    ArrayRef<unsigned> reductionDims,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  auto mapOf = [&](ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(getAffineDimExpr(d, ctx));
    return AffineMap::get(numDims, 0, exprs, ctx);
  };
  for (const auto &dims : inputDims)
    maps.push_back(mapOf(dims));
  for (const auto &dims : outputDims)
    maps.push_back(mapOf(dims));
  return generic(inputs, outputs, maps, reductionDims, body);
}

Value LoopBuilder::multiplyAccumulate(Value lhs, Value rhs, Value acc,
                                      ArrayRef<SmallVector<unsigned>> inputDims,
                                      SmallVector<unsigned> outputDims,
                                      unsigned numDims,
                                      ArrayRef<unsigned> reductionDims,
                                      Type compute) {
  return generic({lhs, rhs}, {acc}, inputDims, {outputDims}, numDims,
                 reductionDims,
                 [&](OpBuilder &eb, Location el, ValueRange args) {
                   LoopBuilder sb(eb, el);
                   Value prod = arith::MulFOp::create(
                       eb, el, sb.convert(args[0], compute),
                       sb.convert(args[1], compute));
                   linalg::YieldOp::create(
                       eb, el,
                       ValueRange{arith::AddFOp::create(eb, el, args[2], prod)});
                 })[0];
}

ValueRange LoopBuilder::generic(
    ValueRange inputs, ValueRange outputs, ArrayRef<AffineMap> maps,
    ArrayRef<unsigned> reductionDims,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  unsigned numDims = maps.front().getNumDims();
  SmallVector<utils::IteratorType> iterators(numDims,
                                             utils::IteratorType::parallel);
  for (unsigned d : reductionDims)
    iterators[d] = utils::IteratorType::reduction;
  SmallVector<Type> resultTypes;
  for (Value output : outputs)
    resultTypes.push_back(output.getType());
  auto op = linalg::GenericOp::create(b, loc, resultTypes, inputs, outputs,
                                      maps, iterators, body);
  return op.getResults();
}

Type computeType(Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    if (floatType.getWidth() < 32)
      return Float32Type::get(type.getContext());
  return type;
}

} // namespace seqc
