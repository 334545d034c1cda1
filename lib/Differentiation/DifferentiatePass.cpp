//===- DifferentiatePass.cpp - seq-differentiate --------------------------===//
#include "seqc/Differentiation/Differentiate.h"
#include "seqc/Differentiation/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace seqc {
#define GEN_PASS_DEF_SEQDIFFERENTIATE
#include "lib/Differentiation/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {
struct DifferentiatePass
    : seqc::impl::SeqDifferentiateBase<DifferentiatePass> {
  using SeqDifferentiateBase::SeqDifferentiateBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> selected;
    if (functions.empty()) {
      for (auto function : module.getOps<func::FuncOp>())
        if (!function.isExternal())
          selected.push_back(function);
    } else {
      for (const std::string &name : functions) {
        auto function = module.lookupSymbol<func::FuncOp>(name);
        if (!function) {
          module.emitError("seq-differentiate: no function @") << name;
          return signalPassFailure();
        }
        selected.push_back(function);
      }
    }
    if (checkpointEvery < 0) {
      module.emitError("seq-differentiate: checkpoint-every must be >= 0, "
                       "got ")
          << checkpointEvery;
      return signalPassFailure();
    }
    if (memoryBudget < 0) {
      module.emitError("seq-differentiate: memory-budget must be >= 0, got ")
          << memoryBudget;
      return signalPassFailure();
    }
    seqc::ad::DifferentiationOptions options;
    options.checkpointEvery = checkpointEvery;
    options.memoryBudget = memoryBudget;
    for (func::FuncOp function : selected)
      if (failed(seqc::ad::differentiateFunction(function, options)))
        return signalPassFailure();
  }
};
} // namespace
