//===- Chunkwise.cpp - chunkwise form of seq.linear_attention -------------===//
//
// Chunks of C steps (the form's chunk_size, default 64; the parallel form is
// one chunk of all T steps). T is zero-padded to a multiple of C; padded
// steps leave the state unchanged (k = v = 0, log gate 0). Per chunk, with L
// the inclusive cumulative sum of the log gate inside the chunk (g <= 0, so
// L falls from 0):
//
//   A[i, j] = sum_d q_id k_jd exp(L_id - L_jd)                   (j <= i)
//   O       = (Q exp(L)) S_in + A V
//   S_out   = exp(L_C) S_in + (K exp(L_C - L))^T V
//
// Every chunk of every head is computed at once as batched matmuls
// (linalg.batch_matmul over B*H*N chunks): U = (K exp(L_C - L))^T V, then
// the only sequential part, S_in of each chunk (S <- exp(L_C) S + U, one
// elementwise update per chunk), then O = (Q exp(L)) S_in + A V.
//
// A for a vector gate is not a matmul as written: the decay depends on the
// channel d. Sub-blocks of c steps (c divides C) make it one: for key block
// s before query block r, with R_s the L at the end of block s and
// P_r = R_{r-1} the L at the start of block r,
//
//   exp(L_i - L_j) = exp(L_i - P_r) * exp(P_r - R_s) * exp(R_s - L_j),
//
// three factors with exponents <= 0 (fla's secondary chunking), so the
// off-diagonal blocks are one batched matmul of rescaled K and Q. Only the
// c x c diagonal blocks take exp(L_i - L_j) per channel. No exponent is
// ever positive: nothing overflows, whatever the gates (never exp of a
// cumulative sum alone, fla issue 77). Scalar gates and no gate need no
// sub-blocks: A = (Q K^T) * exp(L_i - L_j), masked.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/LinearAttention/LinearAttention.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// The sub-block length for a vector gate: a divisor of C near
/// max(16, sqrt(C)). The off-diagonal work and memory grow as C^2/c, the
/// diagonal blocks' per-channel exponentials as C c.
int64_t subBlockSize(int64_t C) {
  double target = std::max(16.0, std::sqrt(double(C)));
  int64_t best = 1;
  for (int64_t c = 1; c <= C; ++c)
    if (C % c == 0 &&
        std::abs(std::log(c / target)) <= std::abs(std::log(best / target)))
      best = c;
  return best;
}

struct LowerLinearAttentionChunkwise : OpRewritePattern<LinearAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearAttentionOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form ||
        (form.getKind() != FormKind::chunkwise &&
         form.getKind() != FormKind::parallel) ||
        !formLoweringBlocker(op).empty())
      return failure();
    auto qType = op.getQ().getType(), vType = op.getV().getType();
    int64_t T = qType.getDimSize(1), DK = qType.getDimSize(3),
            DV = vType.getDimSize(3);
    int64_t C = form.getKind() == FormKind::parallel
                    ? T
                    : form.getChunkSize().value_or(64);
    ChunkLayout layout(qType.getDimSize(0), T, qType.getDimSize(2), C);
    int64_t M = layout.chunks();
    double scale = op.getScaleAttr() ? op.getScaleAttr().getValueAsDouble()
                                     : 1.0 / std::sqrt(double(DK));
    GateKind gateKind = op.getGate() ? op.getGateKind() : GateKind::none;
    bool vectorGate = gateKind == GateKind::vector;
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);

    Value q = packChunks(lb, op.getQ(), layout, scale);
    Value k = packChunks(lb, op.getK(), layout);
    // Matmul operands in the op's 16-bit type, if it has one; v (read by
    // two matmuls) is converted once.
    Type operands =
        matmulOperandType(op.getOutput().getType().getElementType());
    Value v = convertElements(lb, packChunks(lb, op.getV(), layout), operands);
    // L [M, C, DK] (vector gate) or [M, C] (scalar), f64; its maps drop
    // the channel for a scalar gate.
    Value L = gateKind == GateKind::none
                  ? Value()
                  : inChunkCumsum(lb, packChunks(lb, op.getGate(), layout));
    // Decayed queries and keys for the state terms; gamma = exp(L_C).
    auto [queries, keys, gamma] = stateDecays(lb, q, k, L);
    // Each chunk's own contribution to the state, U = keys^T V.
    Value U = batchMatmul(lb, keys, v, zerosOf(lb, {M, DK, DV}),
                          /*transposeLhs=*/true, operands);

    // The state entering every chunk: the one sequential loop.
    int64_t G = layout.heads(), N = layout.N;
    Value perChunkU = reshape(lb, U, {G, N, DK, DV});
    Value perChunkGamma;
    if (gamma)
      perChunkGamma = reshape(lb, gamma,
                              vectorGate ? SmallVector<int64_t>{G, N, DK}
                                         : SmallVector<int64_t>{G, N});
    Value initial = packState(lb, op.getInit(), layout, DK, DV);
    Value entering = emptyOf(lb, {G, N, DK, DV});
    auto loop = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(N), lb.index(1),
        ValueRange{initial, entering},
        [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value S = iter[0];
          Value written = ib.insertSlice(S, iter[1], 1, n);
          Value Un = ib.extractSlice(perChunkU, 1, n);
          SmallVector<Value> ins = {S};
          SmallVector<Dims> inDims = {Dims{0, 1, 2}};
          if (perChunkGamma) {
            ins.push_back(ib.extractSlice(perChunkGamma, 1, n));
            inDims.push_back(vectorGate ? Dims{0, 1} : Dims{0});
          }
          ins.push_back(Un);
          inDims.push_back(Dims{0, 1, 2});
          Value next = elementwise(
              ib, ins, inDims, {G, DK, DV},
              [&](OpBuilder &b, Location bl, ValueRange a) {
                Value kept = perChunkGamma ? mulF(b, bl, a[0], a[1]) : a[0];
                return arith::AddFOp::create(b, bl, kept, a[ins.size() - 1])
                    .getResult();
              });
          scf::YieldOp::create(nb, l, ValueRange{next, written});
        });
    Value statesIn = reshape(lb, loop.getResult(1), {M, DK, DV});

    // O = (Q exp(L)) S_in, then the intra-chunk terms accumulate into it.
    Value O = batchMatmul(lb, queries, statesIn, zerosOf(lb, {M, C, DV}), false,
                          operands);
    if (!vectorGate)
      O = batchMatmul(lb, causalScoresT(lb, q, k, L, operands), v, O,
                      /*transposeLhs=*/true, operands);
    else
      O = addVectorGateIntraChunk(lb, q, k, v, L, O, layout, DK, DV);

    rewriter.replaceOp(
        op, {unpackChunks(lb, O, layout, op.getOutput().getType()),
             unpackState(lb, loop.getResult(0), op.getFinalState().getType())});
    return success();
  }

  /// O += A V for a vector gate, by sub-blocks (see the file comment); `v`
  /// is in the matmul operand type.
  static Value addVectorGateIntraChunk(LoopBuilder &lb, Value q, Value k,
                                       Value v, Value L, Value O,
                                       const ChunkLayout &layout, int64_t DK,
                                       int64_t DV) {
    OpBuilder &rewriter = lb.builder();
    Type operands = cast<RankedTensorType>(v.getType()).getElementType();
    int64_t M = layout.chunks(), C = layout.C;
    int64_t c = subBlockSize(C), blocks = C / c;
    Type f64 = rewriter.getF64Type();
    Value Lb = reshape(lb, L, {M, blocks, c, DK});
    Value qb = reshape(lb, q, {M, blocks, c, DK});
    Value kb = reshape(lb, k, {M, blocks, c, DK});
    Value vb = reshape(lb, v, {M * blocks, c, DV});
    if (blocks > 1) {
      // R: L at the end of each block; P: at its start (the end of the one
      // before, 0 for the first).
      Value R = lb.extractSlice(Lb, 2, lb.index(c - 1)); // [M, blocks, DK]
      Value P =
          staticInsert(lb, staticSlice(lb, R, {0, 0, 0}, {M, blocks - 1, DK}),
                       zerosOf(lb, {M, blocks, DK}, f64), {0, 1, 0});
      // Loops (m, r, i, d).
      Value qScaled = elementwise(
          lb, {qb, Lb, P}, {Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}, Dims{0, 1, 3}},
          {M, blocks, c, DK}, [&](OpBuilder &b, Location l, ValueRange a) {
            return mulF(b, l, a[0], expOfDifference(b, l, a[1], a[2]));
          });
      Value kScaled = elementwise(
          lb, {kb, R, Lb}, {Dims{0, 1, 2, 3}, Dims{0, 1, 3}, Dims{0, 1, 2, 3}},
          {M, blocks, c, DK}, [&](OpBuilder &b, Location l, ValueRange a) {
            return mulF(b, l, a[0], expOfDifference(b, l, a[1], a[2]));
          });
      // between[m, r, s, d] = exp(P_r - R_s) for key blocks s before query
      // block r, else 0. Loops (m, r, s, d).
      Value between = elementwise(
          lb, {P, R}, {Dims{0, 1, 3}, Dims{0, 2, 3}}, {M, blocks, blocks, DK},
          [&](OpBuilder &b, Location l, ValueRange a) {
            Value before =
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                      linalg::IndexOp::create(b, l, 2),
                                      linalg::IndexOp::create(b, l, 1));
            Value zero = arith::ConstantOp::create(b, l, b.getF32FloatAttr(0));
            return arith::SelectOp::create(
                       b, l, before, expOfDifference(b, l, a[0], a[1]), zero)
                .getResult();
          });
      // Per key block s, the queries of all later blocks rescaled to its
      // end, transposed: [M, s, DK, r, i]. Loops (m, s, d, r, i).
      Value queriesT = elementwise(lb, {qScaled, between},
                                   {Dims{0, 3, 4, 2}, Dims{0, 3, 1, 2}},
                                   {M, blocks, DK, blocks, c},
                                   [&](OpBuilder &b, Location l, ValueRange a) {
                                     return mulF(b, l, a[0], a[1]);
                                   });
      // A^T over key block s (rows j) and all queries (columns i).
      Value offDiagonalT =
          batchMatmul(lb, reshape(lb, kScaled, {M * blocks, c, DK}),
                      reshape(lb, queriesT, {M * blocks, DK, C}),
                      zerosOf(lb, {M * blocks, c, C}), false, operands);
      O = batchMatmul(lb, reshape(lb, offDiagonalT, {M, C, C}), v, O,
                      /*transposeLhs=*/true, operands);
    }

    // The diagonal blocks, A^T[j, i] for j <= i in one block, exponent by
    // exponent. Queries and L transposed per block so that i is the
    // contiguous innermost loop: (m, s, j, d, i), reduction over d.
    Dims transposed = {0, 1, 3, 2};
    Value qT = convertElements(lb, qb, rewriter.getF32Type(), transposed);
    Value LT = convertElements(lb, Lb, f64, transposed);
    Value diagonalT =
        lb.generic({kb, qT, Lb, LT}, {zerosOf(lb, {M, blocks, c, c})},
                   {Dims{0, 1, 2, 3}, Dims{0, 1, 3, 4}, Dims{0, 1, 2, 3},
                    Dims{0, 1, 3, 4}},
                   {Dims{0, 1, 2, 4}}, 5, {3},
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     Value term = mulF(b, l, mulF(b, l, a[0], a[1]),
                                       expOfDifference(b, l, a[3], a[2]));
                     Value sum = arith::AddFOp::create(b, l, a[4], term);
                     linalg::YieldOp::create(
                         b, l,
                         ValueRange{arith::SelectOp::create(
                             b, l, indexAtMost(b, l, 2, 4), sum, a[4])});
                   })[0];
    Value Ob = batchMatmul(lb, reshape(lb, diagonalT, {M * blocks, c, c}), vb,
                           reshape(lb, O, {M * blocks, c, DV}),
                           /*transposeLhs=*/true, operands);
    return reshape(lb, Ob, {M, C, DV});
  }
};

} // namespace

void seqc::families::populateLinearAttentionChunkwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearAttentionChunkwise>(patterns.getContext());
}
