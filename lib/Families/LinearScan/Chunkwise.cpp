//===- Chunkwise.cpp - chunkwise form of seq.linear_scan ------------------===//
//
// Chunks of C steps (the form's chunk_size, default 64; T padded with the
// identity a = 1, b = 0). Inside a chunk every step is computed at once
// from the chunk's inputs, not from the step before:
//
//   h_i = sum_{j <= i} D[i, j] b_j + D[i, -1] h_in,   D[i, j] = prod_{j<k<=i}
//   a_k
//
// (the decay matrix of a diagonal SSM's chunked form, one per channel),
// then the carry h_in from chunk to chunk is the only sequential part.
//
// The products are taken in log space, sign-safely: with S the in-chunk
// cumulative sum of log|a| (f64) and s the in-chunk running sign of a,
// D[i, j] = s_i s_j exp(S_i - S_j), the sign being the parity of the
// negative a in (j, i]. A zero a contributes log|a| = -1e4 instead of -inf:
// exp of a difference that spans it is 0, and a difference that does not
// span it cancels exactly, where -inf - -inf would be NaN.
//
// The work is O(C) per step and channel instead of O(1): what it buys is
// no dependence between the steps of a chunk (every (step, channel) of
// every chunk is one GPU thread), for few channels and long sequences.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/ChunkSupport.h"
#include "lib/Families/LinearScan/LinearScan.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// log|a| of a zero: exp(-1e4) is 0 in f32 and f64, and differences of
/// sums that both contain it cancel exactly.
constexpr double kLogOfZero = -1e4;

struct LowerLinearScanChunkwise : OpRewritePattern<LinearScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form || form.getKind() != FormKind::chunkwise ||
        !formLoweringBlocker(op).empty())
      return failure();
    RankedTensorType aType = op.getA().getType();
    RankedTensorType hType = op.getH().getType();
    Type element = hType.getElementType();
    // The op's real element types are f32, f16 and bf16: f32 arithmetic.
    Type compute = rewriter.getF32Type();
    Type f64 = rewriter.getF64Type();
    int64_t B = aType.getDimSize(0), T = aType.getDimSize(1);
    int64_t R = 1;
    for (int64_t d = 2; d < aType.getRank(); ++d)
      R *= aType.getDimSize(d);
    int64_t C = form.getChunkSize().value_or(64);
    int64_t N = (T + C - 1) / C, M = B * N;
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);

    // a and b as [M, C, R] in the compute type, padded with (1, 0).
    auto pack = [&](Value v, double identity) {
      Value converted = convertElements(lb, reshape(lb, v, {B, T, R}), compute);
      if (N * C != T)
        converted =
            staticInsert(lb, converted,
                         lb.filled(tensorOf(rewriter, {B, N * C, R}, compute),
                                   getAsIndexOpFoldResult(rewriter.getContext(),
                                                          {B, N * C, R}),
                                   rewriter.getFloatAttr(compute, identity)),
                         {0, 0, 0});
      return reshape(lb, converted, {M, C, R});
    };
    Value a = pack(op.getA(), 1.0), b = pack(op.getB(), 0.0);

    // S (f64) and the running sign s, C steps over every chunk at once.
    auto scan = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(C), lb.index(1),
        ValueRange{
            zerosOf(lb, {M, R}, f64),
            lb.filled(tensorOf(rewriter, {M, R}, compute),
                      getAsIndexOpFoldResult(rewriter.getContext(), {M, R}),
                      rewriter.getFloatAttr(compute, 1.0)),
            emptyOf(lb, {M, C, R}, f64), emptyOf(lb, {M, C, R}, compute)},
        [&](OpBuilder &nb, Location l, Value i, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value ai = ib.extractSlice(a, 1, i);
          Value logSum = elementwise(
              ib, {ai, iter[0]}, {Dims{0, 1}, Dims{0, 1}}, {M, R},
              [&](OpBuilder &eb, Location el, ValueRange x) {
                Value wide = LoopBuilder(eb, el).convert(x[0], f64);
                Value magnitude = math::AbsFOp::create(eb, el, wide);
                Value zero =
                    arith::ConstantOp::create(eb, el, eb.getF64FloatAttr(0));
                Value isZero = arith::CmpFOp::create(
                    eb, el, arith::CmpFPredicate::OEQ, magnitude, zero);
                Value log = math::LogOp::create(eb, el, magnitude);
                Value safe = arith::SelectOp::create(
                    eb, el, isZero,
                    arith::ConstantOp::create(eb, el,
                                              eb.getF64FloatAttr(kLogOfZero)),
                    log);
                return arith::AddFOp::create(eb, el, x[1], safe).getResult();
              },
              f64);
          Value sign = elementwise(
              ib, {ai, iter[1]}, {Dims{0, 1}, Dims{0, 1}}, {M, R},
              [&](OpBuilder &eb, Location el, ValueRange x) {
                Value zero = arith::ConstantOp::create(
                    eb, el, eb.getFloatAttr(compute, 0));
                Value negative = arith::CmpFOp::create(
                    eb, el, arith::CmpFPredicate::OLT, x[0], zero);
                Value flipped = arith::NegFOp::create(eb, el, x[1]);
                return arith::SelectOp::create(eb, el, negative, flipped, x[1])
                    .getResult();
              },
              compute);
          scf::YieldOp::create(nb, l,
                               ValueRange{logSum, sign,
                                          ib.insertSlice(logSum, iter[2], 1, i),
                                          ib.insertSlice(sign, iter[3], 1, i)});
        });
    Value S = scan.getResult(2), s = scan.getResult(3);

    // The chunk-local scans from zero: loops (m, i, r, j), the reduction
    // over the chunk's steps innermost, every (chunk, step, channel)
    // independent.
    Value local = lb.generic(
        {S, s, b, S, s}, {zerosOf(lb, {M, C, R}, compute)},
        {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 3, 2}, Dims{0, 3, 2},
         Dims{0, 3, 2}},
        {Dims{0, 1, 2}}, 4, {3}, [&](OpBuilder &nb, Location l, ValueRange x) {
          Value decay = expOfDifference(nb, l, x[0], x[3]);
          Value signs = arith::MulFOp::create(nb, l, x[1], x[4]);
          Value term = arith::MulFOp::create(
              nb, l, arith::MulFOp::create(nb, l, signs, decay), x[2]);
          Value sum = arith::AddFOp::create(nb, l, x[5], term);
          linalg::YieldOp::create(
              nb, l,
              ValueRange{arith::SelectOp::create(
                  nb, l, indexAtMost(nb, l, 3, 1), sum, x[5])});
        })[0];
    // The chunk's own prefix products s_i exp(S_i) (the carry's weight).
    Value prefix = elementwise(
        lb, {S, s}, {Dims{0, 1, 2}, Dims{0, 1, 2}}, {M, C, R},
        [&](OpBuilder &nb, Location l, ValueRange x) {
          return mulF(nb, l, x[1], expF(nb, l, x[0]));
        },
        compute);

    // The carry from chunk to chunk: h_in(n+1) = P_n h_in(n) + local_n[C-1].
    Value lastLocal =
        reshape(lb, lb.extractSlice(local, 1, lb.index(C - 1)), {B, N, R});
    Value lastPrefix =
        reshape(lb, lb.extractSlice(prefix, 1, lb.index(C - 1)), {B, N, R});
    Value initial =
        op.getInit()
            ? convertElements(lb, reshape(lb, op.getInit(), {B, R}), compute)
            : zerosOf(lb, {B, R}, compute);
    auto carry = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(N), lb.index(1),
        ValueRange{initial, emptyOf(lb, {B, N, R}, compute)},
        [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value next = elementwise(
              ib,
              {ib.extractSlice(lastPrefix, 1, n), iter[0],
               ib.extractSlice(lastLocal, 1, n)},
              {Dims{0, 1}, Dims{0, 1}, Dims{0, 1}}, {B, R},
              [&](OpBuilder &eb, Location el, ValueRange x) {
                return arith::AddFOp::create(
                           eb, el, arith::MulFOp::create(eb, el, x[0], x[1]),
                           x[2])
                    .getResult();
              },
              compute);
          scf::YieldOp::create(
              nb, l, ValueRange{next, ib.insertSlice(iter[0], iter[1], 1, n)});
        });
    Value carriesIn = reshape(lb, carry.getResult(1), {M, R});

    // h = local + prefix * h_in, in the state's type, first T steps.
    Value h = elementwise(
        lb, {local, prefix, carriesIn},
        {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 2}}, {M, C, R},
        [&](OpBuilder &nb, Location l, ValueRange x) {
          Value sum = arith::AddFOp::create(
              nb, l, x[0], arith::MulFOp::create(nb, l, x[1], x[2]));
          return LoopBuilder(nb, l).convert(sum, element);
        },
        element);
    Value steps = reshape(lb, h, {B, N * C, R});
    if (N * C != T)
      steps = staticSlice(lb, steps, {0, 0, 0}, {B, T, R});
    RankedTensorType finalType = op.getFinalState().getType();
    Value finalState =
        convertElements(lb, carry.getResult(0), finalType.getElementType());
    rewriter.replaceOp(op, {reshape(lb, steps, hType.getShape()),
                            reshape(lb, finalState, finalType.getShape())});
    return success();
  }
};

} // namespace

void seqc::families::populateLinearScanChunkwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearScanChunkwise>(patterns.getContext());
}
