//===- GateBlocks.cpp - sub-blocks of the vector-gate chunk form ----------===//
#include "lib/Families/LinearAttention/GateBlocks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::families;

int64_t families::subBlockSize(int64_t C) {
  double target = std::max(16.0, std::sqrt(double(C)));
  int64_t best = 1;
  for (int64_t c = 1; c <= C; ++c)
    if (C % c == 0 &&
        std::abs(std::log(c / target)) <= std::abs(std::log(best / target)))
      best = c;
  return best;
}

GateBlocks families::gateBlocks(LoopBuilder &lb, Value L) {
  auto shape = cast<RankedTensorType>(L.getType()).getShape();
  GateBlocks blocks;
  blocks.M = shape[0];
  blocks.C = shape[1];
  blocks.DK = shape[2];
  blocks.c = subBlockSize(blocks.C);
  blocks.count = blocks.C / blocks.c;
  int64_t M = blocks.M, count = blocks.count, DK = blocks.DK;
  blocks.L = reshape(lb, L, {M, count, blocks.c, DK});
  if (count > 1) {
    blocks.R = lb.extractSlice(blocks.L, 2, lb.index(blocks.c - 1));
    blocks.P = staticInsert(
        lb, staticSlice(lb, blocks.R, {0, 0, 0}, {M, count - 1, DK}),
        zerosOf(lb, {M, count, DK}, lb.builder().getF64Type()), {0, 1, 0});
  }
  return blocks;
}

Value families::offDiagonalScoresT(LoopBuilder &lb, const GateBlocks &blocks,
                                   Value q, Value k, Type operands) {
  if (blocks.count == 1)
    return {};
  int64_t M = blocks.M, n = blocks.count, c = blocks.c, C = blocks.C,
          DK = blocks.DK;
  Value qb = reshape(lb, q, {M, n, c, DK});
  Value kb = reshape(lb, k, {M, n, c, DK});
  // Loops (m, r, i, d).
  Value qScaled = elementwise(
      lb, {qb, blocks.L, blocks.P},
      {Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}, Dims{0, 1, 3}}, {M, n, c, DK},
      [&](OpBuilder &b, Location l, ValueRange a) {
        return mulF(b, l, a[0], expOfDifference(b, l, a[1], a[2]));
      });
  Value kScaled = elementwise(
      lb, {kb, blocks.R, blocks.L},
      {Dims{0, 1, 2, 3}, Dims{0, 1, 3}, Dims{0, 1, 2, 3}}, {M, n, c, DK},
      [&](OpBuilder &b, Location l, ValueRange a) {
        return mulF(b, l, a[0], expOfDifference(b, l, a[1], a[2]));
      });
  // between[m, r, s, d] = exp(P_r - R_s) for key blocks s before query
  // block r, else 0. Loops (m, r, s, d).
  Value between = elementwise(
      lb, {blocks.P, blocks.R}, {Dims{0, 1, 3}, Dims{0, 2, 3}}, {M, n, n, DK},
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value before = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                             linalg::IndexOp::create(b, l, 2),
                                             linalg::IndexOp::create(b, l, 1));
        Value zero = arith::ConstantOp::create(b, l, b.getF32FloatAttr(0));
        return arith::SelectOp::create(b, l, before,
                                       expOfDifference(b, l, a[0], a[1]), zero)
            .getResult();
      });
  // Per key block s, the queries of all later blocks rescaled to its end,
  // transposed: [M, s, DK, r, i]. Loops (m, s, d, r, i).
  Value queriesT = elementwise(
      lb, {qScaled, between}, {Dims{0, 3, 4, 2}, Dims{0, 3, 1, 2}},
      {M, n, DK, n, c}, [&](OpBuilder &b, Location l, ValueRange a) {
        return mulF(b, l, a[0], a[1]);
      });
  // A^T over key block s (rows j) and all queries (columns i).
  Value scoresT = batchMatmul(lb, reshape(lb, kScaled, {M * n, c, DK}),
                              reshape(lb, queriesT, {M * n, DK, C}),
                              zerosOf(lb, {M * n, c, C}), false, operands);
  return reshape(lb, scoresT, {M, C, C});
}

Value families::diagonalScoresT(LoopBuilder &lb, const GateBlocks &blocks,
                                Value q, Value k) {
  int64_t M = blocks.M, n = blocks.count, c = blocks.c, DK = blocks.DK;
  OpBuilder &b = lb.builder();
  // Queries and L transposed per block so that i is the contiguous
  // innermost loop: (m, s, j, d, i), reduction over d.
  Dims transposed = {0, 1, 3, 2};
  Value kb = reshape(lb, k, {M, n, c, DK});
  Value qT = convertElements(lb, reshape(lb, q, {M, n, c, DK}), b.getF32Type(),
                             transposed);
  Value LT = convertElements(lb, blocks.L, b.getF64Type(), transposed);
  return lb.generic(
      {kb, qT, blocks.L, LT}, {zerosOf(lb, {M, n, c, c})},
      {Dims{0, 1, 2, 3}, Dims{0, 1, 3, 4}, Dims{0, 1, 2, 3}, Dims{0, 1, 3, 4}},
      {Dims{0, 1, 2, 4}}, 5, {3},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value term = mulF(nb, l, mulF(nb, l, a[0], a[1]),
                          expOfDifference(nb, l, a[3], a[2]));
        Value sum = arith::AddFOp::create(nb, l, a[4], term);
        linalg::YieldOp::create(
            nb, l,
            ValueRange{arith::SelectOp::create(nb, l, indexAtMost(nb, l, 2, 4),
                                               sum, a[4])});
      })[0];
}
