//===- ContractionLoopOrderPass.cpp ---------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCONTRACTIONLOOPORDER
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// The loop order (parallel..., reduction..., n) for `op`, with n the loop
/// of the output's innermost index, as an interchange vector (new position
/// -> old loop); empty when that is the current order or there is no such
/// n.
SmallVector<unsigned> vectorFriendlyOrder(linalg::LinalgOp op) {
  AffineMap output = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (output.getNumResults() == 0)
    return {};
  auto innermost = dyn_cast<AffineDimExpr>(output.getResults().back());
  if (!innermost)
    return {};
  unsigned n = innermost.getPosition();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<unsigned> order;
  for (unsigned loop = 0; loop < iterators.size(); ++loop)
    if (loop != n && iterators[loop] == utils::IteratorType::parallel)
      order.push_back(loop);
  for (unsigned loop = 0; loop < iterators.size(); ++loop)
    if (iterators[loop] != utils::IteratorType::parallel)
      order.push_back(loop);
  order.push_back(n);
  bool identity = llvm::all_of(llvm::enumerate(order), [](auto entry) {
    return entry.index() == entry.value();
  });
  return identity ? SmallVector<unsigned>() : order;
}

/// A generic whose one result accumulates products: out + a * b or
/// out - a * b (a contraction by another name, e.g. a triangular solve's
/// row update), which linalg's contraction interface does not recognize.
bool isMultiplyAccumulate(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() == 0)
    return false;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Operation *update = yield.getOperand(0).getDefiningOp();
  if (!update || !isa<arith::AddFOp, arith::SubFOp>(update))
    return false;
  Value accumulator = body.getArgument(body.getNumArguments() - 1);
  Value lhs = update->getOperand(0), rhs = update->getOperand(1);
  Value product = lhs == accumulator                                 ? rhs
                  : rhs == accumulator && isa<arith::AddFOp>(update) ? lhs
                                                                     : Value();
  return product && product.getDefiningOp<arith::MulFOp>();
}

struct ContractionLoopOrderPass
    : seqc::impl::SeqContractionLoopOrderBase<ContractionLoopOrderPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<unsigned>>> reorder;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.getNumDpsInits() != 1 ||
          !(linalg::isaContractionOpInterface(op) || isMultiplyAccumulate(op)))
        return;
      if (SmallVector<unsigned> order = vectorFriendlyOrder(op); !order.empty())
        reorder.push_back({op, std::move(order)});
    });
    IRRewriter rewriter(&getContext());
    for (auto &[op, order] : reorder) {
      rewriter.setInsertionPoint(op);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue;
        generic = *generalized;
      }
      // A permutation of the op's own loops: it cannot fail.
      (void)linalg::interchangeGenericOp(rewriter, generic, order);
    }
  }
};

} // namespace
