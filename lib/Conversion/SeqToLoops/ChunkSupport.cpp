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
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  auto type = cast<RankedTensorType>(sequence.getType());
  bool perStep = type.getRank() == 3;
  int64_t d = perStep ? 1 : type.getDimSize(3);
  // [B, T, H, d] -> [B, H, T, d] in f32, times scale.
  SmallVector<int64_t> headMajor = {layout.B, layout.H, layout.T};
  if (!perStep)
    headMajor.push_back(d);
  unsigned rank = headMajor.size();
  Dims in = perStep ? Dims{0, 2, 1} : Dims{0, 2, 1, 3};
  Dims out = perStep ? Dims{0, 1, 2} : Dims{0, 1, 2, 3};
  Value converted =
      lb.generic({sequence}, {emptyOf(lb, headMajor)}, {in}, {out}, rank, {},
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   LoopBuilder sb(nb, l);
                   Value x = sb.convert(args[0], nb.getF32Type());
                   if (scale != 1.0)
                     x = arith::MulFOp::create(
                         nb, l, x, sb.scalar(nb.getF32Type(), scale));
                   linalg::YieldOp::create(nb, l, x);
                 })[0];
  if (layout.TP != layout.T) {
    SmallVector<int64_t> padded = headMajor;
    padded[2] = layout.TP;
    SmallVector<OpFoldResult> zero(rank, b.getIndexAttr(0)),
        one(rank, b.getIndexAttr(1));
    converted = tensor::InsertSliceOp::create(
        b, loc, converted, zerosOf(lb, padded), zero,
        getAsIndexOpFoldResult(b.getContext(), headMajor), one);
  }
  SmallVector<int64_t> chunks = {layout.chunks(), layout.C};
  if (!perStep)
    chunks.push_back(d);
  return reshape(lb, converted, chunks);
}

Value unpackChunks(LoopBuilder &lb, Value chunks, const ChunkLayout &layout,
                   RankedTensorType type) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  int64_t d = type.getDimSize(3);
  Value headMajor = reshape(lb, chunks, {layout.B, layout.H, layout.TP, d});
  if (layout.TP != layout.T) {
    SmallVector<OpFoldResult> zero(4, b.getIndexAttr(0)),
        one(4, b.getIndexAttr(1));
    headMajor = tensor::ExtractSliceOp::create(
        b, loc, tensorOf(b, {layout.B, layout.H, layout.T, d}), headMajor, zero,
        getAsIndexOpFoldResult(b.getContext(),
                               {layout.B, layout.H, layout.T, d}),
        one);
  }
  return lb.generic(
      {headMajor},
      {lb.empty(type, getAsIndexOpFoldResult(b.getContext(), type.getShape()))},
      {Dims{0, 2, 1, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        LoopBuilder sb(nb, l);
        linalg::YieldOp::create(nb, l,
                                sb.convert(args[0], type.getElementType()));
      })[0];
}

Value packState(LoopBuilder &lb, Value init, const ChunkLayout &layout,
                int64_t dk, int64_t dv) {
  SmallVector<int64_t> shape = {layout.B, layout.H, dk, dv};
  Value state = zerosOf(lb, shape);
  if (init)
    state = lb.generic({init}, {state}, {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}},
                       4, {}, [&](OpBuilder &nb, Location l, ValueRange args) {
                         LoopBuilder sb(nb, l);
                         linalg::YieldOp::create(
                             nb, l, sb.convert(args[0], nb.getF32Type()));
                       })[0];
  return reshape(lb, state, {layout.heads(), dk, dv});
}

Value unpackState(LoopBuilder &lb, Value state, RankedTensorType type) {
  Value shaped = reshape(lb, state, type.getShape());
  if (type.getElementType().isF32())
    return shaped;
  OpBuilder &b = lb.builder();
  return lb.generic(
      {shaped},
      {lb.empty(type, getAsIndexOpFoldResult(b.getContext(), type.getShape()))},
      {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        LoopBuilder sb(nb, l);
        linalg::YieldOp::create(nb, l,
                                sb.convert(args[0], type.getElementType()));
      })[0];
}

Value batchMatmul(LoopBuilder &lb, Value lhs, Value rhs, Value acc,
                  bool transposeLhs) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
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
  Dims all;
  for (unsigned d = 0; d < shape.size(); ++d)
    all.push_back(d);
  return lb.generic(ins, {emptyOf(lb, shape, element)}, inDims, {all},
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

Value causalScoresT(LoopBuilder &lb, Value q, Value k, Value L) {
  auto shape = cast<RankedTensorType>(q.getType()).getShape();
  int64_t M = shape[0], C = shape[1], DK = shape[2];
  Value qT = lb.generic({q}, {emptyOf(lb, {M, DK, C})}, {Dims{0, 2, 1}},
                        {Dims{0, 1, 2}}, 3, {},
                        [&](OpBuilder &nb, Location l, ValueRange a) {
                          linalg::YieldOp::create(nb, l, a[0]);
                        })[0];
  Value scoresT = batchMatmul(lb, k, qT, zerosOf(lb, {M, C, C}));
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

Value inChunkCumsum(LoopBuilder &lb, Value logGates) {
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
  Dims all;
  for (unsigned d = 0; d < stepShape.size(); ++d)
    all.push_back(d);
  auto loop = scf::ForOp::create(
      b, loc, lb.index(0), lb.index(C), lb.index(1),
      ValueRange{zerosOf(lb, stepShape, f64), sums},
      [&](OpBuilder &nb, Location l, Value i, ValueRange iter) {
        LoopBuilder ib(nb, l);
        Value next = elementwise(
            ib, {ib.extractSlice(logGates, 1, i), iter[0]}, {all, all},
            stepShape,
            [&](OpBuilder &eb, Location el, ValueRange a) {
              Value g = arith::ExtFOp::create(eb, el, eb.getF64Type(), a[0]);
              return arith::AddFOp::create(eb, el, a[1], g).getResult();
            },
            f64);
        scf::YieldOp::create(
            nb, l, ValueRange{next, ib.insertSlice(next, iter[1], 1, i)});
      });
  return loop.getResult(1);
}

} // namespace seqc
