//===- FamilyRegistrationTest.cpp - the families through their interfaces -===//
//
// The generic passes and tools reach a seq primitive only through the
// interfaces its family attaches: with seqc::registerAllDialects every
// primitive has them; with the dialect alone, seq-lower-forms says the
// family is missing instead of failing silently or crashing.
//
//===----------------------------------------------------------------------===//
#include "autotune/FormCostModelInterface.h"
#include "dialects/Seq/IR/SeqDialect.h"
#include "dialects/Seq/IR/SeqOps.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Conversion/SeqToLoops.h"
#include "seqc/Evaluation/ReferenceInterface.h"
#include "seqc/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

constexpr const char *kLinearScan = R"mlir(
func.func @f(%a: tensor<2x8x4xf32>, %b: tensor<2x8x4xf32>) -> tensor<2x8x4xf32> {
  %h, %last = seq.linear_scan %a, %b : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> (tensor<2x8x4xf32>, tensor<2x4xf32>)
  return %h : tensor<2x8x4xf32>
}
)mlir";

/// Whether `Op` carries all three family interfaces in `context`.
template <typename Op> bool hasFamily(MLIRContext &context) {
  std::optional<RegisteredOperationName> name =
      RegisteredOperationName::lookup(Op::getOperationName(), &context);
  return name && name->hasInterface<seqc::FormLoweringOpInterface>() &&
         name->hasInterface<seqc::autotune::FormCostModelOpInterface>() &&
         name->hasInterface<seqc::eval::ReferenceOpInterface>();
}

/// Runs seq-lower-forms on kLinearScan in `context`; returns whether it
/// succeeded and collects its diagnostics in `messages`.
bool lowerForms(MLIRContext &context, std::string &messages) {
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    messages += d.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kLinearScan, &context);
  if (!module)
    return false;
  PassManager pm(&context);
  pm.addPass(seqc::createSeqLowerForms());
  return succeeded(pm.run(*module));
}

TEST(FamilyRegistration, EveryPrimitiveHasItsFamily) {
  DialectRegistry registry;
  seqc::registerAllDialects(registry);
  registry.insert<func::FuncDialect, scf::SCFDialect, linalg::LinalgDialect,
                  tensor::TensorDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  using namespace seqc::seq;
  EXPECT_TRUE(hasFamily<LinearScanOp>(context));
  EXPECT_TRUE(hasFamily<ScanOp>(context));
  EXPECT_TRUE(hasFamily<RecurrenceOp>(context));
  EXPECT_TRUE(hasFamily<LinearAttentionOp>(context));
  EXPECT_TRUE(hasFamily<DeltaRuleOp>(context));
  EXPECT_TRUE(hasFamily<SoftmaxAttentionOp>(context));

  std::string messages;
  EXPECT_TRUE(lowerForms(context, messages)) << messages;
}

TEST(FamilyRegistration, MissingFamilyIsReported) {
  // The dialects alone: the ops parse and verify, but nothing can lower
  // them.
  DialectRegistry registry;
  registry.insert<seqc::seq::SeqDialect, func::FuncDialect, scf::SCFDialect,
                  linalg::LinalgDialect, tensor::TensorDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  EXPECT_FALSE(hasFamily<seqc::seq::LinearScanOp>(context));

  std::string messages;
  EXPECT_FALSE(lowerForms(context, messages));
  EXPECT_NE(messages.find("has no form lowerings registered"),
            std::string::npos)
      << messages;
}

} // namespace
