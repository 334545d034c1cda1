//===- SeqDialectTest.cpp - the seq dialect through its C++ API -----------===//
//
// What a pass author relies on: building ops and attributes from C++,
// reading the form through the interface, and verifier diagnostics that
// carry the op's location.
//
//===----------------------------------------------------------------------===//
#include "dialects/Seq/IR/SeqOps.h"
#include "seqc/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace seqc::seq;

namespace {

class SeqDialectTest : public ::testing::Test {
protected:
  SeqDialectTest() {
    DialectRegistry registry;
    seqc::registerAllDialects(registry);
    registry.insert<func::FuncDialect>();
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `source`, collecting diagnostics instead of printing them.
  OwningOpRef<ModuleOp> parse(StringRef source) {
    return parseSourceString<ModuleOp>(source, &context);
  }

  MLIRContext context;
};

TEST_F(SeqDialectTest, FormAttrRoundTripsItsParameters) {
  auto form = FormAttr::get(&context, FormKind::chunkwise, std::nullopt,
                            /*chunk_size=*/64, /*block_threads=*/128,
                            std::nullopt, std::nullopt, std::nullopt,
                            std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(form.getKind(), FormKind::chunkwise);
  EXPECT_EQ(form.getChunkSize(), 64);
  EXPECT_EQ(form.getBlockThreads(), 128);
  EXPECT_FALSE(form.getItemsPerThread().has_value());

  std::string text;
  llvm::raw_string_ostream os(text);
  Attribute(form).print(os);
  EXPECT_EQ(text, "#seq.form<chunkwise, chunk_size = 64, block_threads = 128>");
}

TEST_F(SeqDialectTest, FormAttrRejectsInvalidParameters) {
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  auto emitDiagnostic = [&] { return emitError(UnknownLoc::get(&context)); };
  llvm::function_ref<InFlightDiagnostic()> emitFn = emitDiagnostic;
  std::optional<int64_t> unset;
  auto form = FormAttr::getChecked(emitFn, &context, FormKind::parallel,
                                   std::optional(SequentialVariant::fused),
                                   unset, unset, unset, unset, unset, unset,
                                   unset, unset);
  EXPECT_FALSE(form);
  EXPECT_EQ(message, "form parameter 'variant' applies to the sequential "
                     "form only, not to 'parallel'");
}

TEST_F(SeqDialectTest, BuildsAndVerifiesALinearScan) {
  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  auto module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module.getBody());
  auto seqType = RankedTensorType::get({2, 37, 8}, builder.getF32Type());
  auto stateType = RankedTensorType::get({2, 8}, builder.getF32Type());
  auto func = func::FuncOp::create(
      builder, loc, "scan", builder.getFunctionType({seqType, seqType}, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  auto scan = LinearScanOp::create(builder, loc, seqType, stateType,
                                   entry->getArgument(0),
                                   entry->getArgument(1), Value(), nullptr);
  func::ReturnOp::create(builder, loc);
  EXPECT_TRUE(succeeded(verify(module)));

  // The interface lists the forms the lowering offers for this op.
  auto formOp = cast<FormOpInterface>(scan.getOperation());
  EXPECT_EQ(formOp.getValidFormKinds(),
            (SmallVector<FormKind>{FormKind::sequential, FormKind::prefix,
                                   FormKind::chunkwise}));
  EXPECT_FALSE(formOp.getFormAttr());
  scan.setFormAttr(FormAttr::get(&context, FormKind::prefix, std::nullopt,
                                 16, std::nullopt, std::nullopt,
                                 std::nullopt, std::nullopt, std::nullopt,
                                 std::nullopt, std::nullopt));
  EXPECT_EQ(formOp.getFormAttr().getKind(), FormKind::prefix);
  module.erase();
}

TEST_F(SeqDialectTest, ValidFormsOfSoftmaxAttentionDependOnTheQuery) {
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%q3: tensor<1x2x4xf32>, %q4: tensor<1x8x2x4xf32>) {
      %o, %m, %u, %w = seq.softmax_attention %q3, %q4, %q4
          : (tensor<1x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
          -> (tensor<1x8x2x4xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2x4xf32>)
      %o2, %k, %v = seq.softmax_attention %q4, %q4, %q4
          : (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
          -> (tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>, tensor<1x8x2x4xf32>)
      return
    })mlir");
  ASSERT_TRUE(module);
  SmallVector<SoftmaxAttentionOp> ops;
  module->walk([&](SoftmaxAttentionOp op) { ops.push_back(op); });
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_TRUE(ops[0].hasTimeInvariantQuery());
  EXPECT_TRUE(llvm::is_contained(ops[0].getValidFormKinds(), FormKind::prefix));
  EXPECT_FALSE(ops[1].hasTimeInvariantQuery());
  EXPECT_FALSE(llvm::is_contained(ops[1].getValidFormKinds(), FormKind::prefix));
  EXPECT_TRUE(llvm::is_contained(ops[1].getValidFormKinds(), FormKind::parallel));
}

TEST_F(SeqDialectTest, VerifierErrorsCarryTheOpLocation) {
  std::string message;
  unsigned line = 0;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    if (auto fileLoc = dyn_cast<FileLineColLoc>(diag.getLocation()))
      line = fileLoc.getLine();
    return success();
  });
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    func.func @f(%a: tensor<2x8x4xf32>, %b: tensor<2x8x3xf32>) {
      %h, %f = seq.linear_scan %a, %b
          : (tensor<2x8x4xf32>, tensor<2x8x3xf32>) -> (tensor<2x8x4xf32>, tensor<2x4xf32>)
      return
    })mlir");
  EXPECT_FALSE(module);
  EXPECT_EQ(line, 3u);
  EXPECT_EQ(message, "'seq.linear_scan' op operands 'a' and 'b' must have the "
                     "same shape, got [2, 8, 4] and [2, 8, 3]");
}

} // namespace
