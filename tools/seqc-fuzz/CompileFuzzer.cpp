//===- CompileFuzzer.cpp - libFuzzer target: the compiler pipelines -------===//
//
// Any text as a model file: what parses and verifies is compiled as `seqc`
// compiles it, through the CPU pipeline to LLVM IR and through the sm_90
// pipeline to PTX (in-process NVPTX code generation; ptxas is not run).
// A pass may reject the model with a diagnostic; a crash, an assertion, a
// sanitizer report or a module the next stage cannot take is a defect.
//
//===----------------------------------------------------------------------===//
#include "FuzzContext.h"

#include "seqc/Pipelines/CpuPipeline.h"
#include "seqc/Pipelines/GpuPipeline.h"

#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

// A failing pass pipeline is an accepted outcome (the model was rejected
// with a diagnostic); what it must not do is crash.
static void compileForCpu(ModuleOp model) {
  OwningOpRef<ModuleOp> module = model.clone();
  PassManager pm(module->getContext());
  if (failed(seqc::buildCpuPipeline(pm)) || failed(pm.run(*module)))
    return;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext);
  // A module the CPU pipeline accepted must translate.
  if (!llvmModule)
    __builtin_trap();
}

static void compileForGpu(ModuleOp model) {
  OwningOpRef<ModuleOp> module = model.clone();
  PassManager pm(module->getContext());
  if (failed(seqc::buildGpuPipeline(pm, "sm_90")))
    return;
  GpuModuleToBinaryPassOptions toPtx;
  toPtx.toolkitPath = "/usr/local/cuda";
  toPtx.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(toPtx));
  (void)pm.run(*module);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Parsed where only the model dialects exist (as the parse target does),
  // then moved into the compiler's context: the fuzzer explores seqc, not
  // the parsers of every upstream dialect the compiler registers.
  auto model = seqc::fuzz::parseModel(data, size, seqc::fuzz::modelContext());
  if (!model)
    return 0;
  std::string text;
  llvm::raw_string_ostream os(text);
  model->print(os);
  auto module =
      parseSourceString<ModuleOp>(text, &seqc::fuzz::compilerContext());
  // What verified prints and parses back.
  if (!module)
    __builtin_trap();
  compileForCpu(*module);
  compileForGpu(*module);
  return 0;
}
