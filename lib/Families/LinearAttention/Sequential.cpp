//===- Sequential.cpp - sequential form of seq.linear_attention -----------===//
//
// One scf.for over time: S = diag(exp(g)) S + k v^T, o = scale S^T q, each
// step parallel over batch, heads and channels (lowerMatrixStateLoop).
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/MatrixStateLoop.h"
#include "lib/Families/LinearAttention/LinearAttention.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

using Dims = SmallVector<unsigned>;

struct LowerLinearAttention : OpRewritePattern<LinearAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Value k = op.getK(), v = op.getV(), gate = op.getGate();
    GateKind kind = op.getGateKind();
    // S = diag(exp(g)) S + k v^T, in place.
    auto update = [&](LoopBuilder &ib, Value t, Value state, Type compute) {
      SmallVector<Value> ins = {ib.extractTimeSlice(k, t),
                                ib.extractTimeSlice(v, t)};
      SmallVector<Dims> maps = {Dims{0, 1, 2}, Dims{0, 1, 3}};
      if (gate) {
        ins.push_back(ib.extractTimeSlice(gate, t));
        maps.push_back(kind == GateKind::scalar ? Dims{0, 1} : Dims{0, 1, 2});
      }
      return ib.generic(
          ins, {state}, maps, {Dims{0, 1, 2, 3}}, 4, {},
          [&](OpBuilder &eb, Location el, ValueRange args) {
            LoopBuilder sb(eb, el);
            Value s = sb.convert(args.back(), compute);
            if (gate) {
              Value alpha =
                  math::ExpOp::create(eb, el, sb.convert(args[2], compute));
              s = arith::MulFOp::create(eb, el, s, alpha);
            }
            Value kv =
                arith::MulFOp::create(eb, el, sb.convert(args[0], compute),
                                      sb.convert(args[1], compute));
            Value next = arith::AddFOp::create(eb, el, s, kv);
            linalg::YieldOp::create(eb, el, next);
          })[0];
    };
    return lowerMatrixStateLoop(op, rewriter, op.getQ(), k, v, op.getInit(),
                                op.getFinalState().getType(),
                                op.getOutput().getType(), op.getScaleAttr(),
                                update);
  }
};

} // namespace

void seqc::families::populateLinearAttentionSequentialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinearAttention>(patterns.getContext());
}
