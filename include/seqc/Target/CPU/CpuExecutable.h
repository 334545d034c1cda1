//===- CpuExecutable.h - JIT execution and object emission -----*- C++ -*-===//
#ifndef SEQC_TARGET_CPU_CPUEXECUTABLE_H
#define SEQC_TARGET_CPU_CPUEXECUTABLE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <vector>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace seqc {

/// A contiguous row-major buffer passed to a compiled function.
struct MemRefArgument {
  void *data;
  llvm::ArrayRef<int64_t> shape;
};

/// A call of one compiled function on fixed buffers, prepared once (symbol
/// looked up, memref descriptors built) so that repeated, timed runs do
/// nothing but call.
class PreparedCall {
public:
  /// Runs the function. False when one of its allocations failed (out of
  /// memory): the call stopped there, its outputs are undefined, and
  /// failedAllocationBytes() says what it asked for.
  [[nodiscard]] bool run();
  uint64_t failedAllocationBytes() const { return failedBytes; }
  /// Whether the failed call stopped at a packed batch's invalid offsets
  /// (seq.packed) rather than at an allocation.
  bool failedOnInvalidOffsets() const { return invalidOffsets; }

private:
  friend class CpuExecutable;
  void (*function)(void **) = nullptr;
  bool invalidOffsets = false;
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<void *> descriptorPointers;
  std::vector<void *> packed;
  uint64_t failedBytes = 0;
};

/// Compiled code allocates through these (finalize-memref-to-llvm's
/// generic allocation functions): a failed allocation jumps back to the
/// entry that called it (PreparedCall::run; a bundle's C entry point)
/// instead of returning null to code that would store through it. In a
/// thread with no entry on it (an OpenMP worker), it prints the size and
/// aborts.
extern "C" void *_mlir_memref_to_llvm_alloc(uint64_t size);
extern "C" void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment,
                                                    uint64_t size);
extern "C" void _mlir_memref_to_llvm_free(void *pointer);

/// A module in the LLVM dialect, JIT-compiled for the host CPU.
class CpuExecutable {
public:
  ~CpuExecutable();

  /// Translates `module` (LLVM dialect, functions with C-interface
  /// wrappers) to LLVM IR and compiles it at -O`optLevel` for the host.
  static llvm::Expected<std::unique_ptr<CpuExecutable>>
  create(mlir::ModuleOp module, unsigned optLevel = 3);

  /// Prepares calls of `function` through its `_mlir_ciface_` wrapper with
  /// the buffers in signature order: inputs, then the out parameters for
  /// the results. The buffers must outlive the call.
  llvm::Expected<PreparedCall> prepare(llvm::StringRef function,
                                       llvm::ArrayRef<MemRefArgument> arguments);

private:
  CpuExecutable() = default;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

/// Compiles `module` (LLVM dialect) at -O3 for the host and writes a
/// relocatable object file.
/// With `portable`, the object targets generic x86-64 instead of this
/// machine's CPU: a GPU bundle's host code runs on another machine.
llvm::Error emitHostObjectFile(mlir::ModuleOp module, llvm::StringRef path,
                               bool portable = false);

/// The MLIR C runner utilities (memrefCopy and friends) that compiled code
/// may call; the JIT loads them and `seqc compile` links them.
llvm::StringRef runnerUtilsLibrary();

/// The OpenMP runtime (LLVM's libomp) that parallel loops call; the JIT
/// loads it and `seqc compile` links it.
llvm::StringRef openMPLibrary();

} // namespace seqc

#endif // SEQC_TARGET_CPU_CPUEXECUTABLE_H
