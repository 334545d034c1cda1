//===- Emulator.h - GPU kernels on the CPU, for tests -----------*- C++ -*-===//
//
// An interpreter of functions on buffers as the GPU pipeline has them before
// kernels are outlined: host code (scf, arith, memref, linalg.generic,
// func.call) and `gpu.launch` kernels, every GPU thread an OS thread, so that
// `gpu.barrier` (a std::barrier per block), warp-collective
// `nvvm.mma.sync` (the 32 lanes meet, each computes its D fragment from the
// operands of all of them, decoded by the PTX ISA's fragment layouts) and
// grid barriers built from `memref.atomic_rmw` spins (cooperative launches
// run all blocks at once) behave as on a GPU. Floats are rounded to their
// type after every operation (bf16, f16, f32), so a kernel and the loop
// nest it replaces can be compared on the CPU.
//
// What it is for: checking a GPU transformation (seq-contractions-to-mma,
// seq-persistent-time-loops) without a GPU, by running the function before
// and after it on the same inputs. It is not fast: tests keep shapes small.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_TOOLS_SEQC_GPU_EMULATE_EMULATOR_H
#define SEQC_TOOLS_SEQC_GPU_EMULATE_EMULATOR_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <memory>
#include <string>
#include <vector>

namespace seqc::emulate {

/// The contents of a buffer argument: every element as a double (integers
/// exactly), row-major over the memref's shape.
using Contents = std::vector<double>;

/// Runs `function` on `arguments` (one per memref argument, updated in
/// place). Returns an error message, or "" on success.
std::string runFunction(mlir::func::FuncOp function,
                        std::vector<Contents> &arguments);

/// Kernels launched by the last runFunction.
int64_t kernelLaunches();

} // namespace seqc::emulate

#endif // SEQC_TOOLS_SEQC_GPU_EMULATE_EMULATOR_H
