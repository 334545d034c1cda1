//===- ChunkwiseAttention.cpp - chunkwise form of seq.linear_attention ----===//
//
// Chunks of C steps (the form's chunk_size, default 64; T is zero-padded to
// a multiple of C, and padded steps leave the state unchanged: k = v = 0,
// log gate 0). Per chunk, with L the inclusive cumulative sum of the log
// gate inside the chunk (per key channel; g <= 0):
//
//   A[i, j]  = sum_d q_id k_jd exp(L_id - L_jd)          for j <= i
//   O        = scale ((Q exp(L)) S + A V)
//   S'       = exp(L_C) S + (K exp(L_C - L))^T V
//
// Every exponent is a difference L_i - L_j with j <= i, or L itself, all
// <= 0 within a chunk: nothing overflows, whatever T (never exp of a
// cumulative sum over the whole sequence, fla issue 77). The chunk loop
// carries S sequentially; the work inside a chunk is O(C^2 d) and parallel.
//
//===----------------------------------------------------------------------===//
#include "lib/Utils/LoopBuilder.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

using Dims = SmallVector<unsigned>;

SmallVector<int64_t> staticShape(Value v) {
  return SmallVector<int64_t>(cast<RankedTensorType>(v.getType()).getShape());
}

SmallVector<OpFoldResult> indexSizes(OpBuilder &b, ArrayRef<int64_t> shape) {
  return getAsIndexOpFoldResult(b.getContext(), shape);
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
    SmallVector<int64_t> qs = staticShape(op.getQ()), vs = staticShape(op.getV());
    int64_t B = qs[0], T = qs[1], H = qs[2], DK = qs[3], DV = vs[3];
    int64_t C = form.getKind() == FormKind::parallel
                    ? T
                    : form.getChunkSize().value_or(64);
    int64_t N = (T + C - 1) / C, TP = N * C;
    double scale = op.getScaleAttr() ? op.getScaleAttr().getValueAsDouble()
                                     : 1.0 / std::sqrt(double(DK));
    Location loc = op.getLoc();
    LoopBuilder lb(rewriter, loc);
    Type f32 = rewriter.getF32Type();
    auto tensorOf = [&](ArrayRef<int64_t> shape) {
      return RankedTensorType::get(shape, f32);
    };
    auto zerosOf = [&](LoopBuilder &b, ArrayRef<int64_t> shape) {
      return b.zeros(tensorOf(shape), indexSizes(rewriter, shape));
    };

    // Zero-padded f32 copies [B, TP, H, d], viewed as [B, N, C, H, d].
    auto padded = [&](Value v, ArrayRef<int64_t> shape,
                      GateKind broadcast = GateKind::vector) {
      SmallVector<int64_t> full = {B, TP, H, DK};
      full[3] = shape.size() == 4 ? shape[3] : DK;
      Value dest = zerosOf(lb, full);
      if (v) {
        // Convert to f32 (and broadcast a scalar gate over dk) into the
        // first T steps.
        SmallVector<int64_t> head = full;
        head[1] = T;
        Dims in = broadcast == GateKind::scalar ? Dims{0, 1, 2}
                                                : Dims{0, 1, 2, 3};
        Value converted =
            lb.generic({v}, {zerosOf(lb, head)}, {in}, {Dims{0, 1, 2, 3}}, 4,
                       {}, [&](OpBuilder &b, Location l, ValueRange args) {
                         LoopBuilder sb(b, l);
                         linalg::YieldOp::create(b, l, sb.convert(args[0], f32));
                       })[0];
        SmallVector<OpFoldResult> zero(4, rewriter.getIndexAttr(0)),
            one(4, rewriter.getIndexAttr(1));
        dest = tensor::InsertSliceOp::create(rewriter, loc, converted, dest,
                                             zero, indexSizes(rewriter, head),
                                             one);
      }
      SmallVector<ReassociationIndices> groups = {{0}, {1, 2}, {3}, {4}};
      SmallVector<int64_t> chunked = {B, N, C, H, full[3]};
      return tensor::ExpandShapeOp::create(rewriter, loc, tensorOf(chunked),
                                           dest, groups)
          .getResult();
    };
    Value q = padded(op.getQ(), qs), k = padded(op.getK(), qs);
    Value v = padded(op.getV(), vs);
    Value g = padded(op.getGate(), qs, op.getGateKind());
    RankedTensorType stateType = op.getFinalState().getType();
    Value state = op.getInit()
                      ? lb.generic({op.getInit()}, {zerosOf(lb, {B, H, DK, DV})},
                                   {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
                                   [&](OpBuilder &b, Location l, ValueRange args) {
                                     LoopBuilder sb(b, l);
                                     linalg::YieldOp::create(b, l, sb.convert(args[0], f32));
                                   })[0]
                      : zerosOf(lb, {B, H, DK, DV});
    Value outputs = zerosOf(lb, {B, N, C, H, DV});

    auto loop = scf::ForOp::create(
        rewriter, loc, lb.index(0), lb.index(N), lb.index(1),
        ValueRange{state, outputs},
        [&](OpBuilder &nb, Location l, Value n, ValueRange iter) {
          LoopBuilder ib(nb, l);
          Value S = iter[0];
          Value qc = ib.extractSlice(q, 1, n), kc = ib.extractSlice(k, 1, n),
                vc = ib.extractSlice(v, 1, n), gc = ib.extractSlice(g, 1, n);
          auto add = [&](OpBuilder &b, Location bl, Value x, Value y) {
            return arith::AddFOp::create(b, bl, x, y).getResult();
          };
          auto mul = [&](OpBuilder &b, Location bl, Value x, Value y) {
            return arith::MulFOp::create(b, bl, x, y).getResult();
          };
          auto below = [&](OpBuilder &b, Location bl, unsigned j, unsigned i) {
            return arith::CmpIOp::create(
                       b, bl, arith::CmpIPredicate::ule,
                       linalg::IndexOp::create(b, bl, j),
                       linalg::IndexOp::create(b, bl, i))
                .getResult();
          };
          // L[b, i, h, d] = sum_{j <= i} g[b, j, h, d]: dims (b, i, h, d, j),
          // accumulated in f64: the exponents are differences L_i - L_j of
          // sums that grow with C, and f32 would cancel them away for long
          // chunks.
          Type f64 = nb.getF64Type();
          Value L = ib.generic(
              {gc},
              {ib.zeros(RankedTensorType::get({B, C, H, DK}, f64),
                        indexSizes(nb, {B, C, H, DK}))},
              {Dims{0, 4, 2, 3}}, {Dims{0, 1, 2, 3}}, 5, {4},
              [&](OpBuilder &b, Location bl, ValueRange args) {
                LoopBuilder sb(b, bl);
                Value sum = add(b, bl, args[1], sb.convert(args[0], f64));
                linalg::YieldOp::create(
                    b, bl, ValueRange{arith::SelectOp::create(
                               b, bl, below(b, bl, 4, 1), sum, args[1])});
              })[0];
          Value last = ib.extractSlice(L, 1, ib.index(C - 1)); // [B, H, DK]
          // A[b, h, i, j] = sum_d q_id k_jd exp(L_id - L_jd), j <= i:
          // dims (b, h, i, j, d)
          Value A = ib.generic(
              {qc, kc, L, L}, {zerosOf(ib, {B, H, C, C})},
              {Dims{0, 2, 1, 4}, Dims{0, 3, 1, 4}, Dims{0, 2, 1, 4},
               Dims{0, 3, 1, 4}},
              {Dims{0, 1, 2, 3}}, 5, {4},
              [&](OpBuilder &b, Location bl, ValueRange args) {
                LoopBuilder sb(b, bl);
                Value decay = math::ExpOp::create(
                    b, bl, sb.convert(arith::SubFOp::create(b, bl, args[2], args[3]), f32));
                Value term = mul(b, bl, mul(b, bl, args[0], args[1]), decay);
                Value sum = add(b, bl, args[4], term);
                linalg::YieldOp::create(
                    b, bl, ValueRange{arith::SelectOp::create(
                               b, bl, below(b, bl, 3, 2), sum, args[4])});
              })[0];
          // O[b, i, h, e] = sum_d q_id exp(L_id) S[d, e]: dims (b, i, h, e, d)
          Value inter = ib.generic(
              {qc, L, S}, {zerosOf(ib, {B, C, H, DV})},
              {Dims{0, 1, 2, 4}, Dims{0, 1, 2, 4}, Dims{0, 2, 4, 3}},
              {Dims{0, 1, 2, 3}}, 5, {4},
              [&](OpBuilder &b, Location bl, ValueRange args) {
                LoopBuilder sb(b, bl);
                Value w = mul(b, bl, args[0],
                              math::ExpOp::create(b, bl, sb.convert(args[1], f32)));
                linalg::YieldOp::create(
                    b, bl, ValueRange{add(b, bl, args[3], mul(b, bl, w, args[2]))});
              })[0];
          // O += A V, then scale: dims (b, i, h, e, j)
          Value out = ib.generic(
              {A, vc}, {inter}, {Dims{0, 2, 1, 4}, Dims{0, 4, 2, 3}},
              {Dims{0, 1, 2, 3}}, 5, {4},
              [&](OpBuilder &b, Location bl, ValueRange args) {
                linalg::YieldOp::create(
                    b, bl, ValueRange{add(b, bl, args[2], mul(b, bl, args[0], args[1]))});
              })[0];
          out = ib.generic({out}, {zerosOf(ib, {B, C, H, DV})},
                           {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
                           [&](OpBuilder &b, Location bl, ValueRange args) {
                             LoopBuilder sb(b, bl);
                             linalg::YieldOp::create(
                                 b, bl, ValueRange{mul(b, bl, args[0], sb.scalar(f32, scale))});
                           })[0];
          // S' = exp(L_C) S + sum_j k_jd exp(L_C - L_jd) v_je:
          // first exp(L_C) S over (b, h, d, e), then the sum over j.
          Value decayed = ib.generic(
              {last, S}, {zerosOf(ib, {B, H, DK, DV})},
              {Dims{0, 1, 2}, Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
              [&](OpBuilder &b, Location bl, ValueRange args) {
                LoopBuilder sb(b, bl);
                Value decay = math::ExpOp::create(b, bl, sb.convert(args[0], f32));
                linalg::YieldOp::create(b, bl, ValueRange{mul(b, bl, decay, args[1])});
              })[0];
          Value next = ib.generic(
              {kc, last, L, vc}, {decayed},
              {Dims{0, 4, 1, 2}, Dims{0, 1, 2}, Dims{0, 4, 1, 2},
               Dims{0, 4, 1, 3}},
              {Dims{0, 1, 2, 3}}, 5, {4},
              [&](OpBuilder &b, Location bl, ValueRange args) {
                LoopBuilder sb(b, bl);
                Value decay = math::ExpOp::create(
                    b, bl, sb.convert(arith::SubFOp::create(b, bl, args[1], args[2]), f32));
                Value term = mul(b, bl, mul(b, bl, args[0], decay), args[3]);
                linalg::YieldOp::create(b, bl, ValueRange{add(b, bl, args[4], term)});
              })[0];
          Value written = ib.insertSlice(out, iter[1], 1, n);
          scf::YieldOp::create(nb, l, ValueRange{next, written});
        });
    // [B, N, C, H, dv] -> [B, TP, H, dv] -> the first T steps.
    Value all = tensor::CollapseShapeOp::create(
        rewriter, loc, loop.getResult(1),
        SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    SmallVector<OpFoldResult> zero(4, rewriter.getIndexAttr(0)),
        one(4, rewriter.getIndexAttr(1));
    Value trimmed = tensor::ExtractSliceOp::create(
        rewriter, loc, tensorOf({B, T, H, DV}), all, zero,
        indexSizes(rewriter, {B, T, H, DV}), one);
    auto convertTo = [&](Value value, RankedTensorType type) {
      if (cast<RankedTensorType>(value.getType()).getElementType() ==
          type.getElementType())
        return value;
      return lb.generic({value}, {lb.empty(type, lb.sizesOf(value))},
                        {Dims{0, 1, 2, 3}}, {Dims{0, 1, 2, 3}}, 4, {},
                        [&](OpBuilder &b, Location l, ValueRange args) {
                          LoopBuilder sb(b, l);
                          linalg::YieldOp::create(
                              b, l, sb.convert(args[0], type.getElementType()));
                        })[0];
    };
    rewriter.replaceOp(op, {convertTo(trimmed, op.getOutput().getType()),
                            convertTo(loop.getResult(0), stateType)});
    return success();
  }
};

} // namespace

void seqc::populateChunkwiseFormPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerLinearAttentionChunkwise>(patterns.getContext());
}
