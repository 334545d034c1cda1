//===- GpuBundle.h - the GPU artifact bundle of `seqc compile` -*- C++ -*-===//
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
#ifndef SEQC_TARGET_GPU_GPUBUNDLE_H
#define SEQC_TARGET_GPU_GPUBUNDLE_H

#include "seqc/Support/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace seqc::gpu {

/// Inputs of one function and its seed, for the bundle's check vectors:
/// the inputs and the reference interpreter's outputs on them go to
/// DIR/check so that seqc-gpu-check can hold the GPU's results against
/// them on the GPU machine.
struct CheckVectors {
  mlir::func::FuncOp function;
  std::vector<HostTensor> inputs;
  uint64_t seed = 0;
};

struct GpuBundle {
  std::string chip;
  size_t kernels = 0;
};

/// Writes the bundle of `functions` for `target` (sm_80, sm_90, ...) to
/// `directory`. `seqLevel` is the module at the seq level (expanded,
/// forms chosen for the target); it is not modified.
llvm::Expected<GpuBundle> writeGpuBundle(mlir::ModuleOp seqLevel,
                                         llvm::ArrayRef<mlir::func::FuncOp> functions,
                                         const std::string &target,
                                         const std::string &stem,
                                         const std::string &directory,
                                         const CheckVectors *check);

/// The GPU runtime library a bundle links: ../lib/libseqc_gpu_runtime.so
/// next to the running executable's directory.
std::string gpuRuntimeLibrary();

} // namespace seqc::gpu

#endif // SEQC_TARGET_GPU_GPUBUNDLE_H
