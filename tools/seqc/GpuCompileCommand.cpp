//===- GpuCompileCommand.cpp - the GPU bundle of `seqc compile` -----------===//
//
// `seqc compile FILE --target=sm_80|sm_90 -o DIR` writes:
//   <stem>.ptx, <stem>.cubin   every kernel of the file, one module
//   <stem>.ptxas.txt           `ptxas -v` for the chip (registers, spills,
//                              shared memory per kernel)
//   <stem>.h, <stem>_abi.c     C header and the adapter from pointers to
//                              memref descriptors
//   lib<stem>.so               host code (cubin embedded, loaded when the
//                              library is), one entry point per function:
//                                int seqc_f(void *stream, inputs..., outputs...)
//                                int seqc_f_packed(void *stream, void **buffers)
//                              returning a SEQC_RT_* code; message from
//                              seqc_last_error()
//   libseqc_gpu_runtime.so     the runtime it links (found via $ORIGIN)
//   <stem>.manifest.json       functions, parameters (name, dtype, shape),
//                              kernels with launch configurations and
//                              ptxas resources
//   check/                     seeded inputs and the reference
//                              interpreter's outputs, for seqc-gpu-check
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "autotune/CostModel.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Conversion/SeqToGPU.h"

#include "seqc/Pipelines/GpuPipeline.h"
#include "seqc/Runtime/GpuRuntime.h"
#include "seqc/Target/CPU/CpuExecutable.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace seqc::driver {
namespace {

int runPipeline(ModuleOp module, const std::string &pipeline) {
  PassManager pm(module.getContext());
  std::string errors;
  llvm::raw_string_ostream os(errors);
  if (failed(parsePassPipeline(pipeline, pm, os)))
    return fail("internal error: pipeline '" + pipeline + "': " + errors);
  if (failed(pm.run(module)))
    return fail("GPU compilation failed (see the diagnostics above)");
  return 0;
}

int writeFile(const std::string &path, StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return fail("cannot write '" + path + "': " + ec.message());
  os << contents;
  return 0;
}

/// Resources of every kernel from a `ptxas -v` report.
struct KernelResources {
  int64_t registers = -1, sharedBytes = 0, stackBytes = 0, spillStores = 0,
          spillLoads = 0;
};
std::map<std::string, KernelResources> parsePtxasReport(StringRef report) {
  std::map<std::string, KernelResources> kernels;
  std::string current;
  llvm::Regex entry("Compiling entry function '([^']+)'");
  llvm::Regex frame("([0-9]+) bytes stack frame, ([0-9]+) bytes spill "
                    "stores, ([0-9]+) bytes spill loads");
  llvm::Regex used("Used ([0-9]+) registers");
  llvm::Regex smem("([0-9]+) bytes smem");
  SmallVector<StringRef> lines, m;
  report.split(lines, '\n');
  for (StringRef line : lines) {
    if (entry.match(line, &m)) {
      current = m[1].str();
      kernels[current];
      continue;
    }
    if (current.empty())
      continue;
    KernelResources &k = kernels[current];
    if (frame.match(line, &m)) {
      m[1].getAsInteger(10, k.stackBytes);
      m[2].getAsInteger(10, k.spillStores);
      m[3].getAsInteger(10, k.spillLoads);
    }
    if (used.match(line, &m))
      m[1].getAsInteger(10, k.registers);
    if (smem.match(line, &m))
      m[1].getAsInteger(10, k.sharedBytes);
  }
  return kernels;
}

std::string findPtxas() {
  if (llvm::sys::fs::can_execute("/usr/local/cuda/bin/ptxas"))
    return "/usr/local/cuda/bin/ptxas";
  if (auto path = llvm::sys::findProgramByName("ptxas"))
    return *path;
  return "";
}

/// The directory of libseqc_gpu_runtime.so: next to the seqc binary's
/// ../lib.
std::string runtimeLibrary() {
  std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(self)));
  llvm::sys::path::append(path, "lib", "libseqc_gpu_runtime.so");
  return path.str().str();
}

int64_t constantOf(Value v) {
  if (auto c = v.getDefiningOp<LLVM::ConstantOp>())
    if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
      return i.getInt();
  return -1;
}

} // namespace

/// The tiling of every seq op of `function` (seq level, forms chosen) with
/// what the cost model assumed about its kernels' resources, so that the
/// ptxas report can be held against it (test/Driver/check_bundles.py):
/// kernels "<kernel_prefix>_*" must stay within `assumed_registers` and
/// spill nothing.
static llvm::json::Array tilingOf(func::FuncOp function,
                                  const std::string &target) {
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
      entry["kernel_prefix"] = (function.getSymName() + "_scan" +
                                llvm::Twine(scans++))
                                   .str();
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

int writeGpuBundle(Program &program, ArrayRef<func::FuncOp> functions,
                   const std::string &target, const std::string &stem,
                   const std::string &directory,
                   const std::vector<HostTensor> &inputs, bool checkVectors,
                   uint64_t seed) {
  std::string chip = gpuChipOf(target);
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return fail("cannot create '" + directory + "': " + ec.message());
  std::string base = directory + "/" + stem;
  int rc;

  // Check vectors first: the reference runs on the seq-level program.
  std::vector<std::string> checkFiles;
  std::string checkedFunction;
  if (checkVectors) {
    std::vector<ref::Tensor> referenceInputs, expected;
    for (const HostTensor &input : inputs)
      referenceInputs.push_back(toReference(input));
    if ((rc = evaluateReference(program, referenceInputs, expected)))
      return fail("the reference interpreter could not run @" +
                  program.function.getSymName() +
                  "; pass --check-vectors=false to skip check vectors");
    std::string checkDir = directory + "/check";
    if (std::error_code ec = llvm::sys::fs::create_directories(checkDir))
      return fail("cannot create '" + checkDir + "': " + ec.message());
    checkedFunction = program.function.getSymName().str();
    FunctionType type = program.function.getFunctionType();
    auto save = [&](const std::string &name, const HostTensor &t) {
      std::string error;
      std::string path = checkDir + "/" + checkedFunction + "." + name + ".npy";
      if (!writeNpy(path, t, error))
        return fail(error);
      checkFiles.push_back("check/" + checkedFunction + "." + name + ".npy");
      return 0;
    };
    for (size_t i = 0; i < inputs.size(); ++i)
      if ((rc = save("in" + std::to_string(i), inputs[i])))
        return rc;
    for (size_t i = 0; i < expected.size(); ++i) {
      // Expected values in f32 whatever the output type: the tolerance is
      // the output type's, the reference keeps its precision.
      auto resultType = cast<RankedTensorType>(type.getResult(i));
      HostTensor t(ElementType::f32, std::vector<int64_t>(resultType.getShape()));
      for (int64_t j = 0; j < t.numElements(); ++j)
        t.set(j, expected[i].data[j]);
      if ((rc = save("expected" + std::to_string(i), t)))
        return rc;
    }
  }

  OwningOpRef<ModuleOp> lowered(cast<ModuleOp>(program.module->clone()));
  {
    PassManager pm(lowered->getContext());
    if (failed(buildGpuPipeline(pm, target, GpuStage::llvm, GpuStage::loops)))
      return 1;
    if (failed(pm.run(*lowered)))
      return fail("GPU compilation failed (see the diagnostics above)");
  }

  // Launch sites per host function, read before serialization.
  llvm::json::Object manifestFunctions;
  std::map<std::string, llvm::json::Array> launchesOf;
  lowered->walk([&](gpu::LaunchFuncOp launch) {
    // After the llvm stage every launch sits in the LLVM function of the
    // func.func it came from, under the same name.
    auto host = launch->getParentOfType<LLVM::LLVMFuncOp>();
    std::string hostName = host.getSymName().str();
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
    launchesOf[hostName].push_back(llvm::json::Object{
        {"kernel", launch.getKernelName().getValue().str()},
        {"grid", std::move(grid)},
        {"block", std::move(block)},
        {"dynamic_shared_bytes", dynamicShared ? constantOf(dynamicShared) : 0},
        {"in_loop", launch->getBlock() != &host.getBody().front()}});
  });

  // One serialization to PTX; one ptxas run that both assembles the cubin
  // the host code embeds and reports the resources the manifest records,
  // so the report describes exactly the shipped cubin. ptxas and libdevice
  // (math functions) come from the CUDA toolkit, named explicitly so that
  // MLIR's serializer finds them whatever PATH says.
  std::string ptxas = findPtxas();
  if (ptxas.empty())
    return fail("ptxas not found (looked in /usr/local/cuda/bin and PATH): "
                "the CUDA toolkit is needed to build GPU bundles");
  std::string toolkit =
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(ptxas)).str();
  if ((rc = runPipeline(*lowered, "gpu-module-to-binary{format=isa toolkit=" +
                                      toolkit + "}")))
    return rc;
  gpu::BinaryOp binary;
  lowered->walk([&](gpu::BinaryOp op) { binary = op; });
  auto ptxObject =
      binary ? dyn_cast<gpu::ObjectAttr>(binary.getObjects()[0]) : nullptr;
  if (!ptxObject)
    return fail("internal error: no kernels were produced");
  std::string ptxPath = base + ".ptx", cubinPath = base + ".cubin";
  if ((rc = writeFile(ptxPath, ptxObject.getObject().getValue())))
    return rc;
  std::string reportPath = base + ".ptxas.txt";
  {
    std::string arch = "-arch=" + chip;
    std::vector<StringRef> args = {ptxas, arch, "-v", ptxPath, "-o",
                                   cubinPath};
    std::optional<StringRef> redirects[] = {std::nullopt, StringRef(reportPath),
                                            StringRef(reportPath)};
    std::string message;
    if (llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 0, 0,
                                  &message) != 0)
      return fail("ptxas rejected '" + ptxPath + "' (see " + reportPath + ")" +
                  (message.empty() ? "" : ": " + message));
  }
  auto cubin = llvm::MemoryBuffer::getFile(cubinPath, /*IsText=*/false);
  if (!cubin)
    return fail("cannot read '" + cubinPath + "': " +
                cubin.getError().message());
  binary.setObjectsAttr(ArrayAttr::get(
      binary.getContext(),
      {gpu::ObjectAttr::get(
          binary.getContext(), ptxObject.getTarget(),
          gpu::CompilationTarget::Binary,
          StringAttr::get(binary.getContext(), (*cubin)->getBuffer()),
          ptxObject.getProperties(), ptxObject.getKernels())}));
  auto report = llvm::MemoryBuffer::getFile(reportPath);
  std::map<std::string, KernelResources> resources =
      parsePtxasReport(report ? (*report)->getBuffer() : "");

  std::string object = base + ".o", header = base + ".h",
              adapter = base + "_abi.c",
              library = directory + "/lib" + stem + ".so";
  if (llvm::Error err = emitHostObjectFile(*lowered, object, /*portable=*/true))
    return fail("cannot emit '" + object + "': " +
                llvm::toString(std::move(err)));

  {
    std::error_code ec;
    llvm::raw_fd_ostream os(header, ec);
    if (ec)
      return fail("cannot write '" + header + "': " + ec.message());
    std::string guard = headerGuard(stem);
    os << "/* Generated by seqc from " << stem << ".mlir for " << chip
       << "; do not edit.\n"
       << " * Every pointer is a device pointer to a contiguous row-major\n"
       << " * buffer, 16-byte aligned (cudaMalloc gives 256); inputs are not\n"
       << " * modified; buffers must not overlap.\n"
       << " * Work is queued on `stream` (a CUstream; NULL: the default\n"
       << " * stream): a call returns once its work is queued, like any CUDA\n"
       << " * library call; synchronize the stream before reading outputs on\n"
       << " * the host. Each function\n"
       << " * returns 0 or a SEQC_RT_* code (1 no CUDA driver, 2 no device,\n"
       << " * 3 driver error, 4 a pointer not 16-byte aligned);\n"
       << " * seqc_last_error() says what failed.\n"
       << " * bf16/f16 elements are their 16-bit patterns (uint16_t). */\n"
       << "#ifndef " << guard << "\n#define " << guard << "\n\n"
       << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n"
       << "#endif\n\nconst char *seqc_last_error(void);\n\n";
    for (func::FuncOp function : functions) {
      emitParameterComment(os, function);
      os << prototype(function, /*withStream=*/true) << ";\n"
         << "/* buffers[i]: the parameters above, in order. */\n"
         << "int seqc_" << function.getSymName()
         << "_packed(void *stream, void *const *buffers);\n\n";
    }
    os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  }
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(adapter, ec);
    if (ec)
      return fail("cannot write '" + adapter + "': " + ec.message());
    os << "/* Generated by seqc: device pointers to MLIR memref descriptors, "
          "calls bracketed by the runtime. */\n#include \"" << stem
       << ".h\"\n\nint seqc_rt_begin(void *stream);\nint seqc_rt_end(void);\n"
       << "int seqc_rt_reject(int code, const char *message);\n"
       << "const char *seqc_rt_last_message(void);\n\n"
       << "const char *seqc_last_error(void) { return "
          "seqc_rt_last_message(); }\n\n";
    emitDescriptorTypes(os, functions);
    for (func::FuncOp function : functions) {
      std::vector<Parameter> parameters = parametersOf(function);
      emitCifaceDeclaration(os, function);
      os << "\n" << prototype(function, /*withStream=*/true) << " {\n";
      // The kernels load 16 bytes at a time where they can (the tensor-core
      // kernels' staging): a misaligned buffer is an error, not a fault.
      for (const Parameter &p : parameters)
        os << "  if ((uintptr_t)" << p.name
           << " % 16 != 0)\n    return seqc_rt_reject(4, \"seqc_"
           << function.getSymName() << ": '" << p.name
           << "' is not 16-byte aligned\");\n";
      os << "  int status = seqc_rt_begin(stream);\n"
         << "  if (status != 0)\n    return status;\n";
      emitDescriptors(os, parameters);
      emitCifaceCall(os, function);
      os << "  return seqc_rt_end();\n}\n\n"
         << "int seqc_" << function.getSymName()
         << "_packed(void *stream, void *const *buffers) {\n"
         << "  return seqc_" << function.getSymName() << "(stream";
      for (size_t i = 0; i < parameters.size(); ++i)
        os << ", (" << (parameters[i].isOutput ? "" : "const ")
           << cTypeOf(*toElementType(parameters[i].type)) << " *)buffers["
           << i << "]";
      os << ");\n}\n";
    }
  }

  std::string runtime = runtimeLibrary();
  std::string bundledRuntime = directory + "/libseqc_gpu_runtime.so";
  if (std::error_code ec = llvm::sys::fs::copy_file(runtime, bundledRuntime))
    return fail("cannot copy the GPU runtime '" + runtime + "': " +
                ec.message());
  if ((rc = linkSharedLibrary(library, {object, adapter, "-L" + directory,
                                        "-lseqc_gpu_runtime",
                                        "-Wl,-rpath,$ORIGIN"})))
    return rc;

  // The manifest.
  llvm::json::Array functionList;
  for (func::FuncOp function : functions) {
    std::string name = function.getSymName().str();
    llvm::json::Array parameters;
    for (const Parameter &p : parametersOf(function)) {
      llvm::json::Array shape;
      for (int64_t d : p.type.getShape())
        shape.push_back(d);
      parameters.push_back(llvm::json::Object{
          {"name", p.name},
          {"direction", p.isOutput ? "out" : "in"},
          {"dtype", seqc::dtypeName(*toElementType(p.type))},
          {"shape", std::move(shape)}});
    }
    llvm::json::Object entry{{"name", name},
                             {"symbol", "seqc_" + name},
                             {"packed_symbol", "seqc_" + name + "_packed"},
                             {"parameters", std::move(parameters)},
                             {"launches", std::move(launchesOf[name])},
                             {"tiling", tilingOf(function, target)}};
    if (name == checkedFunction) {
      llvm::json::Array files;
      for (const std::string &f : checkFiles)
        files.push_back(f);
      entry["check"] = llvm::json::Object{{"seed", int64_t(seed)},
                                          {"files", std::move(files)}};
    }
    functionList.push_back(std::move(entry));
  }
  llvm::json::Array kernelList;
  for (auto &[name, k] : resources)
    kernelList.push_back(llvm::json::Object{
        {"name", name},
        {"registers", k.registers},
        {"shared_bytes", k.sharedBytes},
        {"stack_bytes", k.stackBytes},
        {"spill_store_bytes", k.spillStores},
        {"spill_load_bytes", k.spillLoads},
        // Launched with cuLaunchCooperativeKernel: every block resident.
        {"cooperative", bool(seqc_rt_is_cooperative_kernel(name.c_str()))}});
  llvm::json::Object manifest{
      {"format", "seqc-gpu-bundle-1"},
      {"target", target},
      {"chip", chip},
      {"module", stem},
      {"library", "lib" + stem + ".so"},
      {"ptx", stem + ".ptx"},
      {"cubin", stem + ".cubin"},
      {"functions", std::move(functionList)},
      {"kernels", std::move(kernelList)}};
  {
    std::error_code ec;
    std::string path = base + ".manifest.json";
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return fail("cannot write '" + path + "': " + ec.message());
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(manifest)))
       << "\n";
  }
  llvm::outs() << "seqc: wrote a " << chip << " bundle to " << directory
               << ": lib" << stem << ".so, " << stem << ".ptx, " << stem
               << ".cubin, " << stem << ".h, " << stem << ".manifest.json ("
               << resources.size() << " kernel"
               << (resources.size() == 1 ? "" : "s") << ")\n";
  return 0;
}

} // namespace seqc::driver
