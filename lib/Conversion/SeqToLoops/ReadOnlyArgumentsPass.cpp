//===- ReadOnlyArgumentsPass.cpp - seq-readonly-arguments -----------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQREADONLYARGUMENTS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqReadOnlyArgumentsPass
    : seqc::impl::SeqReadOnlyArgumentsBase<SeqReadOnlyArgumentsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isPrivate() || func.isExternal())
      return;
    OpBuilder builder(func.getContext());
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (isa<TensorType>(func.getArgument(i).getType()))
        func.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        builder.getBoolAttr(false));
  }
};
} // namespace
