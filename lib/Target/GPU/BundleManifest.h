//===- BundleManifest.h - the manifest of a GPU bundle ---------*- C++ -*-===//
#ifndef SEQC_LIB_TARGET_GPU_BUNDLEMANIFEST_H
#define SEQC_LIB_TARGET_GPU_BUNDLEMANIFEST_H

#include "seqc/Target/GPU/Ptxas.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <string>
#include <vector>

namespace seqc::gpu {

/// The launches (kernel, grid, block, dynamic shared memory, whether in a
/// loop) of every host function of `lowered` (after the llvm stage, before
/// serialization), by function name.
std::map<std::string, llvm::json::Array> launchesOf(mlir::ModuleOp lowered);

struct ManifestInputs {
  std::string target, chip, stem;
  llvm::ArrayRef<mlir::func::FuncOp> functions; // seq level
  std::map<std::string, llvm::json::Array> launches;
  std::map<std::string, KernelResources> resources;
  std::string checkedFunction;
  std::vector<std::string> checkFiles;
  uint64_t seed = 0;
};

/// The manifest, format "seqc-gpu-bundle-1".
llvm::json::Object bundleManifest(ManifestInputs inputs);

} // namespace seqc::gpu

#endif // SEQC_LIB_TARGET_GPU_BUNDLEMANIFEST_H
