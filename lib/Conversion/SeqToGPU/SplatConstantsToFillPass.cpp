//===- SplatConstantsToFillPass.cpp - seq-splat-constants-to-fill ---------===//
#include "seqc/Conversion/SeqToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace seqc {
#define GEN_PASS_DEF_SEQSPLATCONSTANTSTOFILL
#include "lib/Conversion/GPUPasses.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqSplatConstantsToFillPass
    : seqc::impl::SeqSplatConstantsToFillBase<SeqSplatConstantsToFillPass> {
  void runOnOperation() override {
    getOperation().walk([&](arith::ConstantOp constant) {
      auto type = dyn_cast<RankedTensorType>(constant.getType());
      if (!type)
        return;
      auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
      // Other constants bufferize to host globals, which seq-device-buffers
      // copies to the device.
      if (!dense || !dense.isSplat() || !type.hasStaticShape())
        return;
      OpBuilder b(constant);
      Location loc = constant.getLoc();
      Value scalar = arith::ConstantOp::create(
          b, loc, cast<TypedAttr>(dense.getSplatValue<Attribute>()));
      Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                            type.getElementType());
      Value filled =
          linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
      constant.replaceAllUsesWith(filled);
      constant.erase();
    });
  }
};
} // namespace
