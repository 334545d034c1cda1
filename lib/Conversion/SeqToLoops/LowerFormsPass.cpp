//===- LowerFormsPass.cpp - seq-lower-forms -------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQLOWERFORMS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqLowerFormsPass
    : seqc::impl::SeqLowerFormsBase<SeqLowerFormsPass> {
  void runOnOperation() override {
    seqc::clampChunkSizes(getOperation());
    RewritePatternSet patterns(&getContext());
    seqc::populateFormLoweringPatterns(getOperation(), patterns);
    // Patterns nest (a recurrence body may hold seq ops); the walk below
    // reports whatever no pattern could take.
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
    bool failedAny = false;
    getOperation()->walk([&](seqc::seq::FormOpInterface op) {
      std::string blocker = seqc::formLoweringBlocker(op);
      op->emitOpError() << (blocker.empty() ? "could not be lowered" : blocker);
      failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
