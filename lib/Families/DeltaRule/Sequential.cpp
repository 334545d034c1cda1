//===- Sequential.cpp - sequential form of seq.delta_rule -----------------===//
//
// One scf.for over time: S = a (S - beta k (k^T S)) + beta k v^T,
// o = scale S^T q (lowerMatrixStateLoop).
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToLoops/MatrixStateLoop.h"
#include "lib/Families/DeltaRule/DeltaRule.h"
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

struct LowerDeltaRule : OpRewritePattern<DeltaRuleOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DeltaRuleOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasSequentialForm(op))
      return failure();
    Value k = op.getK(), v = op.getV(), beta = op.getBeta(),
          gate = op.getGate();
    auto update = [&](LoopBuilder &ib, Value t, Value state, Type compute) {
      Value kT = ib.extractTimeSlice(k, t), vT = ib.extractTimeSlice(v, t);
      // kS[b, h, j] = sum_i k[b, h, i] S[b, h, i, j]
      auto vType = cast<RankedTensorType>(vT.getType());
      Value kS = ib.multiplyAccumulate(
          kT, state,
          ib.zeros(RankedTensorType::get(vType.getShape(), compute),
                   ib.sizesOf(vT)),
          {Dims{0, 1, 3}, Dims{0, 1, 3, 2}}, Dims{0, 1, 2}, 4, {3}, compute);
      SmallVector<Value> ins = {kT, vT, kS, ib.extractTimeSlice(beta, t)};
      SmallVector<Dims> maps = {Dims{0, 1, 2}, Dims{0, 1, 3}, Dims{0, 1, 3},
                                Dims{0, 1}};
      if (gate) {
        ins.push_back(ib.extractTimeSlice(gate, t));
        maps.push_back(Dims{0, 1});
      }
      // S = alpha (S - beta k kS) + beta k v, in place.
      return ib.generic(
          ins, {state}, maps, {Dims{0, 1, 2, 3}}, 4, {},
          [&](OpBuilder &eb, Location el, ValueRange args) {
            LoopBuilder sb(eb, el);
            Value key = sb.convert(args[0], compute);
            Value value = sb.convert(args[1], compute);
            Value strength = sb.convert(args[3], compute);
            Value s = sb.convert(args.back(), compute);
            Value betaKey = arith::MulFOp::create(eb, el, strength, key);
            Value erase = arith::MulFOp::create(eb, el, betaKey, args[2]);
            Value kept = arith::SubFOp::create(eb, el, s, erase);
            if (gate) {
              Value alpha =
                  math::ExpOp::create(eb, el, sb.convert(args[4], compute));
              kept = arith::MulFOp::create(eb, el, alpha, kept);
            }
            Value write = arith::MulFOp::create(eb, el, betaKey, value);
            Value next = arith::AddFOp::create(eb, el, kept, write);
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

void seqc::families::populateDeltaRuleSequentialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerDeltaRule>(patterns.getContext());
}
