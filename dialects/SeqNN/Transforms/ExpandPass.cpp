//===- ExpandPass.cpp - seqnn-expand --------------------------------------===//
#include "Passes.h"

#include "mlir/IR/PatternMatch.h"
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
struct SeqNNExpandPass
    : seqc::seqnn::impl::SeqNNExpandBase<SeqNNExpandPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    seqc::seqnn::populateSeqNNExpandPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A layer left over has no expansion (or needs static shapes): say so.
    bool leftOver = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<seqc::seqnn::SeqNNDialect>(op->getDialect())) {
        op->emitOpError("has no expansion yet (or has dynamic shapes, which "
                        "seqnn-expand does not support)");
        leftOver = true;
      }
    });
    if (leftOver)
      signalPassFailure();
  }
};
} // namespace
