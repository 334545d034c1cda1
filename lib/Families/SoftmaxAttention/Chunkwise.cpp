//===- Chunkwise.cpp - flash and parallel softmax attention ---------------===//
//
// The chunkwise form of causal softmax attention with a per-step query:
// a loop over chunks of C keys (the form's chunk_size; the P cached keys
// first, the last chunk masked), every step's query at once, carrying per
// step and head the running max m, denominator l and numerator acc:
//
//   s[t, c]  = scale q_t . k_{jC+c}            (visible: jC + c <= P + t)
//   m'       = max(m, max_c s[t, c])
//   alpha    = exp(m - m')                      (0 while nothing was visible)
//   l'       = alpha l + sum_c exp(s[t, c] - m')
//   acc'     = alpha acc + sum_c exp(s[t, c] - m') v_{jC+c}
//   o_t      = acc / l                          after the last chunk
//
// Memory O(T C) for the scores instead of the parallel form's O(T (P+T));
// every exponent is of a non-positive number. Chunk j only updates the steps
// that see one of its keys (t >= jC - P): causal block skipping halves the
// work of a long sequence without a cache.
//
// The parallel (quadratic, masked) form is the same computation with one
// chunk of all P + T keys: the T x (P + T) scores at once, no running
// rescale left after the single-iteration loop folds (alpha is 0).
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"
#include "lib/Families/SoftmaxAttention/SoftmaxSupport.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

using Dims = SmallVector<unsigned>;

struct LowerSoftmaxAttentionChunkwise : OpRewritePattern<SoftmaxAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxAttentionOp op,
                                PatternRewriter &rewriter) const override {
    FormAttr form = op.getFormAttr();
    if (!form ||
        (form.getKind() != FormKind::chunkwise &&
         form.getKind() != FormKind::parallel) ||
        op.hasTimeInvariantQuery() || !formLoweringBlocker(op).empty())
      return failure();
    double scale = attentionScale(op.getScaleAttr(), op.getK());
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Type f32 = rewriter.getF32Type();
    auto [keys, values] = extendKeyValueCache(lb, op);
    auto keysType = cast<RankedTensorType>(keys.getType()),
         valuesType = cast<RankedTensorType>(values.getType());
    int64_t B = keysType.getDimSize(0), S = keysType.getDimSize(1),
            H = keysType.getDimSize(2), DK = keysType.getDimSize(3),
            DV = valuesType.getDimSize(3),
            T = op.getQ().getType().getDimSize(1);
    int64_t P = S - T;
    int64_t C = form.getKind() == FormKind::parallel
                    ? S
                    : form.getChunkSize().value_or(64);
    int64_t N = (S + C - 1) / C;
    auto type = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, f32);
    };
    auto sizes = [&](ArrayRef<int64_t> shape) {
      return getAsIndexOpFoldResult(rewriter.getContext(), shape);
    };
    // Keys and values in f32, zero-padded to N C and viewed as chunks.
    auto chunked = [&](Value cache, int64_t d) {
      Value padded = lb.zeros(type({B, N * C, H, d}), sizes({B, N * C, H, d}));
      Value converted = lb.generic(
          {cache}, {lb.empty(type({B, S, H, d}), sizes({B, S, H, d}))},
          {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
          [&](OpBuilder &b, Location l, ValueRange args) {
            LoopBuilder sb(b, l);
            linalg::YieldOp::create(b, l, sb.convert(args[0], f32));
          })[0];
      SmallVector<OpFoldResult> zero(4, rewriter.getIndexAttr(0)),
          one(4, rewriter.getIndexAttr(1));
      padded = tensor::InsertSliceOp::create(rewriter, loc, converted, padded,
                                             zero, sizes({B, S, H, d}), one);
      return tensor::ExpandShapeOp::create(
                 rewriter, loc, type({B, N, C, H, d}), padded,
                 SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}})
          .getResult();
    };
    Value kChunks = chunked(keys, DK), vChunks = chunked(values, DV);
    double negInf = -std::numeric_limits<double>::infinity();
    Value m0 = lb.filled(type({B, H, T}), sizes({B, H, T}),
                         rewriter.getF32FloatAttr(negInf));
    Value l0 = lb.zeros(type({B, H, T}), sizes({B, H, T}));
    Value acc0 = lb.zeros(type({B, H, T, DV}), sizes({B, H, T, DV}));
    Value q = op.getQ();

    auto loop = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(N), lb.index(1),
        ValueRange{m0, l0, acc0},
        [&](OpBuilder &nb, Location nl, Value n, ValueRange all) {
          LoopBuilder ib(nb, nl);
          Value kc = ib.extractSlice(kChunks, 1, n); // [B, C, H, dk]
          Value vc = ib.extractSlice(vChunks, 1, n); // [B, C, H, dv]
          Value first = arith::MulIOp::create(nb, nl, n, ib.index(C));
          // Causal block skipping: steps t < jC - P see no key of chunk j;
          // only steps from r0 = max(0, jC - P) on take part.
          Value r0 = arith::MaxSIOp::create(
              nb, nl, ib.index(0),
              arith::SubIOp::create(nb, nl, first, ib.index(P)));
          Value rows = arith::SubIOp::create(nb, nl, ib.index(T), r0);
          // Rows [r0, T) of a tensor whose step dimension is `dim`.
          auto rowsOf = [&](Value tensor, unsigned dim) {
            auto tType = cast<RankedTensorType>(tensor.getType());
            SmallVector<OpFoldResult> offsets(tType.getRank(),
                                              nb.getIndexAttr(0));
            SmallVector<OpFoldResult> sizes = ib.sizesOf(tensor);
            SmallVector<OpFoldResult> strides(tType.getRank(),
                                              nb.getIndexAttr(1));
            offsets[dim] = r0;
            sizes[dim] = rows;
            SmallVector<int64_t> shape(tType.getShape());
            shape[dim] = ShapedType::kDynamic;
            return tensor::ExtractSliceOp::create(
                       nb, nl,
                       RankedTensorType::get(shape, tType.getElementType()),
                       tensor, offsets, sizes, strides)
                .getResult();
          };
          auto writeRows = [&](Value slice, Value dest, unsigned dim) {
            auto tType = cast<RankedTensorType>(dest.getType());
            SmallVector<OpFoldResult> offsets(tType.getRank(),
                                              nb.getIndexAttr(0));
            SmallVector<OpFoldResult> strides(tType.getRank(),
                                              nb.getIndexAttr(1));
            offsets[dim] = r0;
            return tensor::InsertSliceOp::create(nb, nl, slice, dest, offsets,
                                                 ib.sizesOf(slice), strides)
                .getResult();
          };
          Value qRows = rowsOf(q, 1);
          SmallVector<Value> it = {rowsOf(all[0], 2), rowsOf(all[1], 2),
                                   rowsOf(all[2], 2)};
          // Key jC + c (dim `keyDim`) is visible to step r0 + t (dim
          // `stepDim`) when jC + c <= P + r0 + t.
          auto visible = [&](OpBuilder &b, Location l, unsigned stepDim,
                             unsigned keyDim) {
            Value key = arith::AddIOp::create(
                b, l, first, linalg::IndexOp::create(b, l, keyDim));
            Value step = arith::AddIOp::create(
                b, l, linalg::IndexOp::create(b, l, stepDim), r0);
            Value limit = arith::AddIOp::create(b, l, step, ib.index(P));
            return arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, key,
                                         limit)
                .getResult();
          };
          Value scores = attentionScores(ib, qRows, kc, f32);
          // m' = max(m, visible scale s); dims (b, h, t, c).
          Value maxima = ib.generic(
              {scores}, {it[0]}, {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2}}, 4, {3},
              [&](OpBuilder &b, Location l, ValueRange args) {
                LoopBuilder sb(b, l);
                Value scaled =
                    arith::MulFOp::create(b, l, args[0], sb.scalar(f32, scale));
                Value larger = arith::MaximumFOp::create(b, l, args[1], scaled);
                linalg::YieldOp::create(
                    b, l,
                    arith::SelectOp::create(b, l, visible(b, l, 2, 3), larger,
                                            args[1])
                        .getResult());
              })[0];
          // alpha = exp(m - m'), 0 while no key was visible (m = -inf).
          Value alpha = ib.generic(
              {it[0], maxima},
              {ib.empty(cast<RankedTensorType>(it[0].getType()),
                        ib.sizesOf(it[0]))},
              {Dims{0, 1, 2}, Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
              [&](OpBuilder &b, Location l, ValueRange args) {
                LoopBuilder sb(b, l);
                Value none =
                    arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                          args[0], sb.scalar(f32, negInf));
                Value decay = math::ExpOp::create(
                    b, l, arith::SubFOp::create(b, l, args[0], args[1]));
                linalg::YieldOp::create(
                    b, l,
                    arith::SelectOp::create(b, l, none, sb.scalar(f32, 0.0),
                                            decay)
                        .getResult());
              })[0];
          // l' = alpha l + sum_c w; dims (b, h, t, c), from alpha l.
          Value rescaledL = ib.generic(
              {alpha, it[1]},
              {ib.empty(cast<RankedTensorType>(it[0].getType()),
                        ib.sizesOf(it[0]))},
              {Dims{0, 1, 2}, Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
              [&](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(
                    b, l,
                    ValueRange{arith::MulFOp::create(b, l, args[0], args[1])});
              })[0];
          Value denominators = ib.generic(
              {scores, maxima}, {rescaledL}, {Dims{0, 1, 2, 3}, Dims{0, 1, 2}},
              {Dims{0, 1, 2}}, 4, {3},
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value w = softmaxWeight(b, l, f32, scale, args[0], args[1],
                                        visible(b, l, 2, 3));
                linalg::YieldOp::create(
                    b, l, ValueRange{arith::AddFOp::create(b, l, args[2], w)});
              })[0];
          // acc' = alpha acc + sum_c w v; dims (b, h, t, e, c).
          Value rescaledAcc = ib.generic(
              {alpha, it[2]},
              {ib.empty(cast<RankedTensorType>(it[2].getType()),
                        ib.sizesOf(it[2]))},
              {Dims{0, 1, 2}, Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
              [&](OpBuilder &b, Location l, ValueRange args) {
                linalg::YieldOp::create(
                    b, l,
                    ValueRange{arith::MulFOp::create(b, l, args[0], args[1])});
              })[0];
          Value numerators = ib.generic(
              {scores, maxima, vc}, {rescaledAcc},
              {Dims{0, 1, 2, 4}, Dims{0, 1, 2}, Dims{0, 4, 1, 3}},
              {Dims{0, 1, 2, 3}}, 5, {4},
              [&](OpBuilder &b, Location l, ValueRange args) {
                Value w = softmaxWeight(b, l, f32, scale, args[0], args[1],
                                        visible(b, l, 2, 4));
                Value prod = arith::MulFOp::create(b, l, w, args[2]);
                linalg::YieldOp::create(
                    b, l,
                    ValueRange{arith::AddFOp::create(b, l, args[3], prod)});
              })[0];
          scf::YieldOp::create(nb, nl,
                               ValueRange{writeRows(maxima, all[0], 2),
                                          writeRows(denominators, all[1], 2),
                                          writeRows(numerators, all[2], 2)});
        });
    Value output =
        normalizeAttention(lb, op, loop.getResult(2), loop.getResult(1));
    rewriter.replaceOp(op, {output, keys, values});
    return success();
  }
};

} // namespace

void seqc::families::populateSoftmaxAttentionChunkwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerSoftmaxAttentionChunkwise>(patterns.getContext());
}
