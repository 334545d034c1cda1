//===- ParseVerifyFuzzer.cpp - libFuzzer target: parse and verify ---------===//
//
// Any text as a model file: parsed and verified with the seq and seqnn
// dialects (and the upstream dialects models use). Every outcome is a
// diagnostic or a module; a crash, a sanitizer report or a verified module
// that does not print is a defect. The seq and seqnn dialects (their
// parsers, printers and verifiers) are compiled into this target with the
// fuzzer's instrumentation; MLIR itself is Debian's, uninstrumented.
//
//===----------------------------------------------------------------------===//
#include "dialects/Seq/IR/SeqOps.h"
#include "dialects/SeqNN/IR/SeqNNDialect.h"
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
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static MLIRContext &context() {
  static MLIRContext *ctx = [] {
    DialectRegistry registry;
    registry.insert<arith::ArithDialect, complex::ComplexDialect,
                    func::FuncDialect, linalg::LinalgDialect,
                    math::MathDialect, scf::SCFDialect,
                    tensor::TensorDialect, seqc::seq::SeqDialect,
                    seqc::seqnn::SeqNNDialect>();
    auto *c = new MLIRContext(registry, MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    // Diagnostics are the expected outcome; keep them off stderr.
    c->getDiagEngine().registerHandler([](Diagnostic &) { return success(); });
    return c;
  }();
  return *ctx;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // NUL-terminated, as a file read by seqc is (MLIR's lexer reads up to
  // the terminator; libFuzzer's buffers have none).
  std::string text(reinterpret_cast<const char *>(data), size);
  // An upstream parser crash seqc guards against the same way.
  if (seqc::findIndexDenseArray(text))
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context());
  if (!module || failed(verify(*module)))
    return 0;
  // A verified module prints (custom forms, attributes).
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  return 0;
}
