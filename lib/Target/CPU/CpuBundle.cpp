//===- CpuBundle.cpp - the CPU artifact bundle of `seqc compile` ----------===//
//
// The bundle: an object file compiled for the host, a C header, a small C
// file that adapts plain pointers to MLIR's memref descriptors, and a
// shared library of both, linked against the MLIR runner utilities and
// libomp that the compiled code calls, and a JSON manifest of the functions.
//
//===----------------------------------------------------------------------===//
#include "seqc/Target/CPU/CpuBundle.h"

#include "seqc/Target/CPU/CpuExecutable.h"
#include "seqc/Target/HostABI.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace seqc {

/// The compiled code's allocation functions (finalize-memref-to-llvm's
/// generic ones), hidden in the library: a failed allocation jumps back to
/// the entry point, which returns 1.
static constexpr const char *kCheckedAllocations = R"c(#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static _Thread_local jmp_buf *seqc_out_of_memory_target;

/* Invalid offsets of a packed batch (seq.packed): status 3. The compiled
 * code calls it through its C-interface name. */
__attribute__((visibility("hidden"))) void
_mlir_ciface_seqc_invalid_packed_offsets(void) {
  if (seqc_out_of_memory_target)
    longjmp(*seqc_out_of_memory_target, 3);
  fprintf(stderr, "seqc: invalid packed offsets\n");
  abort();
}

__attribute__((noreturn)) static void seqc_out_of_memory(uint64_t size) {
  if (seqc_out_of_memory_target)
    longjmp(*seqc_out_of_memory_target, 1);
  fprintf(stderr, "seqc: out of memory: could not allocate %llu bytes in a "
                  "worker thread\n", (unsigned long long)size);
  abort();
}

/* Large temporaries are kept for the next call. A compiled function
 * allocates its temporaries on every call; glibc maps blocks above its mmap
 * threshold (at most 32 MiB) fresh each time and unmaps them on free, so
 * every call page-faults over all of them again (an LSTM layer at B16
 * T1024 H256 ran 1.4x its time in the JIT, whose process keeps freed
 * memory). Freed blocks of at least 1 MiB wait in a few slots for an
 * allocation they fit without wasting more than half; the slots hold at
 * most 2 GiB. Each block carries its size and the offset of the user's
 * pointer in the 16 bytes before that pointer. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

enum { seqc_cache_slots = 8 };
static const uint64_t seqc_cached_least = (uint64_t)1 << 20;
static const uint64_t seqc_cached_most = (uint64_t)2 << 30;
static struct { char *base; uint64_t size, alignment; }
    seqc_cache[seqc_cache_slots];
static uint64_t seqc_cached_bytes;
static pthread_mutex_t seqc_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static void *seqc_allocate(uint64_t alignment, uint64_t size) {
  if (alignment < 16)
    alignment = 16;
  if (size > UINT64_MAX - alignment)
    seqc_out_of_memory(size);
  uint64_t total = size + alignment;
  char *base = 0;
  if (size >= seqc_cached_least) {
    pthread_mutex_lock(&seqc_cache_lock);
    for (int i = 0; i < seqc_cache_slots; ++i) {
      if (seqc_cache[i].base && seqc_cache[i].size >= total &&
          seqc_cache[i].size / 2 <= total &&
          seqc_cache[i].alignment % alignment == 0) {
        base = seqc_cache[i].base;
        total = seqc_cache[i].size;
        alignment = seqc_cache[i].alignment;
        seqc_cached_bytes -= total;
        seqc_cache[i].base = 0;
        break;
      }
    }
    pthread_mutex_unlock(&seqc_cache_lock);
  }
  if (!base) {
    void *p = 0;
    if (posix_memalign(&p, alignment, total) != 0)
      seqc_out_of_memory(size);
    base = (char *)p;
  }
  char *user = base + alignment;
  uint64_t header[2] = {total, alignment};
  memcpy(user - 16, header, 16);
  return user;
}

__attribute__((visibility("hidden"))) void *
_mlir_memref_to_llvm_alloc(uint64_t size) {
  return seqc_allocate(16, size);
}

__attribute__((visibility("hidden"))) void *
_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment, uint64_t size) {
  return seqc_allocate(alignment, size);
}

__attribute__((visibility("hidden"))) void _mlir_memref_to_llvm_free(void *p) {
  if (!p)
    return;
  uint64_t header[2];
  memcpy(header, (char *)p - 16, 16);
  char *base = (char *)p - header[1];
  if (header[0] - header[1] >= seqc_cached_least) {
    pthread_mutex_lock(&seqc_cache_lock);
    for (int i = 0; i < seqc_cache_slots; ++i) {
      if (!seqc_cache[i].base &&
          seqc_cached_bytes + header[0] <= seqc_cached_most) {
        seqc_cache[i].base = base;
        seqc_cache[i].size = header[0];
        seqc_cache[i].alignment = header[1];
        seqc_cached_bytes += header[0];
        base = 0;
        break;
      }
    }
    pthread_mutex_unlock(&seqc_cache_lock);
  }
  free(base);
}

)c";

llvm::Expected<std::vector<std::string>>
writeCpuBundle(ArrayRef<func::FuncOp> functions, ModuleOp lowered,
               const std::string &stem, const std::string &directory) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return llvm::createStringError("cannot create '" + directory +
                                   "': " + ec.message());
  std::string base = directory + "/" + stem;
  std::string object = base + ".o", header = base + ".h",
              adapter = base + "_abi.c",
              library = directory + "/lib" + stem + ".so";

  if (llvm::Error err = emitHostObjectFile(lowered, object))
    return llvm::createStringError("cannot emit '" + object +
                                   "': " + llvm::toString(std::move(err)));

  std::string headerText;
  {
    llvm::raw_string_ostream os(headerText);
    std::string guard = headerGuard(stem);
    os << "/* Generated by seqc from " << stem << ".mlir; do not edit.\n"
       << " * Each function returns 0, or 1 when it could not allocate its\n"
       << " * temporaries (out of memory; its outputs are then undefined),\n"
       << " * or 2 when a dynamic size (batch, time) is below 1 or a buffer\n"
       << " * of those sizes would not fit in 64 bits, or 3 when the offsets\n"
       << " * of a packed batch are not 0, strictly increasing, the total\n"
       << " * length, with one state row per sequence. A `?` in a type below\n"
       << " * is `batch` in dimension 0 and `time` in dimension 1, `offsets`\n"
       << " * in a 1-D i64 tensor (offsets = batch + 1).\n"
       << " * Buffers are contiguous row-major;\n"
       << " * inputs are not modified. bf16 and f16 elements are passed as\n"
       << " * their 16-bit patterns (uint16_t), complex<f32> as interleaved\n"
       << " * (re, im) float pairs. */\n"
       << "#ifndef " << guard << "\n#define " << guard << "\n\n"
       << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n"
       << "#endif\n\n";
    for (func::FuncOp function : functions) {
      emitParameterComment(os, function);
      os << prototype(function, /*withStream=*/false) << ";\n\n";
    }
    os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  }
  if (llvm::Error err = writeTextFile(header, headerText))
    return std::move(err);

  std::string adapterText;
  {
    llvm::raw_string_ostream os(adapterText);
    os << "/* Generated by seqc: plain pointers to MLIR memref descriptors. "
          "*/\n#include \""
       << stem << ".h\"\n\n"
       << kCheckedAllocations;
    emitDescriptorTypes(os, functions);
    for (func::FuncOp function : functions) {
      emitCifaceDeclaration(os, function);
      os << "\n" << prototype(function, /*withStream=*/false) << " {\n";
      emitDynamicSizeChecks(os, function);
      os << "  jmp_buf target;\n"
         << "  jmp_buf *saved = seqc_out_of_memory_target;\n"
         << "  seqc_out_of_memory_target = &target;\n"
         << "  int status = setjmp(target);\n"
         << "  if (status) {\n"
         << "    seqc_out_of_memory_target = saved;\n"
         << "    return status;\n  }\n";
      emitDescriptors(os, parametersOf(function));
      emitCifaceCall(os, function);
      os << "  seqc_out_of_memory_target = saved;\n  return 0;\n}\n";
    }
  }
  if (llvm::Error err = writeTextFile(adapter, adapterText))
    return std::move(err);

  // The manifest: what a caller that binds the library at run time (the
  // Python package) needs to know of each function.
  llvm::json::Array functionList;
  for (func::FuncOp function : functions) {
    llvm::json::Array parameters;
    for (const Parameter &p : parametersOf(function)) {
      llvm::json::Array shape;
      for (int64_t d : p.type.getShape())
        shape.push_back(ShapedType::isDynamic(d) ? int64_t(-1) : d);
      parameters.push_back(llvm::json::Object{
          {"name", p.name},
          {"direction", p.isOutput ? "out" : "in"},
          {"dtype", dtypeName(*hostElementTypeOf(p.type))},
          {"shape", std::move(shape)}});
    }
    llvm::json::Array sizes;
    for (const std::string &name : dynamicSizesOf(function).names())
      sizes.push_back(name);
    functionList.push_back(llvm::json::Object{
        {"name", function.getSymName().str()},
        {"symbol", "seqc_" + function.getSymName().str()},
        {"dynamic_sizes", std::move(sizes)},
        {"parameters", std::move(parameters)}});
  }
  std::string manifest = base + ".manifest.json";
  if (llvm::Error err = writeTextFile(
          manifest,
          llvm::formatv("{0:2}\n",
                        llvm::json::Value(llvm::json::Object{
                            {"format", "seqc-cpu-bundle-1"},
                            {"module", stem},
                            {"library", "lib" + stem + ".so"},
                            {"functions", std::move(functionList)}}))
              .str()))
    return std::move(err);

  std::string runtimeDir =
      llvm::sys::path::parent_path(runnerUtilsLibrary()).str();
  if (llvm::Error err = linkSharedLibrary(
          library, {object, adapter, "-L" + runtimeDir,
                    "-lmlir_c_runner_utils", "-lomp",
                    "-Wl,-rpath," + runtimeDir, "-lm"}))
    return std::move(err);
  return std::vector<std::string>{object, header, adapter, library, manifest};
}

} // namespace seqc
