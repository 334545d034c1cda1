//===- LowerToGPUKernelsPass.cpp - seq-lower-to-gpu-kernels ---------------===//
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "dialects/Seq/IR/SeqOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace seqc {
#define GEN_PASS_DEF_SEQLOWERTOGPUKERNELS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqLowerToGPUKernelsPass
    : seqc::impl::SeqLowerToGPUKernelsBase<SeqLowerToGPUKernelsPass> {
  void runOnOperation() override {
    seqc::clampChunkSizes(getOperation());
    getOperation()->walk([](func::FuncOp function) {
      int64_t k = 0;
      function.walk([&](seqc::FormLoweringOpInterface op) {
        if (!op.hasGpuKernelLowering())
          return;
        seqc::seq::KernelPrefixOf::set(
            op, StringAttr::get(op->getContext(), function.getSymName() +
                                                      "_scan" +
                                                      std::to_string(k++)));
      });
    });
    RewritePatternSet patterns(&getContext());
    llvm::SmallDenseSet<OperationName> seen;
    getOperation()->walk([&](seqc::FormLoweringOpInterface op) {
      if (op.hasGpuKernelLowering() && seen.insert(op->getName()).second)
        op.populateGpuKernelPatterns(patterns);
    });
    // Only the seq ops change; nothing else is to be folded here.
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
  }
};
} // namespace
