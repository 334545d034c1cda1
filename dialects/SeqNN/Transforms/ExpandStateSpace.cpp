//===- ExpandStateSpace.cpp - mamba (S6) -> seq.linear_scan ----------------===//
//
//   [dt_low | B_t | C_t] = u x_proj               one matmul over all steps
//   dt = softplus(dt_low dt_proj + dt_bias)       [B, T, D]
//   a  = exp(dt * A),  A = -exp(a_log)            [B, T, D, N]
//   b  = dt * B_t * u                             [B, T, D, N]
//   h  = seq.linear_scan a, b                     [B, T, D, N], f32
//   y  = sum_n C_t[n] h[.., n] + d * u
//
// RG-LRU (Griffin): both gates' projections as matmuls over all steps, the
// decay a = sigmoid(lambda)^(c r) and the gated input per (b, t, d), then
// seq.linear_scan over [B, T, D].
//
// LRU and S4D (complex diagonal): the discretized complex decay and input
// as (re, im) sequences, then a seq.scan of complex affine maps.
//
//===----------------------------------------------------------------------===//
#include "ExpandUtils.h"
#include "Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
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
  SmallVector<OpFoldResult> sizes = eb.sizesOf(value),
                            strides(shape.size(), b.getIndexAttr(1));
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
    // Batch and time may be dynamic (B, T kDynamic in types; their sizes
    // in Bs, Ts).
    SmallVector<int64_t> us = shapeOf(op.getU());
    int64_t B = us[0], T = us[1], D = us[2];
    OpFoldResult Bs = eb.sizeOf(op.getU(), 0), Ts = eb.sizeOf(op.getU(), 1);
    int64_t N = shapeOf(op.getALog())[1], R = shapeOf(op.getDtProj())[0];
    Value u = eb.convertElements(op.getU(), eb.f32());

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
    Value empty = eb.emptyOf({Bs, Ts, eb.size(D), eb.size(N)});
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
    Value init =
        op.getInit() ? eb.convertElements(op.getInit(), eb.f32()) : Value();
    auto scan = seq::LinearScanOp::create(rewriter, loc, scanType,
                                          eb.tensorOf({B, D, N}), ab[0], ab[1],
                                          init, nullptr);
    // y[b, t, d] = d_d u[b, t, d] + sum_n C[b, t, n] h[b, t, d, n]
    Value skip = eb.generic({op.getD(), u}, {eb.emptyOf(eb.sizesOf(u))},
                            {Dims{2}, Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              LoopBuilder sb(b, l);
                              Value d = sb.convert(args[0], b.getF32Type());
                              linalg::YieldOp::create(
                                  b, l, ValueRange{arith::MulFOp::create(b, l, d, args[1])});
                            })[0];
    Value y = eb.multiplyAccumulate(outC, scan.getH(), skip,
                                    {Dims{0, 1, 3}, Dims{0, 1, 2, 3}},
                                    Dims{0, 1, 2}, 4, {3}, eb.f32());
    rewriter.replaceOp(
        op,
        {eb.convertElements(y, op.getY().getType().getElementType()),
         eb.convertElements(scan.getFinalState(),
                            op.getFinalState().getType().getElementType())});
    return success();
  }
};

struct ExpandRGLRU : OpRewritePattern<RGLRUOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RGLRUOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    SmallVector<int64_t> xs = shapeOf(op.getX());
    int64_t B = xs[0], T = xs[1], D = xs[2];
    double c = op.getC().convertToDouble();
    Value x = eb.convertElements(op.getX(), eb.f32());
    Value gateA = eb.addBias(eb.project(op.getX(), op.getWA()), op.getBA());
    Value gateX = eb.addBias(eb.project(op.getX(), op.getWX()), op.getBX());
    using Dims = SmallVector<unsigned>;
    Value empty = eb.emptyOf(eb.sizesOf(op.getX()));
    // With s = c r softplus(-lambda) >= 0: a = exp(-s) and
    // 1 - a^2 = tanh(s) (1 + a^2), which keeps its relative precision as s
    // goes to 0 (a long memory), where 1 - a^2 in f32 would cancel.
    ValueRange ab = eb.generic(
        {gateA, gateX, op.getLambda(), x}, {empty, empty},
        {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{2}, Dims{0, 1, 2}},
        {Dims{0, 1, 2}, Dims{0, 1, 2}}, 3, {},
        [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          Value r = ExpandBuilder::sigmoid(b, l, args[0]);
          Value i = ExpandBuilder::sigmoid(b, l, args[1]);
          Value lambda = sb.convert(args[2], b.getF32Type());
          Value decayRate = ExpandBuilder::softplus(
              b, l, arith::NegFOp::create(b, l, lambda));
          Value s = arith::MulFOp::create(
              b, l, arith::MulFOp::create(b, l, ExpandBuilder::constant(b, l, c), r),
              decayRate);
          Value a = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, s));
          Value aSquared = arith::MulFOp::create(b, l, a, a);
          Value oneMinusASquared = arith::MulFOp::create(
              b, l, math::TanhOp::create(b, l, s),
              arith::AddFOp::create(b, l, ExpandBuilder::constant(b, l, 1.0),
                                    aSquared));
          Value input = arith::MulFOp::create(
              b, l, math::SqrtOp::create(b, l, oneMinusASquared),
              arith::MulFOp::create(b, l, i, args[3]));
          linalg::YieldOp::create(b, l, ValueRange{a, input});
        });
    Value init =
        op.getInit() ? eb.convertElements(op.getInit(), eb.f32()) : Value();
    auto scan = seq::LinearScanOp::create(rewriter, loc, eb.tensorOf({B, T, D}),
                                          eb.tensorOf({B, D}), ab[0], ab[1],
                                          init, nullptr);
    rewriter.replaceOp(
        op,
        {eb.convertElements(scan.getH(), op.getY().getType().getElementType()),
         eb.convertElements(scan.getFinalState(),
                            op.getFinalState().getType().getElementType())});
    return success();
  }
};

/// Complex scalars as (re, im) pairs, for linalg.generic and scan bodies.
struct Complex {
  Value re, im;
};

struct ComplexMath {
  OpBuilder &b;
  Location l;
  Value add(Value x, Value y) { return arith::AddFOp::create(b, l, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, l, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, l, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, l, x, y); }
  Complex add(Complex x, Complex y) { return {add(x.re, y.re), add(x.im, y.im)}; }
  Complex mul(Complex x, Complex y) {
    return {sub(mul(x.re, y.re), mul(x.im, y.im)),
            add(mul(x.re, y.im), mul(x.im, y.re))};
  }
  Complex div(Complex x, Complex y) {
    Value norm = add(mul(y.re, y.re), mul(y.im, y.im));
    return {div(add(mul(x.re, y.re), mul(x.im, y.im)), norm),
            div(sub(mul(x.im, y.re), mul(x.re, y.im)), norm)};
  }
  Complex exp(Complex x) {
    Value magnitude = math::ExpOp::create(b, l, x.re);
    return {mul(magnitude, math::CosOp::create(b, l, x.im)),
            mul(magnitude, math::SinOp::create(b, l, x.im))};
  }
  Complex real(Value x) { return {x, ExpandBuilder::constant(b, l, 0.0)}; }
};

/// h_t = a_t h_{t-1} + b_t for complex a, b given as (re, im) sequences
/// [B, T, ...], as a seq.scan of affine maps: element (a, b), combine
/// (a1, b1) o (a2, b2) = (a2 a1, a2 b1 + b2), started from (1, h0). The scan
/// is associative, so the prefix form applies as for seq.linear_scan.
/// Returns (h_re, h_im, final_re, final_im).
SmallVector<Value> complexLinearScan(PatternRewriter &rewriter,
                                     ExpandBuilder &eb, Value aRe, Value aIm,
                                     Value bRe, Value bIm, Value h0Re,
                                     Value h0Im) {
  Location loc = eb.location();
  SmallVector<int64_t> shape = shapeOf(aRe), stateShape = shape;
  stateShape.erase(stateShape.begin() + 1);
  RankedTensorType seqType = eb.tensorOf(shape), stateType = eb.tensorOf(stateShape);
  SmallVector<OpFoldResult> stateSizes = eb.sizesOf(aRe, /*dropped=*/1);
  Value ones = eb.filled(stateType, stateSizes, rewriter.getF32FloatAttr(1.0));
  Value zeros = eb.zerosOf(stateSizes);
  auto scan = seq::ScanOp::create(
      rewriter, loc, SmallVector<Type>(4, seqType),
      SmallVector<Type>(4, stateType), ValueRange{aRe, aIm, bRe, bIm},
      ValueRange{ones, zeros, h0Re ? h0Re : zeros, h0Im ? h0Im : zeros},
      /*reverse=*/false, /*exclusive=*/false, /*form=*/nullptr);
  Block *body;
  {
    OpBuilder::InsertionGuard guard(rewriter);
    body = rewriter.createBlock(&scan.getCombiner());
    SmallVector<Value> args;
    for (int i = 0; i < 8; ++i)
      args.push_back(body->addArgument(eb.f32(), loc));
    ComplexMath c{rewriter, loc};
    Complex a1{args[0], args[1]}, b1{args[2], args[3]};
    Complex a2{args[4], args[5]}, b2{args[6], args[7]};
    Complex a = c.mul(a2, a1), b = c.add(c.mul(a2, b1), b2);
    seq::YieldOp::create(rewriter, loc, ValueRange{a.re, a.im, b.re, b.im});
  }
  return {scan.getOutputs()[2], scan.getOutputs()[3], scan.getFinalStates()[2],
          scan.getFinalStates()[3]};
}

Value optionalF32(ExpandBuilder &eb, Value value) {
  return value ? eb.convertElements(value, eb.f32()) : Value();
}

struct ExpandLRU : OpRewritePattern<LRUOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LRUOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    Value bxRe = eb.project(op.getX(), op.getBRe());
    Value bxIm = eb.project(op.getX(), op.getBIm());
    using Dims = SmallVector<unsigned>;
    // a = lambda = exp(-exp(nu) + i exp(theta)), b = exp(gamma_log) x B.
    Value empty = eb.emptyOf(eb.sizesOf(bxRe));
    ValueRange ab = eb.generic(
        {op.getNuLog(), op.getThetaLog(), op.getGammaLog(), bxRe, bxIm},
        {empty, empty, empty, empty},
        {Dims{2}, Dims{2}, Dims{2}, Dims{0, 1, 2}, Dims{0, 1, 2}},
        {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{0, 1, 2}}, 3, {},
        [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          ComplexMath c{b, l};
          Value nu = sb.convert(args[0], b.getF32Type());
          Value theta = sb.convert(args[1], b.getF32Type());
          Value gamma = math::ExpOp::create(b, l, sb.convert(args[2], b.getF32Type()));
          Complex lambda = c.exp({arith::NegFOp::create(b, l, math::ExpOp::create(b, l, nu)),
                                  math::ExpOp::create(b, l, theta)});
          linalg::YieldOp::create(b, l, ValueRange{lambda.re, lambda.im,
                                                   c.mul(gamma, args[3]),
                                                   c.mul(gamma, args[4])});
        });
    SmallVector<Value> h = complexLinearScan(
        rewriter, eb, ab[0], ab[1], ab[2], ab[3],
        optionalF32(eb, op.getInitRe()), optionalF32(eb, op.getInitIm()));
    // y = Re(h C) + d x = h_re C_re - h_im C_im + d x
    Value real = eb.project(h[0], op.getCRe());
    Value imag = eb.project(h[1], op.getCIm());
    Value y = eb.generic(
        {real, imag, op.getD(), op.getX()}, {eb.emptyOf(eb.sizesOf(op.getX()))},
        {Dims{0, 1, 2}, Dims{0, 1, 2}, Dims{2}, Dims{0, 1, 2}}, {Dims{0, 1, 2}},
        3, {}, [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          ComplexMath c{b, l};
          Value skip = c.mul(sb.convert(args[2], b.getF32Type()),
                             sb.convert(args[3], b.getF32Type()));
          linalg::YieldOp::create(b, l, c.add(c.sub(args[0], args[1]), skip));
        })[0];
    rewriter.replaceOp(
        op,
        {eb.convertElements(y, op.getY().getType().getElementType()),
         eb.convertElements(h[2], op.getFinalRe().getType().getElementType()),
         eb.convertElements(h[3], op.getFinalIm().getType().getElementType())});
    return success();
  }
};

struct ExpandS4D : OpRewritePattern<S4DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(S4DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    int64_t D = shapeOf(op.getX())[2], N = shapeOf(op.getARealLog())[1];
    bool zoh = op.getDiscretization() == Discretization::zoh;
    using Dims = SmallVector<unsigned>;
    // The discretized A' and B' per channel and mode, [D, N] each part.
    Value modes = eb.emptyOf({D, N});
    ValueRange discrete = eb.generic(
        {op.getLogDt(), op.getARealLog(), op.getAImag(), op.getBRe(), op.getBIm()},
        {modes, modes, modes, modes},
        {Dims{0}, Dims{0, 1}, Dims{0, 1}, Dims{0, 1}, Dims{0, 1}},
        {Dims{0, 1}, Dims{0, 1}, Dims{0, 1}, Dims{0, 1}}, 2, {},
        [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          ComplexMath c{b, l};
          auto f = [&](unsigned i) { return sb.convert(args[i], b.getF32Type()); };
          Value dt = math::ExpOp::create(b, l, f(0));
          Complex A{arith::NegFOp::create(b, l, math::ExpOp::create(b, l, f(1))), f(2)};
          Complex Bc{f(3), f(4)};
          Complex z{c.mul(dt, A.re), c.mul(dt, A.im)};
          Complex one = c.real(ExpandBuilder::constant(b, l, 1.0));
          Complex aBar, bBar;
          if (zoh) {
            // A' = exp(dt A), B' = (A' - 1) / A * B
            aBar = c.exp(z);
            Complex aMinusOne{c.sub(aBar.re, one.re), aBar.im};
            bBar = c.mul(c.div(aMinusOne, A), Bc);
          } else {
            // A' = (1 + dt A / 2) / (1 - dt A / 2), B' = dt / (1 - dt A / 2) B
            Value half = ExpandBuilder::constant(b, l, 0.5);
            Complex halfZ{c.mul(half, z.re), c.mul(half, z.im)};
            Complex denominator{c.sub(one.re, halfZ.re),
                                arith::NegFOp::create(b, l, halfZ.im)};
            aBar = c.div(c.add(one, halfZ), denominator);
            bBar = c.mul(c.div(c.real(dt), denominator), Bc);
          }
          linalg::YieldOp::create(b, l, ValueRange{aBar.re, aBar.im, bBar.re, bBar.im});
        });
    // a = A' for every step, b = B' x_t, [B, T, D, N].
    Value steps = eb.emptyOf({eb.sizeOf(op.getX(), 0), eb.sizeOf(op.getX(), 1),
                              eb.size(D), eb.size(N)});
    ValueRange ab = eb.generic(
        {discrete[0], discrete[1], discrete[2], discrete[3], op.getX()},
        {steps, steps, steps, steps},
        {Dims{2, 3}, Dims{2, 3}, Dims{2, 3}, Dims{2, 3}, Dims{0, 1, 2}},
        {Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}},
        4, {}, [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          ComplexMath c{b, l};
          Value x = sb.convert(args[4], b.getF32Type());
          linalg::YieldOp::create(b, l, ValueRange{args[0], args[1],
                                                   c.mul(args[2], x),
                                                   c.mul(args[3], x)});
        });
    SmallVector<Value> h = complexLinearScan(
        rewriter, eb, ab[0], ab[1], ab[2], ab[3],
        optionalF32(eb, op.getInitRe()), optionalF32(eb, op.getInitIm()));
    // y = 2 Re(sum_n C h) + d x
    Value skip = eb.generic({op.getD(), op.getX()}, {eb.emptyOf(eb.sizesOf(op.getX()))},
                            {Dims{2}, Dims{0, 1, 2}}, {Dims{0, 1, 2}}, 3, {},
                            [&](OpBuilder &b, Location l, ValueRange args) {
                              LoopBuilder sb(b, l);
                              linalg::YieldOp::create(
                                  b, l, ValueRange{arith::MulFOp::create(
                                            b, l, sb.convert(args[0], b.getF32Type()),
                                            sb.convert(args[1], b.getF32Type()))});
                            })[0];
    Value y = eb.generic(
        {op.getCRe(), op.getCIm(), h[0], h[1]}, {skip},
        {Dims{2, 3}, Dims{2, 3}, Dims{0, 1, 2, 3}, Dims{0, 1, 2, 3}},
        {Dims{0, 1, 2}}, 4, {3}, [&](OpBuilder &b, Location l, ValueRange args) {
          LoopBuilder sb(b, l);
          ComplexMath c{b, l};
          Value re = c.sub(c.mul(sb.convert(args[0], b.getF32Type()), args[2]),
                           c.mul(sb.convert(args[1], b.getF32Type()), args[3]));
          Value twice = c.mul(ExpandBuilder::constant(b, l, 2.0), re);
          linalg::YieldOp::create(b, l, c.add(args[4], twice));
        })[0];
    rewriter.replaceOp(
        op,
        {eb.convertElements(y, op.getY().getType().getElementType()),
         eb.convertElements(h[2], op.getFinalRe().getType().getElementType()),
         eb.convertElements(h[3], op.getFinalIm().getType().getElementType())});
    return success();
  }
};

} // namespace

void seqc::seqnn::populateExpandStateSpacePatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandMamba, ExpandRGLRU, ExpandLRU, ExpandS4D>(
      patterns.getContext());
}
