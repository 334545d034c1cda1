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

namespace {
/// Where a layer has a dynamic size the expansions cannot build: only the
/// classic recurrent layers take a dynamic batch and time, on their input
/// (dimensions 0, 1), initial states (0) and results (0, and 1 of y).
/// Returns failure after reporting it on the op.
LogicalResult checkDynamicSizes(Operation *op) {
  bool classic = isa<seqc::seqnn::ElmanOp, seqc::seqnn::LSTMOp,
                     seqc::seqnn::GRUOp, seqc::seqnn::SLSTMOp>(op);
  auto check = [&](Type type, unsigned allowedDims, StringRef what,
                   unsigned index) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor)
      return success();
    for (int64_t d = 0; d < tensor.getRank(); ++d) {
      if (!tensor.isDynamicDim(d) || d < allowedDims)
        continue;
      InFlightDiagnostic diag = op->emitOpError()
                                << what << " #" << index << " (" << type
                                << ") has a dynamic dimension " << d;
      if (classic)
        diag.attachNote() << "only the batch (dimension 0) and time "
                             "(dimension 1) of the input, initial states and "
                             "results may be dynamic; weights are static";
      else
        diag.attachNote() << "dynamic batch and time are supported by the "
                             "classic recurrent layers (elman, lstm, gru, "
                             "slstm) so far";
      return failure();
    }
    return success();
  };
  auto isInitialState = [&](Value value) {
    return llvm::TypeSwitch<Operation *, bool>(op)
        .Case<seqc::seqnn::ElmanOp, seqc::seqnn::LSTMOp, seqc::seqnn::GRUOp,
              seqc::seqnn::SLSTMOp>([&](auto layer) {
          return llvm::is_contained(layer.getInit(), value);
        })
        .Default(false);
  };
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    // Operand 0 is the input sequence.
    unsigned allowed = !classic ? 0 : i == 0 ? 2 : isInitialState(operand);
    if (failed(check(operand.getType(), allowed, "operand", i)))
      return failure();
  }
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    if (failed(check(result.getType(), !classic ? 0 : i == 0 ? 2 : 1,
                     "result", i)))
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
