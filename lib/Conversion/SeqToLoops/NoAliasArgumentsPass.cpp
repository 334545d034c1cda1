//===- NoAliasArgumentsPass.cpp - seq-noalias-arguments -------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQNOALIASARGUMENTS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct SeqNoAliasArgumentsPass
    : seqc::impl::SeqNoAliasArgumentsBase<SeqNoAliasArgumentsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isPrivate() || func.isExternal())
      return;
    OpBuilder builder(func.getContext());
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (isa<MemRefType>(func.getArgument(i).getType()))
        func.setArgAttr(i, LLVM::LLVMDialect::getNoAliasAttrName(),
                        builder.getUnitAttr());
  }
};
} // namespace
