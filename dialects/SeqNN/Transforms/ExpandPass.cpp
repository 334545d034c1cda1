//===- ExpandPass.cpp - seqnn-expand --------------------------------------===//
#include "Passes.h"

#include "dialects/SeqNN/IR/SeqNNDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc::seqnn {
#define GEN_PASS_DEF_SEQNNEXPAND
#include "dialects/SeqNN/Transforms/Passes.h.inc"
} // namespace seqc::seqnn

using namespace mlir;

void seqc::seqnn::populateSeqNNExpandPatterns(RewritePatternSet &patterns) {
  populateExpandClassicRNNPatterns(patterns);
  populateExpandStateSpacePatterns(patterns);
  populateExpandAttentionPatterns(patterns);
}

SmallVector<Value> seqc::seqnn::initialStatesOf(Operation *op) {
  using namespace seqc::seqnn;
  SmallVector<Value> states;
  llvm::TypeSwitch<Operation *>(op)
      .Case<LRUOp, S4DOp>([&](auto layer) {
        for (Value v : {layer.getInitRe(), layer.getInitIm()})
          if (v)
            states.push_back(v);
      })
      .Case<ElmanOp, LSTMOp, GRUOp, SLSTMOp, AarenOp, AttentionOp>(
          [&](auto layer) { llvm::append_range(states, layer.getInit()); })
      .Case<MambaOp, RGLRUOp, RetNetOp, GLAOp, Mamba2Op, DeltaNetOp,
            GatedDeltaNetOp>([&](auto layer) {
        if (Value v = layer.getInit())
          states.push_back(v);
      });
  return states;
}

namespace {
/// Where a layer has a dynamic size the expansions cannot build. Every
/// layer takes a dynamic batch and time: dimensions 0 and 1 of its input
/// (operand 0) and output (result 0), dimension 0 of its initial and final
/// states; weights are static. (The attention layer's caches grow by T, so
/// with a dynamic T their length would be dynamic: not supported.)
/// Returns failure after reporting it on the op.
LogicalResult checkDynamicSizes(Operation *op) {
  auto check = [&](Type type, unsigned allowedDims, StringRef what,
                   unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return success();
    for (int64_t d = allowedDims; d < tensor.getRank(); ++d) {
      if (!tensor.isDynamicDim(d))
        continue;
      InFlightDiagnostic diag = op->emitOpError()
                                << what << " #" << index << " (" << type
                                << ") has a dynamic dimension " << d;
      diag.attachNote()
          << "only the batch (dimension 0) and time (dimension 1) of the "
             "input and output, and the batch of the states, may be dynamic; "
             "weights are static";
      return failure();
    }
    return success();
  };
  SmallVector<Value> initial = seqc::seqnn::initialStatesOf(op);
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    unsigned allowed = i == 0 ? 2 : llvm::is_contained(initial, operand);
    if (failed(check(operand.getType(), allowed, "operand", i)))
      return failure();
  }
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (failed(check(result.getType(), i == 0 ? 2 : 1, "result", i)))
      return failure();
  return success();
}

struct SeqNNExpandPass
    : seqc::seqnn::impl::SeqNNExpandBase<SeqNNExpandPass> {
  void runOnOperation() override {
    WalkResult sizes = getOperation()->walk([&](Operation *op) {
      if (isa<seqc::seqnn::SeqNNDialect>(op->getDialect()) &&
          failed(checkDynamicSizes(op)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (sizes.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    seqc::seqnn::populateSeqNNExpandPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A layer left over has no expansion: say so.
    bool leftOver = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<seqc::seqnn::SeqNNDialect>(op->getDialect())) {
        op->emitOpError("has no expansion yet");
        leftOver = true;
      }
    });
    if (leftOver)
      signalPassFailure();
  }
};
} // namespace
