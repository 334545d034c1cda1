//===- WorkgroupAllocasPass.cpp - seq-workgroup-allocas -------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace seqc {
#define GEN_PASS_DEF_SEQWORKGROUPALLOCAS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqWorkgroupAllocasPass
    : seqc::impl::SeqWorkgroupAllocasBase<SeqWorkgroupAllocasPass> {
  void runOnOperation() override {
    SmallVector<memref::AllocaOp> allocas;
    getOperation().walk([&](memref::AllocaOp alloca) {
      if (seqc::seq::WorkgroupMarker::isPresent(alloca))
        allocas.push_back(alloca);
    });
    for (memref::AllocaOp alloca : allocas) {
      auto launch = dyn_cast<gpu::LaunchOp>(alloca->getParentOp());
      if (!launch) {
        alloca.emitOpError("marked seq.workgroup outside a gpu.launch body");
        return signalPassFailure();
      }
      MemRefType type = alloca.getType();
      auto shared = MemRefType::get(
          type.getShape(), type.getElementType(), type.getLayout(),
          gpu::AddressSpaceAttr::get(
              &getContext(), gpu::GPUDialect::getWorkgroupAddressSpace()));
      BlockArgument attribution =
          launch.addWorkgroupAttribution(shared, alloca.getLoc());
      alloca.getResult().replaceAllUsesWith(attribution);
      alloca.erase();
    }
  }
};
} // namespace
