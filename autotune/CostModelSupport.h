//===- CostModelSupport.h - pieces every family's cost model uses -*- C++
//-*-===//
//
// The cost formula, the chunk domain, shapes and byte counts, shared by the
// per-family cost models in lib/Families/<Family>/CostModel.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_COSTMODELSUPPORT_H
#define SEQC_AUTOTUNE_COSTMODELSUPPORT_H

#include "autotune/CostModel.h"

namespace seqc::autotune {

/// The number of elements of a shape, a dynamic dimension counting as 1.
int64_t product(llvm::ArrayRef<int64_t> shape);
llvm::ArrayRef<int64_t> shapeOf(mlir::Value v);
/// Bytes per element (complex: both parts).
double elementBytes(mlir::Value v);
/// The time dimension, or a typical length when it is dynamic.
int64_t stepsOf(llvm::ArrayRef<int64_t> shape);
/// The batch (dimension 0); a dynamic one is costed as 1, like product():
/// the form choice does not depend on it (every form scales with B).
int64_t batchOf(llvm::ArrayRef<int64_t> shape);
int64_t ceilDiv(int64_t a, int64_t b);

/// seconds = max(bytes / bandwidth, flops / (peak * efficiency))
///         + steps * step latency + launches * launch latency;
/// `bandwidth`, `stepLatency` and `efficiency` default to the target's
/// (the efficiency to its form's).
Cost cost(seq::FormKind kind, double bytes, double flops, double steps,
          double launches, const HardwareModel &t, double bandwidth = 0,
          double stepLatency = 0, double efficiency = 0);

/// Kernel launches of a sequential form that is a host loop over time (on
/// a GPU every op but the linear_scan kernels): about three kernels a step
/// (an LSTM step is three after fusion; a GLA step measured 12.7 us on an
/// H200, three launches' worth).
double stepLaunches(const HardwareModel &t, double steps);

/// Chunk lengths worth trying: powers of two and 1.5x powers of two up to
/// 1024, capped by T, and T itself (one chunk) when it is shorter. They
/// need not divide T: every chunked lowering masks its last chunk.
std::vector<int64_t> chunkDomain(int64_t T);
TileVariable chunkVariable(int64_t T);

/// "64 KiB", "3 MiB", "100 B".
std::string bytesText(int64_t bytes);

/// The time of one loop nest on the critical path of the batched chunked
/// forms (a chunk-loop iteration, a cumulative-sum or substitution step):
/// one kernel launch on a GPU (measured on an H200: GLA at C=64, 128 such
/// steps, ran in 1.43 ms as a CUDA graph, 2.15 ms launched from the host;
/// gated DeltaNet, 448 steps, 3.17 / 4.33 ms), a fork and join of the
/// thread team on the CPU.
double loopNestTime(const HardwareModel &t);

/// Bytes the chunked lowerings (lib/Families/LinearAttention/Chunkwise.cpp,
/// lib/Families/DeltaRule/Chunkwise.cpp) move besides their inputs and
/// outputs: every chunk of every head is computed at once, so each
/// intermediate [M, C, d] tensor is written and read back once per pass
/// (`passes` of them), each C x C matrix (`squares` of them) likewise, and
/// the states entering the chunks are written and read.
double chunkIntermediateBytes(double heads, double chunks, double c, double dk,
                              double dv, double passes, double squares);

/// The sequential form of a matrix-state op: `flops` over T steps, its
/// inputs and outputs moved once.
FormModel matrixStateSequential(const std::string &name, double io,
                                double flops, int64_t T,
                                const HardwareModel &t);

/// The ops the model knows only a sequential cost for: every operand read
/// or written once, one step per time index. Also the default for an op
/// whose family registers no cost model.
void addSequentialOnly(mlir::Operation *op, const HardwareModel &t,
                       FormModels &models);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_COSTMODELSUPPORT_H
