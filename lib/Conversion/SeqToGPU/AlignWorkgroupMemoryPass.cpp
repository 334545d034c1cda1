//===- AlignWorkgroupMemoryPass.cpp - seq-align-workgroup-memory ----------===//
//
// A kernel's shared-memory buffers become LLVM globals in address space 3.
// LLVM's optimizer treats an array global over 16 bytes without an explicit
// alignment as 16-byte aligned (its preferred alignment) and vectorizes
// shared-memory loads on that basis (ld.shared.v4 over four gates of the
// fused RNN step), while the NVPTX printer declares such a global with its
// element type's alignment (`.shared .align 4`). Every workgroup buffer gets
// an explicit 16-byte alignment, so that the declaration promises what the
// vector accesses assume.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace seqc {
#define GEN_PASS_DEF_SEQALIGNWORKGROUPMEMORY
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct AlignWorkgroupMemoryPass
    : seqc::impl::SeqAlignWorkgroupMemoryBase<AlignWorkgroupMemoryPass> {
  void runOnOperation() override {
    getOperation().walk([](gpu::GPUFuncOp kernel) {
      Builder b(kernel.getContext());
      for (unsigned i = 0; i < kernel.getNumWorkgroupAttributions(); ++i)
        kernel.setWorkgroupAttributionAttr(
            i, LLVM::LLVMDialect::getAlignAttrName(),
            b.getI64IntegerAttr(kSharedAlignment));
    });
  }
  static constexpr int64_t kSharedAlignment = 16;
};
} // namespace
