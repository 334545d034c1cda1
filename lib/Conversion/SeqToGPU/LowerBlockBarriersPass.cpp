//===- LowerBlockBarriersPass.cpp - seq-lower-block-barriers --------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace seqc {
#define GEN_PASS_DEF_SEQLOWERBLOCKBARRIERS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqLowerBlockBarriersPass
    : seqc::impl::SeqLowerBlockBarriersBase<SeqLowerBlockBarriersPass> {
  void runOnOperation() override {
    getOperation().walk([](seqc::seq::BlockBarrierOp barrier) {
      OpBuilder b(barrier);
      gpu::BarrierOp::create(b, barrier.getLoc());
      barrier.erase();
    });
  }
};
} // namespace
