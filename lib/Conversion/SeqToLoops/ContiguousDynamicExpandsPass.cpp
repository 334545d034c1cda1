//===- ContiguousDynamicExpandsPass.cpp - seq-contiguous-dynamic-expands --===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace seqc {
#define GEN_PASS_DEF_SEQCONTIGUOUSDYNAMICEXPANDS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
/// True when some reassociation group has more than one dynamic size.
bool splitsDynamicSize(memref::ExpandShapeOp op) {
  MemRefType result = op.getResultType();
  for (const ReassociationIndices &group : op.getReassociationIndices())
    if (llvm::count_if(group, [&](int64_t d) {
          return result.isDynamicDim(d);
        }) > 1)
      return true;
  return false;
}

struct SeqContiguousDynamicExpandsPass
    : seqc::impl::SeqContiguousDynamicExpandsBase<
          SeqContiguousDynamicExpandsPass> {
  void runOnOperation() override {
    SmallVector<memref::ExpandShapeOp> expands;
    getOperation()->walk([&](memref::ExpandShapeOp op) {
      if (splitsDynamicSize(op))
        expands.push_back(op);
    });
    for (memref::ExpandShapeOp op : expands) {
      MemRefType source = op.getSrcType();
      if (!source.getLayout().isIdentity()) {
        op.emitOpError("splits a dynamic size of a strided view into several "
                       "dynamic sizes, which the LLVM lowering cannot "
                       "handle; the source must be contiguous");
        return signalPassFailure();
      }
      OpBuilder b(op);
      Location loc = op.getLoc();
      SmallVector<OpFoldResult> sizes = op.getMixedOutputShape();
      // Row-major strides of the (contiguous) result.
      SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
      for (int64_t d = static_cast<int64_t>(sizes.size()) - 2; d >= 0; --d) {
        std::optional<int64_t> inner = getConstantIntValue(strides[d + 1]);
        std::optional<int64_t> size = getConstantIntValue(sizes[d + 1]);
        if (inner && size) {
          strides[d] = b.getIndexAttr(*inner * *size);
          continue;
        }
        strides[d] = arith::MulIOp::create(
                         b, loc,
                         getValueOrCreateConstantIndexOp(b, loc, strides[d + 1]),
                         getValueOrCreateConstantIndexOp(b, loc, sizes[d + 1]))
                         .getResult();
      }
      SmallVector<int64_t> staticStrides;
      for (OpFoldResult stride : strides)
        staticStrides.push_back(
            getConstantIntValue(stride).value_or(ShapedType::kDynamic));
      MemRefType result = op.getResultType();
      auto viewType = MemRefType::get(
          result.getShape(), result.getElementType(),
          StridedLayoutAttr::get(b.getContext(), 0, staticStrides),
          result.getMemorySpace());
      Value view = memref::ReinterpretCastOp::create(
          b, loc, viewType, op.getSrc(), b.getIndexAttr(0), sizes, strides);
      // The users expect the identity layout the expand_shape had.
      if (viewType != result)
        view = memref::CastOp::create(b, loc, result, view);
      op.replaceAllUsesWith(view);
      op.erase();
    }
  }
};
} // namespace
