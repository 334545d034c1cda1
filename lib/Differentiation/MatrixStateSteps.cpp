//===- MatrixStateSteps.cpp - one step of a matrix-state model ------------===//
#include "seqc/Differentiation/MatrixStateSteps.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace seqc::ad {

/// `v` as `type` (extf/truncf, or itself).
static Value convert(OpBuilder &b, Location loc, Value v, Type type) {
  auto from = cast<FloatType>(v.getType());
  auto to = cast<FloatType>(type);
  if (from == to)
    return v;
  if (from.getWidth() < to.getWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

/// The dims (b, h, i, j) of a 4-d iteration space, as a map keeping `dims`.
static AffineMap mapOf(OpBuilder &b, ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : dims)
    exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(4, 0, exprs, b.getContext());
}

/// scale sum_i k_i S_ij: [B, H, dv].
static Value keyProjection(OpBuilder &b, Location loc, Value state, Value k,
                           double scale = 1.0) {
  auto stateType = cast<RankedTensorType>(state.getType());
  Type element = stateType.getElementType();
  auto type = RankedTensorType::get(
      {stateType.getDimSize(0), stateType.getDimSize(1),
       stateType.getDimSize(3)},
      element);
  // Loops (b, h, j, i), i reduced.
  SmallVector<AffineMap> maps = {mapOf(b, {0, 1, 3, 2}), mapOf(b, {0, 1, 3}),
                                 mapOf(b, {0, 1, 2})};
  SmallVector<utils::IteratorType> iterators = {
      utils::IteratorType::parallel, utils::IteratorType::parallel,
      utils::IteratorType::parallel, utils::IteratorType::reduction};
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{state, k}, zerosOf(b, loc, type), maps,
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value ki = convert(nb, nl, args[1], element);
               if (scale != 1.0)
                 ki = arith::MulFOp::create(
                     nb, nl, ki,
                     arith::ConstantOp::create(
                         nb, nl, element, nb.getFloatAttr(element, scale)));
               Value product = arith::MulFOp::create(nb, nl, args[0], ki);
               Value sum = arith::AddFOp::create(nb, nl, args[2], product);
               linalg::YieldOp::create(nb, nl, sum);
             })
      .getResult(0);
}

Value matrixStateUpdate(OpBuilder &b, Location loc, Value state, Value k,
                        Value v, Value gate, Value beta, bool deltaRule) {
  auto stateType = cast<RankedTensorType>(state.getType());
  Type element = stateType.getElementType();
  Value kS = deltaRule ? keyProjection(b, loc, state, k) : Value();
  // Loops (b, h, i, j).
  SmallVector<Value> inputs = {state, k, v};
  SmallVector<AffineMap> maps = {mapOf(b, {0, 1, 2, 3}), mapOf(b, {0, 1, 2}),
                                 mapOf(b, {0, 1, 3})};
  int gateIndex = -1, betaIndex = -1, kSIndex = -1;
  if (gate) {
    gateIndex = inputs.size();
    inputs.push_back(gate);
    maps.push_back(cast<RankedTensorType>(gate.getType()).getRank() == 2
                       ? mapOf(b, {0, 1})
                       : mapOf(b, {0, 1, 2}));
  }
  if (beta) {
    betaIndex = inputs.size();
    inputs.push_back(beta);
    maps.push_back(mapOf(b, {0, 1}));
  }
  if (kS) {
    kSIndex = inputs.size();
    inputs.push_back(kS);
    maps.push_back(mapOf(b, {0, 1, 3}));
  }
  maps.push_back(mapOf(b, {0, 1, 2, 3}));
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, stateType.getShape(), element);
  return linalg::GenericOp::create(
             b, loc, stateType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value s = args[0];
               Value ki = convert(nb, nl, args[1], element);
               Value vj = convert(nb, nl, args[2], element);
               Value betaValue =
                   betaIndex >= 0 ? convert(nb, nl, args[betaIndex], element)
                                  : Value();
               if (kSIndex >= 0) {
                 // S - beta k_i (k^T S)_j
                 Value correction =
                     arith::MulFOp::create(nb, nl, ki, args[kSIndex]);
                 if (betaValue)
                   correction =
                       arith::MulFOp::create(nb, nl, betaValue, correction);
                 s = arith::SubFOp::create(nb, nl, s, correction);
               }
               if (gateIndex >= 0) {
                 Value decay = math::ExpOp::create(
                     nb, nl, convert(nb, nl, args[gateIndex], element));
                 s = arith::MulFOp::create(nb, nl, decay, s);
               }
               Value kv = arith::MulFOp::create(nb, nl, ki, vj);
               if (betaValue)
                 kv = arith::MulFOp::create(nb, nl, betaValue, kv);
               Value next = arith::AddFOp::create(nb, nl, s, kv);
               linalg::YieldOp::create(nb, nl, next);
             })
      .getResult(0);
}

Value matrixStateReadout(OpBuilder &b, Location loc, Value state, Value q,
                         double scale, Type outputElement) {
  return castElements(b, loc, keyProjection(b, loc, state, q, scale),
                      outputElement);
}

} // namespace seqc::ad
