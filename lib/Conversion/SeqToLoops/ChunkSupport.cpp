//===- ChunkSupport.cpp - tensors in chunks, and matmuls over them --------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace seqc {

RankedTensorType tensorOf(OpBuilder &b, ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element ? element : b.getF32Type());
}

Value zerosOf(LoopBuilder &lb, ArrayRef<int64_t> shape, Type element) {
  OpBuilder &b = lb.builder();
  return lb.zeros(tensorOf(b, shape, element),
                  getAsIndexOpFoldResult(b.getContext(), shape));
}

Value emptyOf(LoopBuilder &lb, ArrayRef<int64_t> shape, Type element) {
  OpBuilder &b = lb.builder();
  return lb.empty(tensorOf(b, shape, element),
                  getAsIndexOpFoldResult(b.getContext(), shape));
}

Dims identityDims(unsigned rank) {
  Dims dims;
  for (unsigned d = 0; d < rank; ++d)
    dims.push_back(d);
  return dims;
}

Value staticSlice(LoopBuilder &lb, Value source, ArrayRef<int64_t> offsets,
                  ArrayRef<int64_t> sizes) {
  OpBuilder &b = lb.builder();
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
      b, lb.location(),
      tensorOf(b, sizes,
               cast<RankedTensorType>(source.getType()).getElementType()),
      source, getAsIndexOpFoldResult(b.getContext(), offsets),
      getAsIndexOpFoldResult(b.getContext(), sizes), strides);
}

Value staticInsert(LoopBuilder &lb, Value source, Value dest,
                   ArrayRef<int64_t> offsets) {
  OpBuilder &b = lb.builder();
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  return tensor::InsertSliceOp::create(
      b, lb.location(), source, dest,
      getAsIndexOpFoldResult(b.getContext(), offsets),
      getAsIndexOpFoldResult(
          b.getContext(),
          cast<RankedTensorType>(source.getType()).getShape()),
      strides);
}

Value reshape(LoopBuilder &lb, Value value, ArrayRef<int64_t> shape) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto target = RankedTensorType::get(shape, type.getElementType());
  if (shape.size() < static_cast<size_t>(type.getRank()))
    if (auto groups = getReassociationIndicesForReshape(type, target))
      return tensor::CollapseShapeOp::create(b, loc, target, value, *groups);
  if (shape.size() > static_cast<size_t>(type.getRank()))
    if (auto groups = getReassociationIndicesForReshape(type, target))
      return tensor::ExpandShapeOp::create(b, loc, target, value, *groups);
  // Neither: through one dimension.
  Value flat = reshape(lb, value, {type.getNumElements()});
  return reshape(lb, flat, shape);
}

Value packChunks(LoopBuilder &lb, Value sequence, const ChunkLayout &layout,
                 double scale) {
  auto type = cast<RankedTensorType>(sequence.getType());
  bool perStep = type.getRank() == 3;
  // [B, T, H, d] -> [B, H, T, d] in f32, times scale.
  SmallVector<int64_t> headMajor = {layout.B, layout.H, layout.T};
  if (!perStep)
    headMajor.push_back(type.getDimSize(3));
  Dims in = perStep ? Dims{0, 2, 1} : Dims{0, 2, 1, 3};
  Value converted = elementwise(
      lb, {sequence}, {in}, headMajor,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        LoopBuilder sb(nb, l);
        Value x = sb.convert(args[0], nb.getF32Type());
        if (scale != 1.0)
          x = mulF(nb, l, x, sb.scalar(nb.getF32Type(), scale));
        return x;
      });
  if (layout.TP != layout.T) {
    SmallVector<int64_t> padded = headMajor;
    padded[2] = layout.TP;
    converted = staticInsert(lb, converted, zerosOf(lb, padded),
                             SmallVector<int64_t>(headMajor.size(), 0));
  }
  SmallVector<int64_t> chunks = {layout.chunks(), layout.C};
  if (!perStep)
    chunks.push_back(headMajor.back());
  return reshape(lb, converted, chunks);
}

Value unpackChunks(LoopBuilder &lb, Value chunks, const ChunkLayout &layout,
                   RankedTensorType type) {
  int64_t d = type.getDimSize(3);
  Value headMajor = reshape(lb, chunks, {layout.B, layout.H, layout.TP, d});
  if (layout.TP != layout.T)
    headMajor = staticSlice(lb, headMajor, {0, 0, 0, 0},
                            {layout.B, layout.H, layout.T, d});
  // [B, H, T, d] -> [B, T, H, d].
  return convertElements(lb, headMajor, type.getElementType(),
                         Dims{0, 2, 1, 3});
}

Value unpackStepChunks(LoopBuilder &lb, Value chunks, const ChunkLayout &layout,
                       RankedTensorType type) {
  auto unit = RankedTensorType::get({layout.B, layout.T, layout.H, 1},
                                    type.getElementType());
  return reshape(lb,
                 unpackChunks(lb, reshape(lb, chunks, {layout.chunks(), layout.C, 1}),
                              layout, unit),
                 type.getShape());
}

Value packState(LoopBuilder &lb, Value init, const ChunkLayout &layout,
                int64_t dk, int64_t dv) {
  Value state =
      init ? convertElements(lb, init, lb.builder().getF32Type())
           : zerosOf(lb, {layout.B, layout.H, dk, dv});
  return reshape(lb, state, {layout.heads(), dk, dv});
}

Value unpackState(LoopBuilder &lb, Value state, RankedTensorType type) {
  return convertElements(lb, reshape(lb, state, type.getShape()),
                         type.getElementType());
}

Value convertElements(LoopBuilder &lb, Value value, Type element,
                      Dims dims) {
  if (dims.empty())
    return lb.convertElements(value, element);
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(dims.size());
  for (auto [loop, dim] : llvm::enumerate(dims))
    shape[dim] = type.getDimSize(loop);
  return elementwise(
      lb, {value}, {dims}, shape,
      [&](OpBuilder &b, Location l, ValueRange a) {
        return LoopBuilder(b, l).convert(a[0], element);
      },
      element);
}

StateDecays stateDecays(LoopBuilder &lb, Value q, Value k, Value L) {
  if (!L)
    return {q, k, Value()};
  auto shape = cast<RankedTensorType>(q.getType()).getShape();
  int64_t M = shape[0], C = shape[1], DK = shape[2];
  // A decay per channel ([M, C, DK]) or per step ([M, C]): the maps of a
  // per-step L drop the channel.
  bool perChannel = cast<RankedTensorType>(L.getType()).getRank() == 3;
  auto decayDims = [&](Dims dims) {
    if (!perChannel)
      dims.pop_back();
    return dims;
  };
  Value last = lb.extractSlice(L, 1, lb.index(C - 1));
  StateDecays decays;
  decays.queries = elementwise(
      lb, {q, L}, {Dims{0, 1, 2}, decayDims({0, 1, 2})}, {M, C, DK},
      [&](OpBuilder &b, Location l, ValueRange a) {
        return mulF(b, l, a[0], expF(b, l, a[1]));
      });
  decays.keys = elementwise(
      lb, {k, last, L}, {Dims{0, 1, 2}, decayDims({0, 2}), decayDims({0, 1, 2})},
      {M, C, DK}, [&](OpBuilder &b, Location l, ValueRange a) {
        return mulF(b, l, a[0], expOfDifference(b, l, a[1], a[2]));
      });
  SmallVector<int64_t> gammaShape = {M};
  if (perChannel)
    gammaShape.push_back(DK);
  decays.gamma = elementwise(lb, {last}, {decayDims({0, 1})}, gammaShape,
                             [&](OpBuilder &b, Location l, ValueRange a) {
                               return expF(b, l, a[0]);
                             });
  return decays;
}

Type matmulOperandType(Type element) {
  if (isa<BFloat16Type, Float16Type>(element))
    return element;
  return Float32Type::get(element.getContext());
}

Value batchMatmul(LoopBuilder &lb, Value lhs, Value rhs, Value acc,
                  bool transposeLhs, Type operands) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  if (operands) {
    lhs = convertElements(lb, lhs, operands);
    rhs = convertElements(lb, rhs, operands);
  }
  SmallVector<NamedAttribute> attributes;
  if (transposeLhs) {
    // (batch, m, n, k): lhs [batch, k, m], rhs [batch, k, n], acc [batch, m,
    // n].
    MLIRContext *context = b.getContext();
    AffineExpr batch, m, n, k;
    bindDims(context, batch, m, n, k);
    auto map = [&](ArrayRef<AffineExpr> results) {
      return AffineMapAttr::get(AffineMap::get(4, 0, results, context));
    };
    attributes.push_back(b.getNamedAttr(
        "indexing_maps", b.getArrayAttr({map({batch, k, m}), map({batch, k, n}),
                                         map({batch, m, n})})));
  }
  return linalg::BatchMatmulOp::create(b, loc, TypeRange{acc.getType()},
                                       ValueRange{lhs, rhs}, ValueRange{acc},
                                       attributes)
      .getResult(0);
}

Value elementwise(LoopBuilder &lb, ValueRange ins, ArrayRef<Dims> inDims,
                  ArrayRef<int64_t> shape,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body,
                  Type element) {
  return lb.generic(ins, {emptyOf(lb, shape, element)}, inDims,
                    {identityDims(shape.size())},
                    shape.size(), {},
                    [&](OpBuilder &b, Location l, ValueRange args) {
                      linalg::YieldOp::create(b, l, body(b, l, args));
                    })[0];
}

Value mulF(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::MulFOp::create(b, loc, x, y);
}

Value expF(OpBuilder &b, Location loc, Value x64) {
  return math::ExpOp::create(
      b, loc, arith::TruncFOp::create(b, loc, b.getF32Type(), x64));
}

SmallVector<Value> applyCombiner(OpBuilder &b, Block &combiner, ValueRange lhs,
                                 ValueRange rhs) {
  IRMapping mapping;
  size_t n = lhs.size();
  for (size_t i = 0; i < n; ++i) {
    mapping.map(combiner.getArgument(i), lhs[i]);
    mapping.map(combiner.getArgument(n + i), rhs[i]);
  }
  for (Operation &inner : combiner.without_terminator())
    b.clone(inner, mapping);
  SmallVector<Value> results;
  for (Value v : combiner.getTerminator()->getOperands())
    results.push_back(mapping.lookupOrDefault(v));
  return results;
}

Value indexAtMost(OpBuilder &b, Location loc, unsigned a, unsigned c) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                               linalg::IndexOp::create(b, loc, a),
                               linalg::IndexOp::create(b, loc, c));
}

Value expOfDifference(OpBuilder &b, Location loc, Value x, Value y) {
  return expF(b, loc, arith::SubFOp::create(b, loc, x, y));
}

Value causalScoresT(LoopBuilder &lb, Value q, Value k, Value L,
                    Type operands) {
  auto shape = cast<RankedTensorType>(q.getType()).getShape();
  int64_t M = shape[0], C = shape[1];
  if (!operands)
    operands = lb.builder().getF32Type();
  Value qT = convertElements(lb, q, operands, Dims{0, 2, 1});
  Value scoresT =
      batchMatmul(lb, k, qT, zerosOf(lb, {M, C, C}), false, operands);
  // Loops (m, j, i).
  SmallVector<Value> ins = {scoresT};
  SmallVector<Dims> inDims = {Dims{0, 1, 2}};
  if (L) {
    ins.append({L, L});
    inDims.append({Dims{0, 2}, Dims{0, 1}});
  }
  return elementwise(
      lb, ins, inDims, {M, C, C}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value score = a[0];
        if (L)
          score = mulF(nb, l, score, expOfDifference(nb, l, a[1], a[2]));
        Value zero = arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(0));
        return arith::SelectOp::create(nb, l, indexAtMost(nb, l, 1, 2), score,
                                       zero)
            .getResult();
      });
}

Value inChunkCumsum(LoopBuilder &lb, Value logGates, bool reverse) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  auto type = cast<RankedTensorType>(logGates.getType());
  int64_t C = type.getDimSize(1);
  Type f64 = b.getF64Type();
  // C steps, each over every chunk and channel at once (as the prefix
  // scan's local pass): C * d additions per chunk, where a masked sum over
  // j <= i would take C^2 * d.
  Value sums = emptyOf(lb, type.getShape(), f64);
  SmallVector<int64_t> stepShape(type.getShape());
  stepShape.erase(stepShape.begin() + 1);
  Dims all = identityDims(stepShape.size());
  auto loop = scf::ForOp::create(
      b, loc, lb.index(0), lb.index(C), lb.index(1),
      ValueRange{zerosOf(lb, stepShape, f64), sums},
      [&](OpBuilder &nb, Location l, Value step, ValueRange iter) {
        LoopBuilder ib(nb, l);
        Value i = reverse ? arith::SubIOp::create(nb, l, ib.index(C - 1), step)
                                .getResult()
                          : step;
        Value next = elementwise(
            ib, {ib.extractSlice(logGates, 1, i), iter[0]}, {all, all},
            stepShape,
            [&](OpBuilder &eb, Location el, ValueRange a) {
              Value g = LoopBuilder(eb, el).convert(a[0], eb.getF64Type());
              return arith::AddFOp::create(eb, el, a[1], g).getResult();
            },
            f64);
        scf::YieldOp::create(
            nb, l, ValueRange{next, ib.insertSlice(next, iter[1], 1, i)});
      });
  return loop.getResult(1);
}

} // namespace seqc
