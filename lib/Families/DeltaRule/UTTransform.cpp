//===- UTTransform.cpp - the chunk pieces of the delta rule's WY/UT form --===//
#include "lib/Families/DeltaRule/UTTransform.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;
using namespace seqc::families;

DeltaRuleChunks families::computeDeltaRuleChunks(LoopBuilder &lb,
                                                 DeltaRuleOp op, int64_t C,
                                                 Type operands) {
  auto qType = op.getQ().getType(), vType = op.getV().getType();
  int64_t T = qType.getDimSize(1), DK = qType.getDimSize(3),
          DV = vType.getDimSize(3);
  ChunkLayout layout(qType.getDimSize(0), T, qType.getDimSize(2), C);
  int64_t M = layout.chunks(), G = layout.heads(), N = layout.N;
  double scale = attentionScale(op.getScaleAttr(), op.getK());
  Location loc = lb.location();
  DeltaRuleChunks chunks{layout, DK, DV};

  Value q = packChunks(lb, op.getQ(), layout, scale);
  Value k = packChunks(lb, op.getK(), layout);
  Value v = packChunks(lb, op.getV(), layout);
  Value beta = packChunks(lb, op.getBeta(), layout); // [M, C]
  Value L = op.getGate()
                ? inChunkCumsum(lb, packChunks(lb, op.getGate(), layout))
                : Value(); // [M, C] f64

  // The strictly lower triangular A = tril(diag(beta) K K^T * Gamma, -1):
  // K K^T is one batched matmul (with K^T made contiguous); loops
  // (m, i, j).
  Value kT = convertElements(lb, k, operands, Dims{0, 2, 1});
  Value gram =
      batchMatmul(lb, k, kT, zerosOf(lb, {M, C, C}), false, operands);
  SmallVector<Value> aIns = {beta};
  SmallVector<Dims> aDims = {Dims{0, 1}};
  if (L) {
    aIns.append({L, L});
    aDims.append({Dims{0, 1}, Dims{0, 2}});
  }
  aIns.push_back(gram);
  aDims.push_back(Dims{0, 1, 2});
  Value A = elementwise(
      lb, aIns, aDims, {M, C, C},
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value x = mulF(b, l, a[0], a[aIns.size() - 1]);
        if (L)
          x = mulF(b, l, x, expOfDifference(b, l, a[1], a[2]));
        Value below = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                            linalg::IndexOp::create(b, l, 2),
                                            linalg::IndexOp::create(b, l, 1));
        Value zero = arith::ConstantOp::create(b, l, b.getF32FloatAttr(0));
        return arith::SelectOp::create(b, l, below, x, zero).getResult();
      });

  // Tinv = (I + A)^{-1} by forward substitution, row i after row i - 1:
  // Tinv[i, :] = e_i - sum_{j < i} A[i, j] Tinv[j, :]. Tinv starts as the
  // identity, so row i is still e_i when it is computed, and with
  // A' = A - I (A' [i, i] = -1; A[i, j > i] = 0) the row is
  // -sum_j A'[i, j] Tinv[j, :]: one reduction from zero per row, which
  // the GPU pipeline fuses with its zero fill into one kernel.
  Value identity = elementwise(
      lb, {}, {}, {M, C, C}, [&](OpBuilder &b, Location l, ValueRange) {
        Value diagonal = arith::CmpIOp::create(
            b, l, arith::CmpIPredicate::eq, linalg::IndexOp::create(b, l, 1),
            linalg::IndexOp::create(b, l, 2));
        return arith::SelectOp::create(
                   b, l, diagonal,
                   arith::ConstantOp::create(b, l, b.getF32FloatAttr(1)),
                   arith::ConstantOp::create(b, l, b.getF32FloatAttr(0)))
            .getResult();
      });
  auto substitution = scf::ForOp::create(
      lb.builder(), loc, lb.index(0), lb.index(C), lb.index(1),
      ValueRange{identity},
      [&](OpBuilder &nb, Location l, Value i, ValueRange iter) {
        LoopBuilder ib(nb, l);
        // Loops (m, e, j): the parallel ones outermost, which the GPU
        // maps to threads (one thread per chunk would serialize C^2
        // products); the CPU pipeline moves j outside e again
        // (seq-contraction-loop-order).
        Value row = ib.generic(
            {ib.extractSlice(A, 1, i), iter[0]}, {zerosOf(ib, {M, C})},
            {Dims{0, 2}, Dims{0, 2, 1}}, {Dims{0, 1}}, 3, {2},
            [&](OpBuilder &b, Location bl, ValueRange a) {
              // A'[i, j] = A[i, j] - (j == i).
              Value onDiagonal =
                  arith::CmpIOp::create(b, bl, arith::CmpIPredicate::eq,
                                        linalg::IndexOp::create(b, bl, 2), i);
              Value coefficient = arith::SelectOp::create(
                  b, bl, onDiagonal,
                  arith::ConstantOp::create(b, bl, b.getF32FloatAttr(-1)),
                  a[0]);
              linalg::YieldOp::create(
                  b, bl,
                  ValueRange{arith::SubFOp::create(
                      b, bl, a[2], mulF(b, bl, coefficient, a[1]))});
            })[0];
        scf::YieldOp::create(nb, l,
                             ValueRange{ib.insertSlice(row, iter[0], 1, i)});
      });
  Value Tinv = substitution.getResult(0);

  // -W = Tinv (-diag(beta) K exp(L)) (W is only used as -W S, which the
  // chunk loop accumulates onto U in one batched matmul), and
  // U = Tinv diag(beta) V.
  SmallVector<Value> keyIns = {k, beta};
  SmallVector<Dims> keyDims = {Dims{0, 1, 2}, Dims{0, 1}};
  if (L) {
    keyIns.push_back(L);
    keyDims.push_back(Dims{0, 1});
  }
  Value betaKeys =
      elementwise(lb, keyIns, keyDims, {M, C, DK},
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value x = mulF(b, l, a[0], a[1]);
                    if (L)
                      x = mulF(b, l, x, expF(b, l, a[2]));
                    return arith::NegFOp::create(b, l, x).getResult();
                  });
  Value betaValues =
      elementwise(lb, {v, beta}, {Dims{0, 1, 2}, Dims{0, 1}}, {M, C, DV},
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    return mulF(b, l, a[0], a[1]);
                  });
  // In f32 whatever the operand type: Tinv's entries grow with the chunk
  // (beta near 2, aligned keys), and rounded to bf16 they put 5% errors
  // into the outputs (forms_agree seed 91046).
  Value negW = batchMatmul(lb, Tinv, betaKeys, zerosOf(lb, {M, C, DK}));
  Value U = batchMatmul(lb, Tinv, betaValues, zerosOf(lb, {M, C, DV}));

  // Decayed queries and keys and exp(L_C) for the state terms.
  auto [queries, keys, gamma] = stateDecays(lb, q, k, L);

  // The chunk loop over heads: V' = U - W S, S <- exp(L_C) S + keys^T V'.
  Value perChunkNegW = reshape(lb, negW, {G, N, C, DK});
  Value perChunkU = reshape(lb, U, {G, N, C, DV});
  Value perChunkKeys = reshape(lb, keys, {G, N, C, DK});
  Value perChunkGamma = gamma ? reshape(lb, gamma, {G, N}) : Value();
  Value initial = packState(lb, op.getInit(), layout, DK, DV);
  auto loop = scf::ForOp::create(
      lb.builder(), loc, lb.index(0), lb.index(N), lb.index(1),
      ValueRange{initial, emptyOf(lb, {G, N, DK, DV}),
                 emptyOf(lb, {G, N, C, DV})},
      [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
        LoopBuilder ib(nb, l);
        Value S = iter[0];
        Value statesIn = ib.insertSlice(S, iter[1], 1, n);
        // V' = U - W S, accumulated onto U, in f32 (see Chunkwise.cpp).
        Value corrected =
            batchMatmul(ib, ib.extractSlice(perChunkNegW, 1, n), S,
                        ib.extractSlice(perChunkU, 1, n), false);
        Value decayed = S;
        if (perChunkGamma)
          decayed = elementwise(ib, {ib.extractSlice(perChunkGamma, 1, n), S},
                                {Dims{0}, Dims{0, 1, 2}}, {G, DK, DV},
                                [&](OpBuilder &b, Location bl, ValueRange a) {
                                  return mulF(b, bl, a[0], a[1]);
                                });
        Value next = batchMatmul(ib, ib.extractSlice(perChunkKeys, 1, n),
                                 corrected, decayed, /*transposeLhs=*/true);
        scf::YieldOp::create(
            nb, l,
            ValueRange{next, statesIn,
                       ib.insertSlice(corrected, iter[2], 1, n)});
      });

  chunks.q = q;
  chunks.k = k;
  chunks.v = v;
  chunks.beta = beta;
  chunks.L = L;
  chunks.gram = gram;
  chunks.A = A;
  chunks.Tinv = Tinv;
  chunks.negBetaKeys = betaKeys;
  chunks.betaValues = betaValues;
  chunks.negW = negW;
  chunks.U = U;
  chunks.decays = {queries, keys, gamma};
  chunks.statesIn = reshape(lb, loop.getResult(1), {M, DK, DV});
  chunks.corrected = reshape(lb, loop.getResult(2), {M, C, DV});
  chunks.finalState = loop.getResult(0);
  return chunks;
}
