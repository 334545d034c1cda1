//===- SeqToGPU.h - seq ops and loop nests to GPU kernels -------*- C++ -*-===//
#ifndef SEQC_CONVERSION_SEQTOGPU_H
#define SEQC_CONVERSION_SEQTOGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace seqc {

/// seq.linear_scan (real) in the sequential and prefix forms as gpu.launch
/// ops on buffers.
void populateLinearScanKernelPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "lib/Conversion/GPUPasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Conversion/GPUPasses.h.inc"

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOGPU_H
