//===- seq-opt.cpp - the opt tool of seqc ---------------------------------===//
//
// MlirOptMain with the upstream dialects and passes plus seq and seqnn.
// Every seqc pass and pipeline is registered here, so that anything the
// driver does can be reproduced and lit-tested step by step.
//
//===----------------------------------------------------------------------===//
#include "seqc/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  seqc::registerAllPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  seqc::registerAllDialects(registry);
  // gpu-module-to-binary translates kernels to LLVM IR.
  mlir::registerAllToLLVMIRTranslations(registry);

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "seqc optimizer driver\n", registry));
}
