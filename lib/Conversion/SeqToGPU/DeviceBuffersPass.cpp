//===- DeviceBuffersPass.cpp - seq-device-buffers -------------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace seqc {
#define GEN_PASS_DEF_SEQDEVICEBUFFERS
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// Buffers of index or i1 elements are the host bookkeeping of the buffer
/// deallocation pipeline (pointer lists and ownership flags, read by its
/// helper function); model data is never of those types.
bool isHostBookkeeping(MemRefType type) {
  return type.getElementType().isIndex() ||
         type.getElementType().isInteger(1);
}

struct SeqDeviceBuffersPass
    : seqc::impl::SeqDeviceBuffersBase<SeqDeviceBuffersPass> {
  void runOnOperation() override {
    bool failedAny = false;
    SmallVector<Operation *> hostOps;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      hostOps.push_back(op);
      return WalkResult::advance();
    });
    for (Operation *op : hostOps) {
      OpBuilder b(op);
      if (auto memrefOp = dyn_cast<memref::AllocOp>(op);
          memrefOp && isHostBookkeeping(memrefOp.getType()))
        continue;
      if (isa<memref::LoadOp, memref::StoreOp, memref::DeallocOp>(op)) {
        Value memref = isa<memref::LoadOp>(op) ? cast<memref::LoadOp>(op).getMemref()
                       : isa<memref::StoreOp>(op)
                           ? cast<memref::StoreOp>(op).getMemref()
                           : cast<memref::DeallocOp>(op).getMemref();
        if (isHostBookkeeping(cast<MemRefType>(memref.getType())))
          continue;
      }
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        auto device = gpu::AllocOp::create(
            b, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
            ValueRange{}, alloc.getDynamicSizes(), alloc.getSymbolOperands(),
            /*hostShared=*/nullptr);
        alloc.replaceAllUsesWith(device.getMemref());
        alloc.erase();
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        gpu::DeallocOp::create(b, dealloc.getLoc(), /*asyncToken=*/Type(),
                               ValueRange{}, dealloc.getMemref());
        dealloc.erase();
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        // A constant (a per-head decay table, say): copied to the device
        // where it is read, freed at every return.
        b.setInsertionPointAfter(global);
        auto device = gpu::AllocOp::create(
            b, global.getLoc(), global.getType(), /*asyncToken=*/Type(),
            ValueRange{}, ValueRange{}, ValueRange{}, /*hostShared=*/nullptr);
        gpu::MemcpyOp::create(b, global.getLoc(), /*asyncToken=*/Type(),
                              ValueRange{}, device.getMemref(),
                              global.getResult());
        global.getResult().replaceAllUsesExcept(device.getMemref(),
                                                device->getNextNode());
        if (!isa<func::FuncOp>(global->getParentOp())) {
          global.emitOpError("reads a constant inside a loop or branch; GPU "
                             "targets copy constants to the device only at "
                             "the function's top level");
          failedAny = true;
          continue;
        }
        global->getParentOp()->walk([&](func::ReturnOp ret) {
          OpBuilder rb(ret);
          gpu::DeallocOp::create(rb, ret.getLoc(), /*asyncToken=*/Type(),
                                 ValueRange{}, device.getMemref());
        });
      } else if (isa<memref::LoadOp, memref::StoreOp, memref::CopyOp,
                     memref::AllocaOp>(op)) {
        op->emitOpError()
            << "would run on the host against device memory; seqc has no "
               "kernel for it on GPU targets";
        failedAny = true;
      }
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
