//===- ChunkwiseAdjoint.cpp - chunkwise (WY/UT) backward of seq.delta_rule ===//
//
// The backward of the chunk form (Chunkwise.cpp, UTTransform.h) as in
// DeltaNet's and fla's chunk kernels. The forward pieces of every chunk are
// recomputed from the inputs (nothing else is kept): Tinv, -W, U, the
// states entering the chunks S and the corrected values V'. With Q scaled,
// P = Q K^T * Gamma (causal), dO the outputs' cotangents and D = dS_out the
// cotangent of the state leaving a chunk:
//
//   dS_in = exp(L_C) D + (Q exp(L))^T dO - W^T dV'    (chunks in reverse)
//   dV'   = P^T dO + (K exp(L_C - L)) D
//   -dW   = dV' S^T,  dU = dV'
//   d(diag(beta) V) = Tinv^T dU,  d(-diag(beta) K exp(L)) = Tinv^T (-dW)
//   dA    = -(d(diag(beta) V) U^T + d(-diag(beta) K exp(L)) (-W)^T), j < i
//
// since Tinv = (I + A)^{-1} gives dA = -Tinv^T dTinv Tinv^T, and
// A = diag(beta) K K^T * Gamma below the diagonal. dQ, dK, dV, dbeta follow
// from where each enters (P, A, the beta-scaled keys and values, the
// decayed keys and queries); the gate's cotangent is, per step, what each
// exponent L_i receives (as a difference L_i - L_j: + at i, - at j), summed
// from the chunk's end. The reverse recurrence of dS is the one sequential
// part: dS_in = exp(L_C) D + (-W)^T (keys D) + b, with b = (Q exp(L))^T dO +
// (-W)^T P^T dO computed for all chunks at once, two batched matmuls per
// chunk over the heads (as the forward's loop). Every exponent is a
// difference L_i - L_j with j <= i, L, or L_C - L: none is positive.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/DeltaRule/DeltaRule.h"
#include "lib/Families/DeltaRule/UTTransform.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

Value zeroF32(OpBuilder &b, Location loc) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
}

/// sum over `reduced` of the product of x and y ([M, a, b] each, or y null:
/// x alone), as [M, a] or [M, b], accumulated in `element` (f32 default).
Value sumOfProducts(LoopBuilder &lb, Value x, Value y, unsigned reduced,
                    Type element = {}) {
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  SmallVector<int64_t> kept = {shape[0], shape[reduced == 2 ? 1 : 2]};
  Dims out = reduced == 2 ? Dims{0, 1} : Dims{0, 2};
  SmallVector<Value> ins = {x};
  if (y)
    ins.push_back(y);
  SmallVector<Dims> inDims(ins.size(), Dims{0, 1, 2});
  if (!element)
    element = lb.builder().getF32Type();
  return lb.generic(ins, {zerosOf(lb, kept, element)}, inDims, {out}, 3,
                    {reduced}, [&](OpBuilder &b, Location l, ValueRange a) {
                      LoopBuilder sb(b, l);
                      Value term =
                          y ? arith::MulFOp::create(
                                  b, l, sb.convert(a[0], element),
                                  sb.convert(a[1], element))
                                  .getResult()
                            : sb.convert(a[0], element);
                      linalg::YieldOp::create(
                          b, l,
                          ValueRange{arith::AddFOp::create(
                              b, l, a[ins.size()], term)});
                    })[0];
}

/// `x` [M, C, C] (rows i, columns j; or transposed: rows j, columns i) times
/// Gamma_ij = exp(L_i - L_j) where `keep(b, l)` holds, else 0; no decay for
/// a null `L`. Loops (m, r, c).
Value decayedMasked(LoopBuilder &lb, Value x, Value L, bool transposed,
                    function_ref<Value(OpBuilder &, Location)> keep) {
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  SmallVector<Value> ins = {x};
  SmallVector<Dims> dims = {Dims{0, 1, 2}};
  if (L) {
    ins.append({L, L});
    dims.append(transposed ? SmallVector<Dims>{Dims{0, 2}, Dims{0, 1}}
                           : SmallVector<Dims>{Dims{0, 1}, Dims{0, 2}});
  }
  return elementwise(lb, ins, dims, shape,
                     [&](OpBuilder &b, Location l, ValueRange a) {
                       Value value = a[0];
                       if (L)
                         value = mulF(b, l, value,
                                      expOfDifference(b, l, a[1], a[2]));
                       return arith::SelectOp::create(b, l, keep(b, l), value,
                                                      zeroF32(b, l))
                           .getResult();
                     });
}

} // namespace

LogicalResult families::buildDeltaRuleChunkwiseAdjoint(
    DeltaRuleOp op, int64_t chunk, ad::AdjointBuilder &adjoints) {
  Value outputCotangent = adjoints.cotangent(op.getOutput());
  Value finalCotangent = adjoints.cotangent(op.getFinalState());
  if (!outputCotangent && !finalCotangent)
    return success();
  OpBuilder &b = adjoints.builder();
  Location loc = op.getLoc();
  LoopBuilder lb(b, loc);
  Type f32 = b.getF32Type();
  // Everything in f32: the backward's products cancel as the forward's
  // UT transform does.
  DeltaRuleChunks pieces = computeDeltaRuleChunks(lb, op, chunk, f32);
  const ChunkLayout &layout = pieces.layout;
  int64_t M = layout.chunks(), G = layout.heads(), N = layout.N, C = chunk,
          DK = pieces.DK, DV = pieces.DV;
  Value q = pieces.q, k = pieces.k, L = pieces.L;
  Value queries = pieces.decays.queries, keys = pieces.decays.keys,
        gamma = pieces.decays.gamma;
  Value dO = outputCotangent ? packChunks(lb, outputCotangent, layout)
                             : zerosOf(lb, {M, C, DV});

  // P^T [M, j, i] = (k_j . q_i) Gamma_ij for j <= i.
  Value scoresT = causalScoresT(lb, q, k, L);
  Value fromOutputs = batchMatmul(lb, scoresT, dO, zerosOf(lb, {M, C, DV}));
  Value stateFromOutputs =
      batchMatmul(lb, pieces.negW, fromOutputs,
                  batchMatmul(lb, queries, dO, zerosOf(lb, {M, DK, DV}),
                              /*transposeLhs=*/true),
                  /*transposeLhs=*/true);

  // dS over the chunks in reverse, from the final state's cotangent; D of
  // every chunk recorded.
  Value perChunkNegW = reshape(lb, pieces.negW, {G, N, C, DK});
  Value perChunkKeys = reshape(lb, keys, {G, N, C, DK});
  Value perChunkBase = reshape(lb, stateFromOutputs, {G, N, DK, DV});
  Value perChunkGamma = gamma ? reshape(lb, gamma, {G, N}) : Value();
  Value last = finalCotangent
                   ? packState(lb, finalCotangent, layout, DK, DV)
                   : zerosOf(lb, {G, DK, DV});
  auto loop = scf::ForOp::create(
      b, loc, lb.index(0), lb.index(N), lb.index(1),
      ValueRange{last, emptyOf(lb, {G, N, DK, DV})},
      [&](OpBuilder &nb, Location l, Value step, ValueRange iter) {
        LoopBuilder ib(nb, l);
        Value n = arith::SubIOp::create(nb, l, ib.index(N - 1), step);
        Value D = iter[0];
        Value recorded = ib.insertSlice(D, iter[1], 1, n);
        Value keysD = batchMatmul(ib, ib.extractSlice(perChunkKeys, 1, n), D,
                                  zerosOf(ib, {G, C, DV}));
        SmallVector<Value> ins = {D, ib.extractSlice(perChunkBase, 1, n)};
        SmallVector<Dims> dims = {Dims{0, 1, 2}, Dims{0, 1, 2}};
        if (perChunkGamma) {
          ins.push_back(ib.extractSlice(perChunkGamma, 1, n));
          dims.push_back(Dims{0});
        }
        Value base = elementwise(
            ib, ins, dims, {G, DK, DV},
            [&](OpBuilder &eb, Location el, ValueRange a) {
              Value kept = perChunkGamma ? mulF(eb, el, a[2], a[0]) : a[0];
              return arith::AddFOp::create(eb, el, kept, a[1]).getResult();
            });
        Value entering =
            batchMatmul(ib, ib.extractSlice(perChunkNegW, 1, n), keysD, base,
                        /*transposeLhs=*/true);
        scf::YieldOp::create(nb, l, ValueRange{entering, recorded});
      });
  Value D = reshape(lb, loop.getResult(1), {M, DK, DV});
  if (Value initial = op.getInit())
    adjoints.accumulate(
        initial,
        unpackState(lb, loop.getResult(0),
                    cast<RankedTensorType>(initial.getType())),
        loc);

  // The cotangents of the corrected values, the decayed queries and keys,
  // and -W.
  Value S = pieces.statesIn, corrected = pieces.corrected;
  Value statesT = convertElements(lb, S, f32, Dims{0, 2, 1});
  Value dCorrected = batchMatmul(lb, keys, D, fromOutputs);
  Value dQueries = batchMatmul(lb, dO, statesT, zerosOf(lb, {M, C, DK}));
  Value dKeys =
      batchMatmul(lb, corrected, convertElements(lb, D, f32, Dims{0, 2, 1}),
                  zerosOf(lb, {M, C, DK}));
  Value dNegW = batchMatmul(lb, dCorrected, statesT, zerosOf(lb, {M, C, DK}));
  // dP^T [M, j, i] = V'_j . dO_i for j <= i, and times Gamma_ij.
  Value dScoresPlainT = causalScoresT(lb, dO, corrected, Value());
  Value dScoresT =
      L ? decayedMasked(lb, dScoresPlainT, L, /*transposed=*/true,
                        [](OpBuilder &eb, Location el) {
                          return indexAtMost(eb, el, 1, 2);
                        })
        : dScoresPlainT;

  // Through the UT transform.
  Value dBetaValues = batchMatmul(lb, pieces.Tinv, dCorrected,
                                  zerosOf(lb, {M, C, DV}),
                                  /*transposeLhs=*/true);
  Value dNegBetaKeys = batchMatmul(lb, pieces.Tinv, dNegW,
                                   zerosOf(lb, {M, C, DK}),
                                   /*transposeLhs=*/true);
  Value dTransformT = batchMatmul(
      lb, dNegBetaKeys, convertElements(lb, pieces.negW, f32, Dims{0, 2, 1}),
      batchMatmul(lb, dBetaValues,
                  convertElements(lb, pieces.U, f32, Dims{0, 2, 1}),
                  zerosOf(lb, {M, C, C})));
  // dA Gamma (strictly lower; dA = -dTransformT there). Loops (m, i, j).
  auto strictlyLower = [](OpBuilder &eb, Location el) -> Value {
    return arith::CmpIOp::create(eb, el, arith::CmpIPredicate::ult,
                                 linalg::IndexOp::create(eb, el, 2),
                                 linalg::IndexOp::create(eb, el, 1));
  };
  Value dAGamma = elementwise(
      lb, {decayedMasked(lb, dTransformT, L, /*transposed=*/false,
                         strictlyLower)},
      {Dims{0, 1, 2}}, {M, C, C}, [](OpBuilder &eb, Location el, ValueRange a) {
        return arith::NegFOp::create(eb, el, a[0]).getResult();
      });
  // The Gram matrix K K^T's cotangent: beta_i dA_ij Gamma_ij.
  Value dGram = elementwise(lb, {dAGamma, pieces.beta},
                            {Dims{0, 1, 2}, Dims{0, 1}}, {M, C, C},
                            [](OpBuilder &eb, Location el, ValueRange a) {
                              return mulF(eb, el, a[0], a[1]);
                            });

  // dQ = exp(L) dQueries + (dP Gamma) K, times the scale.
  StateDecays stateTerms = stateDecays(lb, dQueries, dKeys, L);
  Value dq = batchMatmul(lb, dScoresT, k, stateTerms.queries,
                         /*transposeLhs=*/true);
  // dK: the decayed keys, (dP Gamma)^T Q, both sides of the Gram matrix,
  // and the beta-scaled keys -beta exp(L) k.
  Value dk = batchMatmul(lb, dScoresT, q, stateTerms.keys);
  dk = batchMatmul(lb, dGram, k, dk);
  dk = batchMatmul(lb, dGram, k, dk, /*transposeLhs=*/true);
  SmallVector<Value> keyIns = {dk, dNegBetaKeys, pieces.beta};
  SmallVector<Dims> keyDims = {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 1}};
  if (L) {
    keyIns.push_back(L);
    keyDims.push_back(Dims{0, 1});
  }
  dk = elementwise(lb, keyIns, keyDims, {M, C, DK},
                   [&](OpBuilder &eb, Location el, ValueRange a) {
                     Value scaled = mulF(eb, el, a[1], a[2]);
                     if (L)
                       scaled = mulF(eb, el, scaled, expF(eb, el, a[3]));
                     return arith::SubFOp::create(eb, el, a[0], scaled)
                         .getResult();
                   });
  // dV = beta dBetaValues.
  Value dv = elementwise(lb, {dBetaValues, pieces.beta},
                         {Dims{0, 1, 2}, Dims{0, 1}}, {M, C, DV},
                         [](OpBuilder &eb, Location el, ValueRange a) {
                           return mulF(eb, el, a[0], a[1]);
                         });
  // dbeta_i = sum_j dA_ij Gamma_ij (k_i . k_j) + v_i . dBetaValues_i
  //           - exp(L_i) k_i . dNegBetaKeys_i.
  Value keyDots = sumOfProducts(lb, k, dNegBetaKeys, 2);
  SmallVector<Value> betaIns = {sumOfProducts(lb, dAGamma, pieces.gram, 2),
                                sumOfProducts(lb, pieces.v, dBetaValues, 2),
                                keyDots};
  SmallVector<Dims> betaDims(3, Dims{0, 1});
  if (L) {
    betaIns.push_back(L);
    betaDims.push_back(Dims{0, 1});
  }
  Value dBeta = elementwise(
      lb, betaIns, betaDims, {M, C},
      [&](OpBuilder &eb, Location el, ValueRange a) {
        Value keysTerm = L ? mulF(eb, el, a[2], expF(eb, el, a[3])) : a[2];
        return arith::SubFOp::create(
                   eb, el, arith::AddFOp::create(eb, el, a[0], a[1]), keysTerm)
            .getResult();
      });
  if (adjoints.isActive(op.getBeta()))
    adjoints.accumulate(op.getBeta(),
                        unpackStepChunks(lb, dBeta, layout,
                                         op.getBeta().getType()),
                        loc);

  if (L && adjoints.isActive(op.getGate())) {
    // What each L_i receives. The scores P and A: + their row sums at i,
    // - their column sums at j, of cotangent * value.
    // In f64 from here on: the terms below cancel (each pair's exponent
    // L_i - L_j is counted + at i and - at j, and the reverse sum keeps
    // only the pairs across each step), which f32 loses at long chunks.
    Type f64 = b.getF64Type();
    auto productF64 = [&](OpBuilder &eb, Location el, ValueRange a) -> Value {
      LoopBuilder sb(eb, el);
      return arith::MulFOp::create(eb, el, sb.convert(a[0], f64),
                                   sb.convert(a[1], f64));
    };
    Value scoreProducts =
        elementwise(lb, {scoresT, dScoresPlainT},
                    {Dims{0, 1, 2}, Dims{0, 1, 2}}, {M, C, C}, productF64,
                    f64); // [M, j, i]
    Value transformProducts =
        elementwise(lb, {dGram, pieces.gram}, {Dims{0, 1, 2}, Dims{0, 1, 2}},
                    {M, C, C}, productF64, f64); // [M, i, j]
    // The state leaving each chunk, for exp(L_C): exp(L_C) S + keys^T V'.
    Value decayedStates = elementwise(
        lb, {S, gamma}, {Dims{0, 1, 2}, Dims{0}}, {M, DK, DV},
        [](OpBuilder &eb, Location el, ValueRange a) {
          return mulF(eb, el, a[0], a[1]);
        });
    Value leaving = batchMatmul(lb, keys, corrected, decayedStates,
                                /*transposeLhs=*/true);
    Value leavingTerm =
        lb.generic({leaving, D}, {zerosOf(lb, {M}, f64)},
                   {Dims{0, 1, 2}, Dims{0, 1, 2}}, {Dims{0}}, 3, {1, 2},
                   [&](OpBuilder &eb, Location el, ValueRange a) {
                     linalg::YieldOp::create(
                         eb, el,
                         ValueRange{arith::AddFOp::create(
                             eb, el, a[2], productF64(eb, el, a))});
                   })[0];
    SmallVector<Value> terms = {
        sumOfProducts(lb, queries, dQueries, 2, f64),
        sumOfProducts(lb, scoreProducts, Value(), 1, f64), // as query i
        sumOfProducts(lb, scoreProducts, Value(), 2, f64), // as key j
        sumOfProducts(lb, transformProducts, Value(), 2, f64), // as row i
        sumOfProducts(lb, transformProducts, Value(), 1, f64), // as column j
        sumOfProducts(lb, pieces.negBetaKeys, dNegBetaKeys, 2, f64),
        sumOfProducts(lb, keys, dKeys, 2, f64),
        leavingTerm};
    SmallVector<Dims> termDims(7, Dims{0, 1});
    termDims.push_back(Dims{0});
    Value dL = elementwise(
        lb, terms, termDims, {M, C},
        [&](OpBuilder &eb, Location el, ValueRange a) {
          auto add = [&](Value x, Value y) {
            return arith::AddFOp::create(eb, el, x, y).getResult();
          };
          auto sub = [&](Value x, Value y) {
            return arith::SubFOp::create(eb, el, x, y).getResult();
          };
          Value sum = sub(add(add(a[0], sub(a[1], a[2])), sub(a[3], a[4])),
                          sub(a[6], a[5]));
          Value atEnd = arith::CmpIOp::create(
              eb, el, arith::CmpIPredicate::eq,
              linalg::IndexOp::create(eb, el, 1),
              arith::ConstantIndexOp::create(eb, el, C - 1));
          Value zero = arith::ConstantOp::create(eb, el, eb.getF64FloatAttr(0));
          return add(sum, arith::SelectOp::create(eb, el, atEnd, a[7], zero)
                              .getResult());
        },
        f64);
    adjoints.accumulate(
        op.getGate(),
        unpackStepChunks(lb, inChunkCumsum(lb, dL, /*reverse=*/true), layout,
                         cast<RankedTensorType>(op.getGate().getType())),
        loc);
  }

  double scale = attentionScale(op.getScaleAttr(), op.getK());
  if (scale != 1.0)
    dq = elementwise(lb, {dq}, {Dims{0, 1, 2}}, {M, C, DK},
                     [&](OpBuilder &eb, Location el, ValueRange a) {
                       return mulF(eb, el, a[0],
                                   LoopBuilder(eb, el).scalar(f32, scale));
                     });
  adjoints.accumulate(op.getQ(),
                      unpackChunks(lb, dq, layout, op.getQ().getType()), loc);
  adjoints.accumulate(op.getK(),
                      unpackChunks(lb, dk, layout, op.getK().getType()), loc);
  adjoints.accumulate(op.getV(),
                      unpackChunks(lb, dv, layout, op.getV().getType()), loc);
  return success();
}
