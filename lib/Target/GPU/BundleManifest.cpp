//===- BundleManifest.cpp - the manifest of a GPU bundle ------------------===//
//
// What seqc-gpu-check and users read about a bundle without loading it:
// each function's parameters, launches and tiling (the form of every seq
// op and the resources the cost model assumed for its kernels, held
// against ptxas's report by test/Driver/check_bundles.py), and every
// kernel's resources as ptxas reported them.
//
//===----------------------------------------------------------------------===//
#include "BundleManifest.h"

#include "autotune/CostModel.h"
#include "dialects/Seq/IR/SeqOps.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Runtime/GpuRuntime.h"
#include "seqc/Target/HostABI.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;

namespace seqc::gpu {
namespace {

int64_t constantOf(Value v) {
  if (auto c = v.getDefiningOp<LLVM::ConstantOp>())
    if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
      return i.getInt();
  return -1;
}

/// The tiling of every seq op of `function` (seq level, forms chosen) with
/// what the cost model assumed about its kernels' resources: kernels
/// "<kernel_prefix>_*" must stay within `assumed_registers` and spill
/// nothing.
llvm::json::Array tilingOf(func::FuncOp function, const std::string &target) {
  llvm::json::Array tiling;
  std::string error;
  std::optional<autotune::HardwareModel> hw =
      autotune::lookupTarget(target, error);
  int64_t scans = 0;
  function.walk([&](seq::FormOpInterface op) {
    seq::FormAttr form = op.getFormAttr();
    llvm::json::Object entry{{"op", op->getName().getStringRef().str()}};
    if (form) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << form;
      entry["form"] = text;
    }
    auto lowering = dyn_cast<FormLoweringOpInterface>(op.getOperation());
    if (lowering && lowering.hasGpuKernelLowering()) {
      entry["kernel_prefix"] =
          (function.getSymName() + "_scan" + llvm::Twine(scans++)).str();
      autotune::TileConfig config =
          form ? autotune::TileConfig::fromAttr(form) : autotune::TileConfig();
      // Tiles the form leaves out take the lowering's defaults.
      if (!config.blockThreads)
        config.blockThreads = kDefaultScanBlockThreads;
      if (!config.itemsPerThread)
        config.itemsPerThread = kDefaultScanItemsPerThread;
      if (!config.chunkSize)
        config.chunkSize = kDefaultScanChunkSize;
      if (hw)
        for (const autotune::FormModel &model :
             autotune::formModels(op, *hw).candidates)
          if (model.kind == config.kind && model.registersPerThread) {
            entry["assumed_registers"] = model.registersPerThread(config);
            entry["assumed_spill_bytes"] = 0;
            entry["assumed_shared_bytes"] = 0;
          }
    }
    tiling.push_back(std::move(entry));
  });
  return tiling;
}

} // namespace

std::map<std::string, llvm::json::Array> launchesOf(ModuleOp lowered) {
  std::map<std::string, llvm::json::Array> launches;
  lowered->walk([&](mlir::gpu::LaunchFuncOp launch) {
    // After the llvm stage every launch sits in the LLVM function of the
    // func.func it came from, under the same name.
    auto host = launch->getParentOfType<LLVM::LLVMFuncOp>();
    llvm::json::Array grid, block;
    for (Value v : {launch.getGridSizeX(), launch.getGridSizeY(),
                    launch.getGridSizeZ()})
      grid.push_back(constantOf(v));
    for (Value v : {launch.getBlockSizeX(), launch.getBlockSizeY(),
                    launch.getBlockSizeZ()})
      block.push_back(constantOf(v));
    // Dynamic shared memory (over the static 48 KiB, e.g. the fused RNN
    // step's weights): the runtime raises the kernel's limit to it.
    Value dynamicShared = launch.getDynamicSharedMemorySize();
    launches[host.getSymName().str()].push_back(llvm::json::Object{
        {"kernel", launch.getKernelName().getValue().str()},
        {"grid", std::move(grid)},
        {"block", std::move(block)},
        {"dynamic_shared_bytes", dynamicShared ? constantOf(dynamicShared) : 0},
        {"in_loop", launch->getBlock() != &host.getBody().front()}});
  });
  return launches;
}

llvm::json::Object bundleManifest(ManifestInputs in) {
  llvm::json::Array functionList;
  for (func::FuncOp function : in.functions) {
    std::string name = function.getSymName().str();
    llvm::json::Array parameters;
    for (const Parameter &p : parametersOf(function)) {
      llvm::json::Array shape;
      for (int64_t d : p.type.getShape())
        shape.push_back(d);
      parameters.push_back(llvm::json::Object{
          {"name", p.name},
          {"direction", p.isOutput ? "out" : "in"},
          {"dtype", seqc::dtypeName(*hostElementTypeOf(p.type))},
          {"shape", std::move(shape)}});
    }
    llvm::json::Object entry{{"name", name},
                             {"symbol", "seqc_" + name},
                             {"packed_symbol", "seqc_" + name + "_packed"},
                             {"parameters", std::move(parameters)},
                             {"launches", std::move(in.launches[name])},
                             {"tiling", tilingOf(function, in.target)}};
    if (name == in.checkedFunction) {
      llvm::json::Array files;
      for (const std::string &f : in.checkFiles)
        files.push_back(f);
      entry["check"] = llvm::json::Object{{"seed", int64_t(in.seed)},
                                          {"files", std::move(files)}};
    }
    functionList.push_back(std::move(entry));
  }
  llvm::json::Array kernelList;
  for (auto &[name, k] : in.resources)
    kernelList.push_back(llvm::json::Object{
        {"name", name},
        {"registers", k.registers},
        {"shared_bytes", k.sharedBytes},
        {"stack_bytes", k.stackBytes},
        {"spill_store_bytes", k.spillStores},
        {"spill_load_bytes", k.spillLoads},
        // Launched with cuLaunchCooperativeKernel: every block resident.
        {"cooperative", bool(seqc_rt_is_cooperative_kernel(name.c_str()))}});
  return llvm::json::Object{{"format", "seqc-gpu-bundle-1"},
                            {"target", in.target},
                            {"chip", in.chip},
                            {"module", in.stem},
                            {"library", "lib" + in.stem + ".so"},
                            {"ptx", in.stem + ".ptx"},
                            {"cubin", in.stem + ".cubin"},
                            {"functions", std::move(functionList)},
                            {"kernels", std::move(kernelList)}};
}

} // namespace seqc::gpu
