//===- MergeGPUModulesPass.cpp - seq-merge-gpu-modules --------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace seqc {
#define GEN_PASS_DEF_SEQMERGEGPUMODULES
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqMergeGPUModulesPass
    : seqc::impl::SeqMergeGPUModulesBase<SeqMergeGPUModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> modules(module.getOps<gpu::GPUModuleOp>());
    if (modules.size() < 2)
      return;
    OpBuilder b(modules.front());
    auto merged =
        gpu::GPUModuleOp::create(b, module.getLoc(), "seqc_kernels");
    if (ArrayAttr targets = modules.front().getTargetsAttr())
      merged.setTargetsAttr(targets);
    SymbolTable mergedSymbols(merged);
    // Old @module::@kernel -> new @seqc_kernels::@module.
    llvm::DenseMap<Attribute, SymbolRefAttr> renamed;
    for (gpu::GPUModuleOp old : modules) {
      for (Operation &op : llvm::make_early_inc_range(old.getOps())) {
        auto kernel = dyn_cast<gpu::GPUFuncOp>(op);
        if (!kernel) {
          old.emitOpError("holds more than kernels; not merged");
          return signalPassFailure();
        }
        SymbolRefAttr from = SymbolRefAttr::get(
            old.getNameAttr(), {FlatSymbolRefAttr::get(kernel.getNameAttr())});
        kernel->moveBefore(merged.getBody(), merged.getBody()->end());
        kernel.setName(old.getName());
        renamed[from] = SymbolRefAttr::get(
            merged.getNameAttr(),
            {FlatSymbolRefAttr::get(kernel.getNameAttr())});
      }
      old.erase();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(launch.getKernel());
      if (it != renamed.end())
        launch.setKernelAttr(it->second);
    });
  }
};
} // namespace
