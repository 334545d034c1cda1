//===- ChunkwiseAdjoint.cpp - chunkwise backward of seq.linear_attention --===//
//
// The backward of the chunk form (Chunkwise.cpp) as in the GLA paper and
// fla's chunk kernels. Per chunk of C steps, with Q already scaled, L the
// in-chunk cumulative log gate, S_in / S_out the states entering and
// leaving the chunk, dO the outputs' cotangents and D = dS_out the
// cotangent of the state leaving it:
//
//   dS_in = exp(L_C) D + (Q exp(L))^T dO           (chunks in reverse)
//   dQ_i  = exp(L_i) (S_in dO_i)  + sum_{j<=i} (dO_i . V_j) exp(L_i - L_j) K_j
//   dK_j  = exp(L_C - L_j) (D V_j) + sum_{i>=j} (dO_i . V_j) exp(L_i - L_j) Q_i
//   dV    = (K exp(L_C - L)) D + A^T dO
//   dL_i  = Q_i dQ_i - K_i dK_i + [i = C-1] rowsum(S_out * D)
//   dg    = the reverse in-chunk cumulative sum of dL
//
// (products with exp(L_i - L_j) are per channel for a vector gate). The
// last line is the cumulative-sum trick: every exponent is a difference of
// the L, so the gate's cotangent is what each L receives, summed over the
// steps that make it up. Exactly the pairs the forward forms decay are
// formed, so no exponent is positive (no exp of a cumulative sum alone).
//
// The two sequential parts are seq.linear_scans over the chunks: the
// forward states recomputed from the inputs (nothing but the inputs is kept
// for the backward), and the reverse recurrence of dS; form selection
// picks their forms like any scan's. The rest is batched matmuls over all
// chunks of all heads, and for a vector gate the sub-blocks of
// GateBlocks.h: dQ over earlier sub-blocks takes the keys rescaled to the
// query block's start, dK over later ones the queries rescaled to the key
// block's end, and only the diagonal sub-blocks are per channel.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/LinearAttention/GateBlocks.h"
#include "lib/Families/LinearAttention/LinearAttention.h"

#include "seqc/Differentiation/Adjoint.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// The decays of the chunk-to-chunk state recurrence as a linear scan's
/// [G, N, DK, DV]: exp(L_C) (`gamma`, [M] or [M, DK]) broadcast, or ones.
Value chunkDecays(LoopBuilder &lb, Value gamma, ArrayRef<int64_t> shape) {
  int64_t G = shape[0], N = shape[1], DK = shape[2];
  if (!gamma)
    return ad::onesOf(lb.builder(), lb.location(),
                      tensorOf(lb.builder(), shape));
  bool perChannel = cast<RankedTensorType>(gamma.getType()).getRank() == 2;
  Value perChunk =
      reshape(lb, gamma,
              perChannel ? SmallVector<int64_t>{G, N, DK}
                         : SmallVector<int64_t>{G, N});
  return elementwise(lb, {perChunk},
                     {perChannel ? Dims{0, 1, 2} : Dims{0, 1}}, shape,
                     [](OpBuilder &, Location, ValueRange a) { return a[0]; });
}

/// In a generic body: linalg.index(step) < (linalg.index(block) + offset) * c,
/// whether a step lies before the start of block `block + offset`.
Value stepBeforeBlock(OpBuilder &b, Location loc, unsigned step,
                      unsigned block, int64_t offset, int64_t c) {
  Value start = arith::MulIOp::create(
      b, loc,
      arith::AddIOp::create(b, loc, linalg::IndexOp::create(b, loc, block),
                            arith::ConstantIndexOp::create(b, loc, offset)),
      arith::ConstantIndexOp::create(b, loc, c));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                               linalg::IndexOp::create(b, loc, step), start);
}

Value zeroF32(OpBuilder &b, Location loc) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
}

/// `x * exp(y - z)` over `shape` for f64 y, z read through the given dims.
Value scaledByExpDifference(LoopBuilder &lb, Value x, Value y, Value z,
                            ArrayRef<Dims> dims, ArrayRef<int64_t> shape) {
  return elementwise(lb, {x, y, z}, dims, shape,
                     [](OpBuilder &b, Location l, ValueRange a) {
                       return mulF(b, l, a[0], expOfDifference(b, l, a[1], a[2]));
                     });
}

/// The intra-chunk terms for a vector gate, added to dq, dk, dv ([M, C, d]).
/// `DmT` [M, C (j), C (i)] is v_j . dO_i for j <= i, else 0.
void addVectorGateIntraChunk(LoopBuilder &lb, Value q, Value k, Value dO,
                             Value DmT, Value L, Value &dq, Value &dk,
                             Value &dv) {
  OpBuilder &b = lb.builder();
  Location loc = lb.location();
  Type f32 = b.getF32Type();
  families::GateBlocks blocks = families::gateBlocks(lb, L);
  int64_t M = blocks.M, C = blocks.C, DK = blocks.DK, n = blocks.count,
          c = blocks.c;
  int64_t DV = cast<RankedTensorType>(dO.getType()).getDimSize(2);

  // dV += A^T dO, A as the forward forms it.
  if (Value offDiagonalT = families::offDiagonalScoresT(lb, blocks, q, k, f32))
    dv = batchMatmul(lb, offDiagonalT, dO, dv);
  Value diagonalT = families::diagonalScoresT(lb, blocks, q, k);
  dv = reshape(lb,
               batchMatmul(lb, reshape(lb, diagonalT, {M * n, c, c}),
                           reshape(lb, dO, {M * n, c, DV}),
                           reshape(lb, dv, {M * n, c, DV})),
               {M, C, DV});

  if (n > 1) {
    // dQ over the key blocks before each query block r: the keys of steps
    // j before r's start rescaled to it, exp(P_r - L_j). Loops (m, r, j, d).
    Value keysBefore = elementwise(
        lb, {k, blocks.P, L}, {Dims{0, 2, 3}, Dims{0, 1, 3}, Dims{0, 2, 3}},
        {M, n, C, DK}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value scaled = mulF(nb, l, a[0], expOfDifference(nb, l, a[1], a[2]));
          return arith::SelectOp::create(nb, l,
                                         stepBeforeBlock(nb, l, 2, 1, 0, c),
                                         scaled, zeroF32(nb, l))
              .getResult();
        });
    // The rows of query block r of Dm (= DmT^T): [M, r, C (j), c (i)].
    Value rowsT = convertElements(lb, reshape(lb, DmT, {M, C, n, c}), f32,
                                  Dims{0, 2, 1, 3});
    Value perQueryBlock = batchMatmul(lb, reshape(lb, rowsT, {M * n, C, c}),
                                      reshape(lb, keysBefore, {M * n, C, DK}),
                                      zerosOf(lb, {M * n, c, DK}),
                                      /*transposeLhs=*/true);
    Value dqBefore = scaledByExpDifference(
        lb, reshape(lb, perQueryBlock, {M, n, c, DK}), blocks.L, blocks.P,
        {Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}, Dims{0, 1, 3}}, {M, n, c, DK});
    dq = ad::addTensors(b, loc, dq, reshape(lb, dqBefore, {M, C, DK}));

    // dK over the query blocks after each key block s: the queries of
    // steps i after s's end rescaled to it, exp(L_i - R_s). Loops
    // (m, s, i, d).
    Value queriesAfter = elementwise(
        lb, {q, L, blocks.R}, {Dims{0, 2, 3}, Dims{0, 2, 3}, Dims{0, 1, 3}},
        {M, n, C, DK}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value scaled = mulF(nb, l, a[0], expOfDifference(nb, l, a[1], a[2]));
          return arith::SelectOp::create(nb, l,
                                         stepBeforeBlock(nb, l, 2, 1, 1, c),
                                         zeroF32(nb, l), scaled)
              .getResult();
        });
    Value perKeyBlock = batchMatmul(lb, reshape(lb, DmT, {M * n, c, C}),
                                    reshape(lb, queriesAfter, {M * n, C, DK}),
                                    zerosOf(lb, {M * n, c, DK}));
    Value dkAfter = scaledByExpDifference(
        lb, reshape(lb, perKeyBlock, {M, n, c, DK}), blocks.R, blocks.L,
        {Dims{0, 1, 2, 3}, Dims{0, 1, 3}, Dims{0, 1, 2, 3}}, {M, n, c, DK});
    dk = ad::addTensors(b, loc, dk, reshape(lb, dkAfter, {M, C, DK}));
  }

  // The diagonal blocks, exponent by exponent: DmT viewed as
  // [M, n, c (j), n, c (i)] and read at its block diagonal.
  Value diagonal = reshape(lb, DmT, {M, n, c, n, c});
  auto perChannelSum = [&](Value other, ArrayRef<Dims> dims, unsigned later,
                           unsigned earlier) {
    return lb.generic(
        {diagonal, other, blocks.L, blocks.L}, {zerosOf(lb, {M, n, c, DK})},
        dims, {Dims{0, 1, 2, 4}}, 5, {3},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value term = mulF(nb, l, mulF(nb, l, a[0], a[1]),
                            expOfDifference(nb, l, a[2], a[3]));
          Value sum = arith::AddFOp::create(nb, l, a[4], term);
          linalg::YieldOp::create(
              nb, l,
              ValueRange{arith::SelectOp::create(
                  nb, l, indexAtMost(nb, l, earlier, later), sum, a[4])});
        })[0];
  };
  // dQ: loops (m, b, i, j, d), the sum over j <= i of Dm_ij k_j
  // exp(L_i - L_j).
  Value dqDiagonal = perChannelSum(
      reshape(lb, k, {M, n, c, DK}),
      {Dims{0, 1, 3, 1, 2}, Dims{0, 1, 3, 4}, Dims{0, 1, 2, 4},
       Dims{0, 1, 3, 4}},
      /*later=*/2, /*earlier=*/3);
  dq = ad::addTensors(b, loc, dq, reshape(lb, dqDiagonal, {M, C, DK}));
  // dK: loops (m, b, j, i, d), the sum over i >= j of Dm_ij q_i
  // exp(L_i - L_j).
  Value dkDiagonal = perChannelSum(
      reshape(lb, q, {M, n, c, DK}),
      {Dims{0, 1, 2, 1, 3}, Dims{0, 1, 3, 4}, Dims{0, 1, 3, 4},
       Dims{0, 1, 2, 4}},
      /*later=*/3, /*earlier=*/2);
  dk = ad::addTensors(b, loc, dk, reshape(lb, dkDiagonal, {M, C, DK}));
}

} // namespace

LogicalResult families::buildLinearAttentionChunkwiseAdjoint(
    LinearAttentionOp op, int64_t chunk, ad::AdjointBuilder &adjoints) {
  Value outputCotangent = adjoints.cotangent(op.getOutput());
  Value finalCotangent = adjoints.cotangent(op.getFinalState());
  if (!outputCotangent && !finalCotangent)
    return success();
  OpBuilder &b = adjoints.builder();
  Location loc = op.getLoc();
  LoopBuilder lb(b, loc);
  RankedTensorType qType = op.getQ().getType(), kType = op.getK().getType(),
                   vType = op.getV().getType();
  int64_t B = qType.getDimSize(0), T = qType.getDimSize(1),
          H = qType.getDimSize(2), DK = qType.getDimSize(3),
          DV = vType.getDimSize(3);
  ChunkLayout layout(B, T, H, chunk);
  int64_t M = layout.chunks(), G = layout.heads(), N = layout.N, C = chunk;
  double scale = attentionScale(op.getScaleAttr(), op.getK());
  GateKind gateKind = op.getGate() ? op.getGateKind() : GateKind::none;
  Type f32 = b.getF32Type();

  Value q = packChunks(lb, op.getQ(), layout, scale);
  Value k = packChunks(lb, op.getK(), layout);
  Value v = packChunks(lb, op.getV(), layout);
  Value dO = outputCotangent ? packChunks(lb, outputCotangent, layout)
                             : zerosOf(lb, {M, C, DV});
  Value L = gateKind == GateKind::none
                ? Value()
                : inChunkCumsum(lb, packChunks(lb, op.getGate(), layout));
  StateDecays decays = stateDecays(lb, q, k, L);

  // The forward's chunk states, recomputed: S_out = exp(L_C) S_in + U.
  SmallVector<int64_t> perChunkShape = {G, N, DK, DV};
  RankedTensorType statesType = tensorOf(b, perChunkShape),
                   stateType = tensorOf(b, {G, DK, DV});
  Value chunkDecay = chunkDecays(lb, decays.gamma, perChunkShape);
  Value U = batchMatmul(lb, decays.keys, v, zerosOf(lb, {M, DK, DV}),
                        /*transposeLhs=*/true);
  Value init =
      op.getInit() ? packState(lb, op.getInit(), layout, DK, DV) : Value();
  auto states = LinearScanOp::create(b, loc, statesType, stateType, chunkDecay,
                                     reshape(lb, U, perChunkShape), init,
                                     FormAttr());
  Value entering = reshape(
      lb, ad::statesBeforeEachStep(b, loc, init, states.getH()), {M, DK, DV});
  Value leaving = reshape(lb, states.getH(), {M, DK, DV});

  // dS in reverse over the chunks: dS_in(n) = exp(L_C) dS_out(n) +
  // (Q exp(L))^T dO, dS_out(n) = dS_in(n + 1), dS_out(N - 1) the final
  // state's cotangent.
  Value fromQueries = batchMatmul(lb, decays.queries, dO,
                                  zerosOf(lb, {M, DK, DV}),
                                  /*transposeLhs=*/true);
  Value finalState =
      finalCotangent ? packState(lb, finalCotangent, layout, DK, DV) : Value();
  auto reverse = LinearScanOp::create(
      b, loc, statesType, stateType, ad::reverseTime(b, loc, chunkDecay),
      ad::reverseTime(b, loc, reshape(lb, fromQueries, perChunkShape)),
      finalState, FormAttr());
  Value D = reshape(lb,
                    ad::reverseTime(b, loc,
                                    ad::statesBeforeEachStep(b, loc, finalState,
                                                             reverse.getH())),
                    {M, DK, DV});
  if (Value initial = op.getInit())
    adjoints.accumulate(
        initial,
        unpackState(lb, reverse.getFinalState(),
                    cast<RankedTensorType>(initial.getType())),
        loc);

  // The state terms: dQ from S_in, dK and dV from D.
  StateDecays stateTerms = stateDecays(
      lb,
      batchMatmul(lb, dO, convertElements(lb, entering, f32, Dims{0, 2, 1}),
                  zerosOf(lb, {M, C, DK})),
      batchMatmul(lb, v, convertElements(lb, D, f32, Dims{0, 2, 1}),
                  zerosOf(lb, {M, C, DK})),
      L);
  Value dq = stateTerms.queries, dk = stateTerms.keys;
  Value dv = batchMatmul(lb, decays.keys, D, zerosOf(lb, {M, C, DV}));

  // The intra-chunk terms.
  if (gateKind != GateKind::vector) {
    Value scoresT = causalScoresT(lb, q, k, L);
    Value decayedT = causalScoresT(lb, dO, v, L);
    dq = batchMatmul(lb, decayedT, k, dq, /*transposeLhs=*/true);
    dk = batchMatmul(lb, decayedT, q, dk);
    dv = batchMatmul(lb, scoresT, dO, dv);
  } else {
    addVectorGateIntraChunk(lb, q, k, dO, causalScoresT(lb, dO, v, Value()), L,
                            dq, dk, dv);
  }

  // The gate's cotangent by the cumulative-sum trick.
  if (L && adjoints.isActive(op.getGate())) {
    // sum_e S_out[d, e] D[d, e]. Loops (m, d, e).
    Value leavingTerm =
        lb.generic({leaving, D}, {zerosOf(lb, {M, DK})},
                   {Dims{0, 1, 2}, Dims{0, 1, 2}}, {Dims{0, 1}}, 3, {2},
                   [](OpBuilder &nb, Location l, ValueRange a) {
                     linalg::YieldOp::create(
                         nb, l,
                         ValueRange{arith::AddFOp::create(
                             nb, l, a[2], mulF(nb, l, a[0], a[1]))});
                   })[0];
    // Loops (m, i, d).
    Value dL = elementwise(
        lb, {q, dq, k, dk, leavingTerm},
        {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 1, 2},
         Dims{0, 2}},
        {M, C, DK}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value local = arith::SubFOp::create(nb, l, mulF(nb, l, a[0], a[1]),
                                              mulF(nb, l, a[2], a[3]));
          Value last = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::eq, linalg::IndexOp::create(nb, l, 1),
              arith::ConstantIndexOp::create(nb, l, C - 1));
          return arith::AddFOp::create(
                     nb, l, local,
                     arith::SelectOp::create(nb, l, last, a[4], zeroF32(nb, l)))
              .getResult();
        });
    auto gateType = cast<RankedTensorType>(op.getGate().getType());
    Value gateCotangent;
    if (gateKind == GateKind::vector) {
      gateCotangent = unpackChunks(lb, inChunkCumsum(lb, dL, /*reverse=*/true),
                                   layout, gateType);
    } else {
      Value perStep =
          lb.generic({dL}, {zerosOf(lb, {M, C})}, {Dims{0, 1, 2}},
                     {Dims{0, 1}}, 3, {2},
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       linalg::YieldOp::create(
                           nb, l,
                           ValueRange{arith::AddFOp::create(nb, l, a[1], a[0])});
                     })[0];
      gateCotangent = unpackStepChunks(
          lb, inChunkCumsum(lb, perStep, /*reverse=*/true), layout, gateType);
    }
    adjoints.accumulate(op.getGate(), gateCotangent, loc);
  }

  if (scale != 1.0)
    dq = elementwise(lb, {dq}, {Dims{0, 1, 2}}, {M, C, DK},
                     [&](OpBuilder &nb, Location l, ValueRange a) {
                       return mulF(nb, l, a[0],
                                   LoopBuilder(nb, l).scalar(f32, scale));
                     });
  adjoints.accumulate(op.getQ(), unpackChunks(lb, dq, layout, qType), loc);
  adjoints.accumulate(op.getK(), unpackChunks(lb, dk, layout, kType), loc);
  adjoints.accumulate(op.getV(), unpackChunks(lb, dv, layout, vType), loc);
  return success();
}
