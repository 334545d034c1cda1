//===- ExpandClassicRNN.cpp - elman, lstm, gru, slstm -> seq.recurrence ---===//
//
//   xw = x W + b (+ b_r)          one matmul over all B*T steps, [B, T, G*D]
//   seq.recurrence over xw viewed as [B, T, G, H, Dh], states [B, H, Dh]:
//     hr = h R per head: a batched matmul [H, B, Dh] x [H, Dh, G*Dh]
//     (the block-diagonal R never materializes)
//     one elementwise cell over (b, h, j) reading gate g of xw_t and hr
//
// Gate blocks are gate-major along G*D (PyTorch's order), the recurrent
// matrix is FlashRNN's [heads, Dh, G*Dh]. The GRU's recurrent bias stays in
// the cell: its reset gate multiplies (h R_n + b_rn), not h.
//
//===----------------------------------------------------------------------===//
#include "ExpandUtils.h"
#include "Passes.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seqnn;

namespace {

enum class Cell { elmanTanh, elmanRelu, lstm, gru, slstm };

/// The cell of step t: gate pre-activations xg[g] (input part) and hg[g]
/// (recurrent part, with the GRU's recurrent bias in rb[g]), and the
/// previous states; returns the next states (h first).
SmallVector<Value> cellMath(OpBuilder &b, Location loc, Cell cell,
                            ArrayRef<Value> xg, ArrayRef<Value> hg,
                            ArrayRef<Value> rb, ArrayRef<Value> states) {
  auto add = [&](Value l, Value r) {
    return arith::AddFOp::create(b, loc, l, r).getResult();
  };
  auto mul = [&](Value l, Value r) {
    return arith::MulFOp::create(b, loc, l, r).getResult();
  };
  auto sigmoid = [&](Value v) { return ExpandBuilder::sigmoid(b, loc, v); };
  auto tanh = [&](Value v) { return math::TanhOp::create(b, loc, v).getResult(); };
  auto exp = [&](Value v) { return math::ExpOp::create(b, loc, v).getResult(); };
  auto sub = [&](Value l, Value r) {
    return arith::SubFOp::create(b, loc, l, r).getResult();
  };
  switch (cell) {
  case Cell::elmanTanh:
    return {tanh(add(xg[0], hg[0]))};
  case Cell::elmanRelu:
    return {arith::MaximumFOp::create(b, loc, add(xg[0], hg[0]),
                                      ExpandBuilder::constant(b, loc, 0.0))};
  case Cell::lstm: {
    Value i = sigmoid(add(xg[0], hg[0])), f = sigmoid(add(xg[1], hg[1]));
    Value g = tanh(add(xg[2], hg[2])), o = sigmoid(add(xg[3], hg[3]));
    Value c = add(mul(f, states[1]), mul(i, g));
    return {mul(o, tanh(c)), c};
  }
  case Cell::gru: {
    auto recurrent = [&](unsigned g) { return rb.empty() ? hg[g] : add(hg[g], rb[g]); };
    Value r = sigmoid(add(xg[0], recurrent(0)));
    Value z = sigmoid(add(xg[1], recurrent(1)));
    Value n = tanh(add(xg[2], mul(r, recurrent(2))));
    Value one = ExpandBuilder::constant(b, loc, 1.0);
    return {add(mul(sub(one, z), n), mul(z, states[0]))};
  }
  case Cell::slstm: {
    // States h, c, n, m. Exponential input and forget gates in log space,
    // stabilized by m so that no exp overflows.
    Value iPre = add(xg[0], hg[0]), fPre = add(xg[1], hg[1]);
    Value zPre = add(xg[2], hg[2]), oPre = add(xg[3], hg[3]);
    Value m = states[3];
    Value fLog = add(fPre, m);
    Value mNew = arith::MaximumFOp::create(b, loc, fLog, iPre);
    Value i = exp(sub(iPre, mNew)), f = exp(sub(fLog, mNew));
    Value c = add(mul(f, states[1]), mul(i, tanh(zPre)));
    Value n = add(mul(f, states[2]), i);
    Value h = mul(sigmoid(oPre), arith::DivFOp::create(b, loc, c, n));
    return {h, c, n, mNew};
  }
  }
  return {};
}

template <typename OpT>
struct ExpandClassicRNN : OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;

  Cell cellOf(OpT op) const {
    if constexpr (std::is_same_v<OpT, ElmanOp>)
      return op.getActivation() == Activation::relu ? Cell::elmanRelu
                                                    : Cell::elmanTanh;
    else if constexpr (std::is_same_v<OpT, LSTMOp>)
      return Cell::lstm;
    else if constexpr (std::is_same_v<OpT, GRUOp>)
      return Cell::gru;
    else
      return Cell::slstm;
  }

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ExpandBuilder eb(rewriter, loc);
    Cell cell = cellOf(op);
    const int64_t G = OpT::kNumGates;
    // Batch and time may be dynamic (one compiled function for every B and
    // T); every other size is static, as the op's verifier requires.
    SmallVector<OpFoldResult> xs = eb.sizesOf(op.getX());
    OpFoldResult B = xs[0], T = xs[1];
    int64_t H = op.getHeads();
    int64_t D = shapeOf(op.getW())[1] / G, Dh = D / H;
    size_t numStates = op.getFinalStates().size();
    auto index = [&](int64_t v) -> OpFoldResult { return rewriter.getIndexAttr(v); };

    // The hoisted input projection, with every bias that is not gated.
    Value recurrentBias = op.getRecurrentBias();
    SmallVector<Value> biases;
    if (Value bias = op.getBias())
      biases.push_back(bias);
    if (recurrentBias && cell != Cell::gru)
      biases.push_back(recurrentBias);
    Value xw = eb.project(op.getX(), op.getW(), biases);
    // [B, T, G*D] -> [B, T, G, H, Dh]
    xw = eb.split(xw, 2, {G, H, Dh});
    // R: [H, Dh, G*Dh] -> [H, Dh, G, Dh], in f32.
    Value r = eb.split(eb.convertElements(op.getR(), eb.f32()), 2, {G, Dh});
    SmallVector<Value> weights = {r};
    bool hasRecurrentBias = cell == Cell::gru && recurrentBias;
    if (hasRecurrentBias)
      weights.push_back(
          eb.split(eb.convertElements(recurrentBias, eb.f32()), 0, {G, H, Dh}));

    SmallVector<Value> init;
    for (size_t s = 0; s < numStates; ++s)
      init.push_back(
          op.getInit().empty()
              ? eb.zerosOf({B, index(H), index(Dh)})
              : eb.split(eb.convertElements(op.getInit()[s], eb.f32()), 1,
                         {H, Dh}));

    RankedTensorType stateType = eb.tensorOf({B, index(H), index(Dh)});
    SmallVector<Type> resultTypes = {
        eb.tensorOf({B, T, index(H), index(Dh)})};
    resultTypes.append(numStates, stateType);
    auto recurrence = seq::RecurrenceOp::create(
        rewriter, loc, TypeRange(resultTypes).take_front(1),
        TypeRange(resultTypes).drop_front(1), ValueRange{xw}, init, weights,
        /*form=*/nullptr);
    Block *body;
    {
      // createBlock moves the insertion point into the body; the layout
      // conversions below belong after the recurrence.
      OpBuilder::InsertionGuard guard(rewriter);
      body = rewriter.createBlock(&recurrence.getBody());
    }
    Value xt = body->addArgument(
        eb.tensorOf({B, index(G), index(H), index(Dh)}), loc);
    SmallVector<Value> states;
    for (size_t s = 0; s < numStates; ++s)
      states.push_back(body->addArgument(stateType, loc));
    Value rArg = body->addArgument(r.getType(), loc);
    Value rbArg = hasRecurrentBias
                      ? body->addArgument(weights[1].getType(), loc)
                      : Value();
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(body);
      ExpandBuilder ib(rewriter, loc);
      MLIRContext *ctx = rewriter.getContext();
      auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
      // hr = h R per head, one batched matmul over heads:
      // [H, B, Dh] x [H, Dh, G*Dh] -> [H, B, G*Dh], viewed as [H, B, G, Dh].
      // The step's batch size, read off its state (the body is isolated).
      OpFoldResult stepB = ib.sizesOf(states[0])[0];
      Value hT = linalg::TransposeOp::create(
                     rewriter, loc, states[0],
                     ib.emptyOf({index(H), stepB, index(Dh)}),
                     ArrayRef<int64_t>{1, 0, 2})
                     .getResult()[0];
      Value rFlat = ib.merge(rArg, 2, 2);
      Value hr = linalg::BatchMatmulOp::create(
                     rewriter, loc, ValueRange{hT, rFlat},
                     ValueRange{ib.zerosOf({index(H), stepB, index(G * Dh)})})
                     .getResult(0);
      hr = ib.split(hr, 2, {G, Dh});
      // The cell over (b, h, j), reading gate g through constant map
      // entries: G blocks of xw_t, G of hr, (G of b_r), then the states.
      SmallVector<Value> ins;
      SmallVector<AffineMap> maps;
      auto gateMap = [&](int64_t g) {
        return AffineMap::get(3, 0, {d(0), getAffineConstantExpr(g, ctx), d(1), d(2)}, ctx);
      };
      for (int64_t g = 0; g < G; ++g) {
        ins.push_back(xt);
        maps.push_back(gateMap(g));
      }
      for (int64_t g = 0; g < G; ++g) {
        ins.push_back(hr);
        maps.push_back(AffineMap::get(
            3, 0, {d(1), d(0), getAffineConstantExpr(g, ctx), d(2)}, ctx));
      }
      if (rbArg)
        for (int64_t g = 0; g < G; ++g) {
          ins.push_back(rbArg);
          maps.push_back(AffineMap::get(3, 0, {getAffineConstantExpr(g, ctx), d(1), d(2)}, ctx));
        }
      AffineMap identity = AffineMap::getMultiDimIdentityMap(3, ctx);
      for (Value s : states) {
        ins.push_back(s);
        maps.push_back(identity);
      }
      SmallVector<Value> outs;
      for (size_t s = 0; s < numStates; ++s) {
        outs.push_back(ib.empty(stateType, ib.sizesOf(states[0])));
        maps.push_back(identity);
      }
      ValueRange next = ib.generic(
          ins, outs, maps, {}, [&](OpBuilder &b, Location l, ValueRange args) {
            SmallVector<Value> argsCopy(args.begin(), args.end());
            ArrayRef<Value> all(argsCopy);
            ArrayRef<Value> xg = all.take_front(G);
            ArrayRef<Value> hg = all.slice(G, G);
            ArrayRef<Value> rb = rbArg ? all.slice(2 * G, G) : ArrayRef<Value>();
            ArrayRef<Value> prev = all.slice(rbArg ? 3 * G : 2 * G, numStates);
            linalg::YieldOp::create(b, l, cellMath(b, l, cell, xg, hg, rb, prev));
          });
      SmallVector<Value> yielded(next.begin(), next.end());
      yielded.push_back(next[0]); // the per-step output is h
      seq::YieldOp::create(rewriter, loc, yielded);
    }

    // Back to the declared layouts and element types.
    Type yElement = op.getY().getType().getElementType();
    SmallVector<Value> results = {eb.convertElements(
        eb.merge(recurrence.getOutputs()[0], 2, 2), yElement)};
    for (auto [s, finalState] : llvm::enumerate(op.getFinalStates()))
      results.push_back(eb.convertElements(
          eb.merge(recurrence.getFinalStates()[s], 1, 2),
          cast<RankedTensorType>(finalState.getType()).getElementType()));
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void seqc::seqnn::populateExpandClassicRNNPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandClassicRNN<ElmanOp>, ExpandClassicRNN<LSTMOp>,
               ExpandClassicRNN<GRUOp>, ExpandClassicRNN<SLSTMOp>>(
      patterns.getContext());
}
