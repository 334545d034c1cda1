//===- ExpandStateSpace.cpp - mamba (S6) -> seq.linear_scan ----------------===//
//
//   [dt_low | B_t | C_t] = u x_proj               one matmul over all steps
//   dt = softplus(dt_low dt_proj + dt_bias)       [B, T, D]
//   a  = exp(dt * A),  A = -exp(a_log)            [B, T, D, N]
//   b  = dt * B_t * u                             [B, T, D, N]
//   h  = seq.linear_scan a, b                     [B, T, D, N], f32
//   y  = sum_n C_t[n] h[.., n] + d * u
//
//===----------------------------------------------------------------------===//
#include "ExpandUtils.h"
#include "Passes.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seqnn;

namespace {

/// `value[..., begin : begin + size]` along the last dimension.
Value sliceLast(ExpandBuilder &eb, Value value, int64_t begin, int64_t size) {
  SmallVector<int64_t> shape = shapeOf(value);
  OpBuilder &b = eb.builder();
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
  offsets.back() = b.getIndexAttr(begin);
  SmallVector<OpFoldResult> sizes, strides(shape.size(), b.getIndexAttr(1));
  for (int64_t d : shape)
    sizes.push_back(b.getIndexAttr(d));
  sizes.back() = b.getIndexAttr(size);
  return tensor::ExtractSliceOp::create(b, eb.location(), value, offsets, sizes,
                                        strides);
}

struct ExpandMamba : OpRewritePattern<MambaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MambaOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    SmallVector<int64_t> us = shapeOf(op.getU());
    if (llvm::any_of(us, ShapedType::isDynamic))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    int64_t B = us[0], T = us[1], D = us[2];
    int64_t N = shapeOf(op.getALog())[1], R = shapeOf(op.getDtProj())[0];
    Value u = eb.toType(op.getU(), eb.f32());

    Value projected = eb.project(op.getU(), op.getXProj());
    Value dtLow = sliceLast(eb, projected, 0, R);
    Value inB = sliceLast(eb, projected, R, N);
    Value outC = sliceLast(eb, projected, R + N, N);
    Value dtPre = eb.addBias(eb.project(dtLow, op.getDtProj()), op.getDtBias());
    Value dt = eb.map({dtPre}, [](OpBuilder &b, Location l, ArrayRef<Value> v) {
      return ExpandBuilder::softplus(b, l, v[0]);
    });

    using Dims = SmallVector<unsigned>;
    RankedTensorType scanType = eb.tensorOf({B, T, D, N});
    Value empty = eb.empty(scanType, eb.sizesOf(eb.zerosOf({B, T, D, N})));
    // a = exp(dt * -exp(a_log)), b = dt * B_t * u over (b, t, d, n).
    ValueRange ab = eb.generic(
        {dt, op.getALog(), inB, u}, {empty, empty},
        {Dims{0, 1, 2}, Dims{2, 3}, Dims{0, 1, 3}, Dims{0, 1, 2}},
        {Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}}, 4, {},
        [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          Value aLog = sb.convert(args[1], b.getF32Type());
          Value A = arith::NegFOp::create(b, l, math::ExpOp::create(b, l, aLog));
          Value a = math::ExpOp::create(b, l, arith::MulFOp::create(b, l, args[0], A));
          Value dtB = arith::MulFOp::create(b, l, args[0], args[2]);
          Value x = arith::MulFOp::create(b, l, dtB, args[3]);
          linalg::YieldOp::create(b, l, ValueRange{a, x});
        });
    Value init = op.getInit() ? eb.toType(op.getInit(), eb.f32()) : Value();
    auto scan = seq::LinearScanOp::create(rewriter, loc, scanType,
                                          eb.tensorOf({B, D, N}), ab[0], ab[1],
                                          init, nullptr);
    // y[b, t, d] = d_d u[b, t, d] + sum_n C[b, t, n] h[b, t, d, n]
    Value skip = eb.generic({op.getD(), u}, {eb.zerosOf({B, T, D})},
                            {Dims{2}, Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              LoopBuilder sb(b, l);
                              Value d = sb.convert(args[0], b.getF32Type());
                              linalg::YieldOp::create(
                                  b, l, ValueRange{arith::MulFOp::create(b, l, d, args[1])});
                            })[0];
    Value y = eb.generic({outC, scan.getH()}, {skip},
                         {Dims{0, 1, 3}, Dims{0, 1, 2, 3}}, {Dims{0, 1, 2}}, 4,
                         {3}, [&](OpBuilder &b, Location l, ValueRange args) {
                           Value prod = arith::MulFOp::create(b, l, args[0], args[1]);
                           linalg::YieldOp::create(
                               b, l, ValueRange{arith::AddFOp::create(b, l, args[2], prod)});
                         })[0];
    rewriter.replaceOp(
        op, {eb.toType(y, op.getY().getType().getElementType()),
             eb.toType(scan.getFinalState(),
                       op.getFinalState().getType().getElementType())});
    return success();
  }
};

} // namespace

void seqc::seqnn::populateExpandStateSpacePatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandMamba>(patterns.getContext());
}
