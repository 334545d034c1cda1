//===- FuzzContext.cpp - the MLIR contexts of the fuzz targets ------------===//
#include "FuzzContext.h"

#include "seqc/InitAll.h"
#include "seqc/Support/InputGuards.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

using namespace mlir;

static MLIRContext *makeContext(const DialectRegistry &registry) {
  auto *context = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
  context->loadAllAvailableDialects();
  context->getDiagEngine().registerHandler([](Diagnostic &) {
    return success();
  });
  return context;
}

MLIRContext &seqc::fuzz::modelContext() {
  static MLIRContext *context = [] {
    DialectRegistry registry;
    registry.insert<arith::ArithDialect, complex::ComplexDialect,
                    func::FuncDialect, linalg::LinalgDialect,
                    math::MathDialect, scf::SCFDialect,
                    tensor::TensorDialect>();
    seqc::registerAllDialects(registry);
    return makeContext(registry);
  }();
  return *context;
}

MLIRContext &seqc::fuzz::compilerContext() {
  static MLIRContext *context = [] {
    seqc::registerAllPasses();
    DialectRegistry registry;
    mlir::registerAllDialects(registry);
    mlir::registerAllExtensions(registry);
    seqc::registerAllDialects(registry);
    mlir::registerAllToLLVMIRTranslations(registry);
    return makeContext(registry);
  }();
  return *context;
}

OwningOpRef<ModuleOp> seqc::fuzz::parseModel(const uint8_t *data, size_t size,
                                             MLIRContext &context) {
  // NUL-terminated, as a file read by seqc is (MLIR's lexer reads up to
  // the terminator; libFuzzer's buffers have none).
  std::string text(reinterpret_cast<const char *>(data), size);
  if (seqc::findIndexDenseArray(text))
    return nullptr;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}
