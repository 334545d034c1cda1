//===- ContractionLoopOrderPass.cpp ---------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

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

struct ContractionLoopOrderPass
    : seqc::impl::SeqContractionLoopOrderBase<ContractionLoopOrderPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> contractions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (linalg::isaContractionOpInterface(op) && op.getNumDpsInits() == 1 &&
          !vectorFriendlyOrder(op).empty())
        contractions.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : contractions) {
      SmallVector<unsigned> order = vectorFriendlyOrder(op);
      rewriter.setInsertionPoint(op);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> generalized =
            linalg::generalizeNamedOp(rewriter, op);
        if (failed(generalized))
          continue;
        generic = *generalized;
      }
      if (failed(linalg::interchangeGenericOp(rewriter, generic, order)))
        continue;
    }
  }
};

} // namespace
