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
// channel d. Sub-blocks make most of it one (GateBlocks.h); scalar gates
// and no gate need none: A = (Q K^T) * exp(L_i - L_j), masked.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/LinearAttention/GateBlocks.h"
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
      O = addVectorGateIntraChunk(lb, q, k, v, L, O, DV);

    rewriter.replaceOp(
        op, {unpackChunks(lb, O, layout, op.getOutput().getType()),
             unpackState(lb, loop.getResult(0), op.getFinalState().getType())});
    return success();
  }

  /// O += A V for a vector gate, by sub-blocks (GateBlocks.h); `v` is in
  /// the matmul operand type.
  static Value addVectorGateIntraChunk(LoopBuilder &lb, Value q, Value k,
                                       Value v, Value L, Value O,
                                       int64_t DV) {
    Type operands = cast<RankedTensorType>(v.getType()).getElementType();
    families::GateBlocks blocks = families::gateBlocks(lb, L);
    if (Value offDiagonalT =
            families::offDiagonalScoresT(lb, blocks, q, k, operands))
      O = batchMatmul(lb, offDiagonalT, v, O, /*transposeLhs=*/true, operands);
    int64_t M = blocks.M, n = blocks.count, c = blocks.c;
    Value diagonalT = families::diagonalScoresT(lb, blocks, q, k);
    Value Ob = batchMatmul(lb, reshape(lb, diagonalT, {M * n, c, c}),
                           reshape(lb, v, {M * n, c, DV}),
                           reshape(lb, O, {M * n, c, DV}),
                           /*transposeLhs=*/true, operands);
    return reshape(lb, Ob, {M, blocks.C, DV});
  }
};

} // namespace

void seqc::families::populateLinearAttentionChunkwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearAttentionChunkwise>(patterns.getContext());
}
