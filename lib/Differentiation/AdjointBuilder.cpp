//===- AdjointBuilder.cpp - the reverse sweep and its helpers -------------===//
#include "seqc/Differentiation/Adjoint.h"

#include "lib/Differentiation/ScalarAdjoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;

namespace seqc::ad {

bool isDifferentiableType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return false;
  Type element = tensor.getElementType();
  if (auto complex = dyn_cast<ComplexType>(element))
    return complex.getElementType().isF32();
  return element.isF32() || element.isF16() || element.isBF16() ||
         element.isF64();
}

static Value scalarConstant(OpBuilder &b, Location loc, Type element,
                            double value) {
  if (auto complex = dyn_cast<ComplexType>(element)) {
    auto part = cast<FloatType>(complex.getElementType());
    return complex::ConstantOp::create(
        b, loc, complex,
        b.getArrayAttr({b.getFloatAttr(part, value), b.getFloatAttr(part, 0)}));
  }
  return arith::ConstantOp::create(b, loc, element,
                                   b.getFloatAttr(element, value));
}

static Value filled(OpBuilder &b, Location loc, RankedTensorType type,
                    double value) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        type.getElementType());
  Value scalar = scalarConstant(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value zerosOf(OpBuilder &b, Location loc, RankedTensorType type) {
  return filled(b, loc, type, 0.0);
}

Value onesOf(OpBuilder &b, Location loc, RankedTensorType type) {
  return filled(b, loc, type, 1.0);
}

/// An elementwise linalg.generic over `operands` (all of `resultType`'s
/// shape) whose body `body` maps the scalars to the result scalar.
static Value elementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange operands,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps(operands.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, operands, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value addTensors(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto type = cast<RankedTensorType>(lhs.getType());
  return elementwise(b, loc, type, {lhs, rhs},
                     [](OpBuilder &nb, Location l, ValueRange s) -> Value {
                       if (isa<ComplexType>(s[0].getType()))
                         return complex::AddOp::create(nb, l, s[0], s[1]);
                       return arith::AddFOp::create(nb, l, s[0], s[1]);
                     });
}

Value multiplyTensors(OpBuilder &b, Location loc, Value lhs, Value rhs,
                      bool conjugateRhs) {
  auto type = cast<RankedTensorType>(lhs.getType());
  return elementwise(b, loc, type, {lhs, rhs},
                     [&](OpBuilder &nb, Location l, ValueRange s) -> Value {
                       if (isa<ComplexType>(s[0].getType())) {
                         Value r = conjugateRhs
                                       ? conjugateScalar(nb, l, s[1])
                                       : s[1];
                         return complex::MulOp::create(nb, l, s[0], r);
                       }
                       return arith::MulFOp::create(nb, l, s[0], s[1]);
                     });
}

Value conjugate(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!isa<ComplexType>(type.getElementType()))
    return value;
  return elementwise(b, loc, type, {value},
                     [](OpBuilder &nb, Location l, ValueRange s) -> Value {
                       return conjugateScalar(nb, l, s[0]);
                     });
}

Value castElements(OpBuilder &b, Location loc, Value value, Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  auto resultType = type.clone(elementType);
  return elementwise(b, loc, resultType, {value},
                     [&](OpBuilder &nb, Location l, ValueRange s) -> Value {
                       auto from = cast<FloatType>(s[0].getType());
                       auto to = cast<FloatType>(elementType);
                       if (from.getWidth() < to.getWidth())
                         return arith::ExtFOp::create(nb, l, to, s[0]);
                       return arith::TruncFOp::create(nb, l, to, s[0]);
                     });
}

Value transposeTensor(OpBuilder &b, Location loc, Value tensor,
                      ArrayRef<int64_t> permutation) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : permutation)
    shape.push_back(type.getDimSize(p));
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::TransposeOp::create(b, loc, tensor, init, permutation)
      .getResult()[0];
}

Value reverseTime(OpBuilder &b, Location loc, Value sequence) {
  auto type = cast<RankedTensorType>(sequence.getType());
  unsigned rank = type.getRank();
  int64_t steps = type.getDimSize(1);
  SmallVector<AffineExpr> reversed;
  for (unsigned d = 0; d < rank; ++d)
    reversed.push_back(d == 1 ? b.getAffineConstantExpr(steps - 1) -
                                    b.getAffineDimExpr(1)
                              : b.getAffineDimExpr(d));
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, reversed, b.getContext()),
      b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(),
                                       type.getElementType());
  return linalg::GenericOp::create(
             b, loc, type, sequence, init, maps, iterators,
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, args[0]);
             })
      .getResult(0);
}

namespace {
/// The offsets, sizes and strides of `[:, t0 : t0 + count]` in a sequence
/// of type `type`.
struct TimeWindow {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  TimeWindow(OpBuilder &b, RankedTensorType type, int64_t t0, int64_t count)
      : offsets(type.getRank(), b.getIndexAttr(0)),
        strides(type.getRank(), b.getIndexAttr(1)) {
    offsets[1] = b.getIndexAttr(t0);
    for (int64_t d = 0; d < type.getRank(); ++d)
      sizes.push_back(b.getIndexAttr(d == 1 ? count : type.getDimSize(d)));
  }
};
} // namespace

Value sliceTime(OpBuilder &b, Location loc, Value sequence, int64_t t0,
                int64_t count) {
  TimeWindow w(b, cast<RankedTensorType>(sequence.getType()), t0, count);
  return tensor::ExtractSliceOp::create(b, loc, sequence, w.offsets, w.sizes,
                                        w.strides);
}

Value timeStep(OpBuilder &b, Location loc, Value sequence, int64_t t) {
  auto type = cast<RankedTensorType>(sequence.getType());
  TimeWindow w(b, type, t, 1);
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 1);
  auto stepType = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, stepType, sequence, w.offsets,
                                        w.sizes, w.strides);
}

Value insertTime(OpBuilder &b, Location loc, Value part, Value sequence,
                 int64_t t0, int64_t count) {
  TimeWindow w(b, cast<RankedTensorType>(sequence.getType()), t0, count);
  return tensor::InsertSliceOp::create(b, loc, part, sequence, w.offsets,
                                       w.sizes, w.strides);
}

Value statesBeforeEachStep(OpBuilder &b, Location loc, Value init,
                           Value after) {
  auto type = cast<RankedTensorType>(after.getType());
  int64_t steps = type.getDimSize(1);
  Value result = init ? Value(tensor::EmptyOp::create(
                            b, loc, type.getShape(), type.getElementType()))
                      : zerosOf(b, loc, type);
  if (init)
    result = insertTime(b, loc, init, result, 0, 1);
  if (steps > 1)
    result = insertTime(b, loc, sliceTime(b, loc, after, 0, steps - 1),
                             result, 1, steps - 1);
  return result;
}

Value AdjointBuilder::cotangentOrZeros(Value primal, Location loc) {
  if (Value ct = cotangent(primal))
    return ct;
  return zerosOf(b, loc, cast<RankedTensorType>(primal.getType()));
}

void AdjointBuilder::accumulate(Value primal, Value ct, Location loc) {
  if (!ct || !isDifferentiableType(primal.getType()) || !isActive(primal))
    return;
  assert(ct.getType() == primal.getType() && "cotangent of another type");
  Value &slot = cotangents[primal];
  slot = slot ? addTensors(b, loc, slot, ct) : ct;
}

void AdjointBuilder::transfer(Value from, Value to) {
  auto it = cotangents.find(from);
  if (it == cotangents.end())
    return;
  Value ct = it->second;
  cotangents.erase(it);
  cotangents[to] = ct;
}

LogicalResult AdjointBuilder::backpropagate(ArrayRef<Operation *> ops) {
  for (Operation *op : llvm::reverse(ops)) {
    if (op->hasTrait<OpTrait::IsTerminator>())
      continue;
    bool reached = llvm::any_of(op->getResults(), [&](Value result) {
      return cotangents.contains(result);
    });
    if (!reached)
      continue;
    auto rule = dyn_cast<AdjointOpInterface>(op);
    if (!rule) {
      InFlightDiagnostic diag =
          op->emitOpError("has no derivative rule, so gradients cannot flow "
                          "through it");
      diag.attachNote() << "seq-differentiate knows the seq primitives, "
                           "linalg matmul/batch_matmul/transpose/fill/generic, "
                           "tensor reshapes and slices, and the arith and math "
                           "ops of elementwise bodies";
      return failure();
    }
    if (failed(rule.buildAdjoint(*this)))
      return failure();
  }
  return success();
}

} // namespace seqc::ad

#include "lib/Differentiation/AdjointInterface.cpp.inc"
