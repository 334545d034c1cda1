//===- Chunkwise.cpp - chunkwise (WY/UT) form of seq.delta_rule -----------===//
//
// S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T, in
// chunks of C steps (T zero-padded: k = v = 0, beta = 0, log gate 0 leave
// the state unchanged). With L the in-chunk cumulative log gate (0 without
// a gate) and Gamma_ij = exp(L_i - L_j), the UT transform of a chunk is
//
//   Tinv = (I + tril(diag(beta) K K^T * Gamma, -1))^{-1}
//   W    = Tinv (diag(beta) K * exp(L)),   U = Tinv diag(beta) V
//
// and, from the state S entering the chunk,
//
//   V'  = U - W S                                   (the corrected values)
//   O   = (Q * exp(L)) S + (Q K^T * Gamma * causal) V'
//   S  <- exp(L_C) S + (K * exp(L_C - L))^T V'
//
// (Yang et al., "Parallelizing Linear Transformers with the Delta Rule
// over Sequence Length"; the gated form of Gated DeltaNet). Everything but
// V' and S is computed for every chunk of every head at once: Tinv by
// forward substitution (C row steps, each over all chunks), W, U and the
// scores as batched matmuls. The chunk loop carries S with two batched
// matmuls per chunk over the heads, and records V' and S per chunk so that
// O is two more batched matmuls over all chunks. Exponents are differences
// L_i - L_j with j <= i, or L itself inside a chunk: all <= 0. beta in
// [0, 2] (negative eigenvalues) needs nothing different: the transform is
// unit lower triangular whatever beta.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/DeltaRule/DeltaRule.h"
#include "lib/Families/DeltaRule/UTTransform.h"
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

struct LowerDeltaRuleChunkwise : OpRewritePattern<DeltaRuleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DeltaRuleOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::chunkwise ||
        !formLoweringBlocker(op).empty())
      return failure();
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    // Matmul operands in the output's 16-bit type, if it has one, where
    // rounding them is harmless: K K^T (exact, the keys are in it already),
    // the scores Q K^T, and the state's read-out Q S. The UT transform's
    // products, those with the corrected values V' (which cancel:
    // V' = U - W S) and -W S itself (it feeds the next chunk's state: a
    // rounded S compounds from chunk to chunk) stay f32: with bf16
    // operands they put 4-9% errors into bf16 outputs at beta near 1 or 2
    // (forms_agree seeds 7005, 91046; -W S: 2120, 2324, eigenvalues near
    // -1 over 1000 steps).
    Type operands =
        matmulOperandType(op.getOutput().getType().getElementType());
    families::DeltaRuleChunks chunks = families::computeDeltaRuleChunks(
        lb, op, form.getChunkSize().value_or(64), operands);
    int64_t M = chunks.layout.chunks(), C = chunks.layout.C;

    Value O = batchMatmul(lb, chunks.decays.queries, chunks.statesIn,
                          zerosOf(lb, {M, C, chunks.DV}), false, operands);
    O = batchMatmul(lb,
                    causalScoresT(lb, chunks.q, chunks.k, chunks.L, operands),
                    chunks.corrected, O, /*transposeLhs=*/true);
    rewriter.replaceOp(
        op, {unpackChunks(lb, O, chunks.layout, op.getOutput().getType()),
             unpackState(lb, chunks.finalState,
                         op.getFinalState().getType())});
    return success();
  }
};

} // namespace

void seqc::families::populateDeltaRuleChunkwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerDeltaRuleChunkwise>(patterns.getContext());
}
