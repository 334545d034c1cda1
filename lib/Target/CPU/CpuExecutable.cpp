//===- CpuExecutable.cpp - JIT execution and object emission --------------===//
#include "seqc/Target/CPU/CpuExecutable.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <functional>

using namespace mlir;

namespace {
/// The entry a failed allocation of this thread jumps back to.
thread_local std::jmp_buf *outOfMemoryTarget = nullptr;
thread_local uint64_t outOfMemoryBytes = 0;

[[noreturn]] void outOfMemory(uint64_t bytes) {
  outOfMemoryBytes = bytes;
  if (outOfMemoryTarget)
    std::longjmp(*outOfMemoryTarget, 1);
  std::fprintf(stderr,
               "seqc: out of memory: compiled code could not allocate %llu "
               "bytes in a worker thread\n",
               static_cast<unsigned long long>(bytes));
  std::abort();
}
} // namespace

// Every block comes from malloc, over-allocated by its alignment, with the
// block's start in the word before the pointer returned. posix_memalign
// would split each block it carves: under the raised mmap threshold (see
// initializeHostTarget) the split-off pieces fragment the heap, and a
// second call of big_mamba grew it by all its temporaries again (peak
// memory doubled, time 2-3x). Blocks of one size from malloc are reused.
extern "C" void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment,
                                                    uint64_t size) {
  alignment = std::max<uint64_t>(alignment, sizeof(void *));
  uint64_t padding = alignment + sizeof(void *);
  if (size > UINT64_MAX - padding)
    outOfMemory(size);
  auto *block = static_cast<char *>(std::malloc(size + padding));
  if (!block)
    outOfMemory(size);
  uintptr_t start = reinterpret_cast<uintptr_t>(block) + sizeof(void *);
  auto *user = block + (llvm::alignTo(start, alignment) -
                        reinterpret_cast<uintptr_t>(block));
  std::memcpy(user - sizeof(void *), &block, sizeof(void *));
  return user;
}

extern "C" void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  return _mlir_memref_to_llvm_aligned_alloc(alignof(std::max_align_t), size);
}

extern "C" void _mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  void *block;
  std::memcpy(&block, static_cast<char *>(pointer) - sizeof(void *),
              sizeof(void *));
  std::free(block);
}

/// The allocation functions above return fresh memory, as malloc does; LLVM
/// knows that of malloc by name, not of these. Without `noalias` on their
/// results every temporary may alias the inputs and outputs, and the loop
/// vectorizer, facing run-time checks on each pair, left per-step loops
/// scalar (a scan chunk's 64 channels: one float at a time).
static void markAllocatorsNoAlias(llvm::Module &module) {
  for (const char *name :
       {"_mlir_memref_to_llvm_alloc", "_mlir_memref_to_llvm_aligned_alloc"})
    if (llvm::Function *allocator = module.getFunction(name))
      allocator->addRetAttr(llvm::Attribute::NoAlias);
}

/// Lets LLVM fuse each multiply with the add or subtract that uses it into
/// one fused multiply-add, as the GPU's compilers do by default: one
/// rounding instead of two, and half the latency on a chain of dependent
/// steps (a linear scan's h = a h + b; an exponential's polynomial).
static void allowContraction(llvm::Module &module) {
  for (llvm::Function &function : module)
    for (llvm::Instruction &instruction : llvm::instructions(function))
      if (isa<llvm::FPMathOperator>(instruction) &&
          (instruction.getOpcode() == llvm::Instruction::FMul ||
           instruction.getOpcode() == llvm::Instruction::FAdd ||
           instruction.getOpcode() == llvm::Instruction::FSub))
        instruction.setHasAllowContract(true);
}

/// seq.packed's offsets check failed (see seq-lower-packed): the call stops.
/// Called through its C-interface name (llvm-request-c-wrappers).
extern "C" void _mlir_ciface_seqc_invalid_packed_offsets() {
  if (outOfMemoryTarget)
    std::longjmp(*outOfMemoryTarget, 3);
  std::fprintf(stderr, "seqc: invalid packed offsets in a worker thread\n");
  std::abort();
}

namespace seqc {

bool PreparedCall::run() {
  std::jmp_buf target;
  std::jmp_buf *saved = outOfMemoryTarget;
  outOfMemoryTarget = &target;
  if (int status = setjmp(target)) {
    outOfMemoryTarget = saved;
    invalidOffsets = status == 3;
    failedBytes = invalidOffsets ? 0 : outOfMemoryBytes;
    return false;
  }
  function(packed.data());
  outOfMemoryTarget = saved;
  return true;
}

CpuExecutable::~CpuExecutable() = default;

StringRef runnerUtilsLibrary() {
  return "/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so";
}

StringRef openMPLibrary() { return "/usr/lib/llvm-22/lib/libomp.so"; }

static void initializeHostTarget(MLIRContext *context) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
#ifdef __GLIBC__
    // Compiled functions malloc their temporaries on every call. glibc
    // maps blocks above its (at most 32 MiB) threshold fresh each time and
    // unmaps them on free, so each call page-faults on all of its large
    // temporaries again (27% of a chunked GLA call at B=2 H=4 T=4096).
    // Keeping freed memory in the heap makes repeated calls reuse it, as
    // the caching allocators of GPU runtimes do.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
    return true;
  }();
  (void)initialized;
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);
}

llvm::Expected<std::unique_ptr<CpuExecutable>>
CpuExecutable::create(ModuleOp module, unsigned optLevel) {
  initializeHostTarget(module.getContext());
  // The optimizer needs the host's target machine: without it the loop
  // vectorizer sees no vector registers and leaves every loop scalar.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  std::unique_ptr<CpuExecutable> executable(new CpuExecutable());
  executable->machine = std::move(*machine);
  // `transformer` is a function_ref: the callable must outlive create().
  std::function<llvm::Error(llvm::Module *)> optimize =
      [transform = makeOptimizingTransformer(
           optLevel, 0, executable->machine.get())](llvm::Module *module) {
        markAllocatorsNoAlias(*module);
        allowContraction(*module);
        return transform(module);
      };
  ExecutionEngineOptions options;
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // Generated parallel loops call the OpenMP runtime (__kmpc_*).
  SmallVector<StringRef, 2> libraries;
  for (StringRef library : {runnerUtilsLibrary(), openMPLibrary()})
    if (llvm::sys::fs::exists(library))
      libraries.push_back(library);
  options.sharedLibPaths = libraries;
  // SEQC_JIT_OBJECT=path writes the JIT-compiled object, to inspect the
  // machine code that `seqc run` and the benchmarks execute.
  const char *objectPath = std::getenv("SEQC_JIT_OBJECT");
  options.enableObjectDump = objectPath != nullptr;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine)
    return engine.takeError();
  // The checked allocation functions of this process (see the header).
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
    add("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
    add("_mlir_memref_to_llvm_aligned_alloc",
        &_mlir_memref_to_llvm_aligned_alloc);
    add("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
    add("_mlir_ciface_seqc_invalid_packed_offsets",
        &_mlir_ciface_seqc_invalid_packed_offsets);
    return symbols;
  });
  if (objectPath)
    (*engine)->dumpToObjectFile(objectPath);
  executable->engine = std::move(*engine);
  return executable;
}

llvm::Expected<PreparedCall>
CpuExecutable::prepare(StringRef function, ArrayRef<MemRefArgument> arguments) {
  PreparedCall call;
  auto entry = engine->lookupPacked(("_mlir_ciface_" + function).str());
  if (!entry)
    return entry.takeError();
  call.function = *entry;
  // A ranked memref descriptor: allocated and aligned pointers, offset,
  // sizes, strides (row-major, contiguous).
  for (const MemRefArgument &argument : arguments) {
    size_t rank = argument.shape.size();
    std::vector<int64_t> descriptor(3 + 2 * rank);
    descriptor[0] = reinterpret_cast<int64_t>(argument.data);
    descriptor[1] = reinterpret_cast<int64_t>(argument.data);
    descriptor[2] = 0;
    int64_t stride = 1;
    for (size_t d = rank; d-- > 0;) {
      descriptor[3 + d] = argument.shape[d];
      descriptor[3 + rank + d] = stride;
      stride *= argument.shape[d];
    }
    call.descriptors.push_back(std::move(descriptor));
  }
  // The packed wrapper takes a pointer to each argument, here a pointer to
  // each descriptor; both vectors are complete before addresses are taken.
  for (auto &descriptor : call.descriptors)
    call.descriptorPointers.push_back(descriptor.data());
  for (void *&pointer : call.descriptorPointers)
    call.packed.push_back(&pointer);
  return call;
}

/// Moves every fixed-size alloca outside a function's entry block into it.
/// Upstream's gpu.launch_func translation allocas each launch's parameter
/// struct and pointer array at the launch: inside a step loop that is a
/// new stack slot per step, which never returns until the function does
/// (a sequential gated DeltaNet at T = 4096, four launches a step, overran
/// the 8 MiB stack on an H200 machine). The launch copies its parameters,
/// so one slot per launch site, reused every step, is equivalent; nothing
/// else in the host code keeps an alloca's address across iterations.
static void hoistStaticAllocas(llvm::Module &module) {
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    llvm::BasicBlock &entry = function.getEntryBlock();
    llvm::Instruction *insertBefore = &*entry.getFirstInsertionPt();
    for (llvm::BasicBlock &block : function) {
      if (&block == &entry)
        continue;
      for (llvm::Instruction &instruction :
           llvm::make_early_inc_range(block)) {
        auto *alloca = llvm::dyn_cast<llvm::AllocaInst>(&instruction);
        if (alloca && llvm::isa<llvm::ConstantInt>(alloca->getArraySize()))
          alloca->moveBefore(insertBefore->getIterator());
      }
    }
  }
}

llvm::Error emitHostObjectFile(ModuleOp module, StringRef path,
                               bool portable) {
  initializeHostTarget(module.getContext());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return llvm::createStringError("cannot translate the module to LLVM IR");

  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no LLVM target for the host: " + error);
  std::string features;
  if (!portable)
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      features += (feature.second ? "+" : "-") + feature.first().str() + ",";
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, portable ? "x86-64" : llvm::sys::getHostCPUName(), features, targetOptions,
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());
  hoistStaticAllocas(*llvmModule);
  markAllocatorsNoAlias(*llvmModule);
  allowContraction(*llvmModule);

  auto optimize = makeOptimizingTransformer(3, 0, machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return err;

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '" + path.str() +
                                   "': " + ec.message());
  llvm::legacy::PassManager passes;
  if (machine->addPassesToEmitFile(passes, out, nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the host target cannot emit objects");
  passes.run(*llvmModule);
  return llvm::Error::success();
}

} // namespace seqc
