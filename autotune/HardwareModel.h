//===- HardwareModel.h - what seqc knows about a machine -------*- C++ -*-===//
//
// One description per chip, used by the cost model (seq-select-form,
// seqc explain), the tiling constraints (TilingProblem) and the tuning
// database key. Built-in names: cpu (this host, detected), sm_80 / a100,
// sm_90 / h100, h200; any other chip is a JSON model file
// (docs/target-model.md lists the fields). No MLIR here: seqc-gpu-check
// and the runtime could read it too.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_TARGET_H
#define SEQC_AUTOTUNE_TARGET_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace seqc::autotune {

struct HardwareModel {
  std::string name;
  bool isGpu = false;
  /// GPU code generation arch (sm_80, sm_90); empty for a CPU.
  std::string arch;

  // Both kinds.
  double bandwidth = 0;    // DRAM/HBM bytes/s
  double peakFlops = 0;    // FLOP/s of the units the lowerings use
  double stepLatency = 0;  // s per dependent step on the critical path
  double launchLatency = 0; // s per kernel launch (0 on a CPU)
  /// Efficiency of each form's lowering relative to the peak (0..1],
  /// measured by the benchmarks (benchmarks/README.md).
  double sequentialEfficiency = 1, prefixEfficiency = 1,
         chunkwiseEfficiency = 1;
  /// Measured efficiencies of one op's form that differ from the form's
  /// default, keyed "<op>/<form>" (e.g. "seq.softmax_attention/parallel").
  std::map<std::string, double> efficiencyOverrides;
  /// The override for `op`'s `form`, or 0 (the form's default applies).
  double efficiencyOverride(const std::string &op,
                            const std::string &form) const {
    auto it = efficiencyOverrides.find(op + "/" + form);
    return it == efficiencyOverrides.end() ? 0 : it->second;
  }

  // CPU.
  int cores = 1;
  int vectorBytes = 16; // widest SIMD register
  int vectorRegisters = 16; // architectural SIMD registers (32 with AVX-512)
  /// AVX-512 BF16: vdpbf16ps, a dot product of bf16 pairs into f32 lanes.
  bool bf16DotProduct = false;
  int64_t l1Bytes = 0, l2Bytes = 0, l3Bytes = 0;
  /// Where the cache sizes came from: "sysfs", "cpuid", "fallback" or
  /// "model file".
  std::string cacheSource;

  // GPU.
  int sms = 0;
  int warpSize = 32;
  int maxThreadsPerBlock = 1024;
  int maxThreadsPerSM = 2048;
  int maxBlocksPerSM = 32;
  int registersPerSM = 65536;
  int maxRegistersPerThread = 255;
  int64_t sharedPerBlock = 49152; // opt-in maximum
  int64_t sharedPerSM = 0;
  int64_t l2BytesGpu = 0;
  double memoryLatency = 0; // s, DRAM round trip seen by a load
  /// s per dependent step inside one thread (an FMA chain: 4 cycles at the
  /// boost clock); what a scan kernel's loop over time pays per step.
  double threadStepLatency = 0;
  /// s per loop nest of a chunkwise form's loop over chunks: on a GPU a
  /// kernel (small grids with loops inside: latency-bound), on a CPU the
  /// fork and join of the thread team.
  double chunkKernelTime = 0;
  /// FlashRNN's two GPU variants of a recurrence step. An alternating
  /// step (kernels launched per step) runs a generic h R kernel bound by
  /// streaming the weights (`stepWeightBandwidth`) or by its multiply-adds
  /// (`stepFlopRate`). A fused step (one persistent kernel) whose weights
  /// are resident in its blocks pays `fusedStepLatency` (the grid barrier
  /// and the chain of latencies around it: h read from L2, a block
  /// barrier, the cell, h written, the fences) plus every block's read of
  /// the state it multiplies at `fusedStateBandwidth`; one whose weights do
  /// not fit runs the generic kernels on one block a multiprocessor,
  /// streaming the weights at `fusedWeightBandwidth`.
  double fusedStepLatency = 0;
  double fusedStateBandwidth = 0;
  double fusedWeightBandwidth = 0;
  double stepWeightBandwidth = 0;
  double stepFlopRate = 0;
  /// The alternating step's h R on tensor cores: the rate of its terms'
  /// products and the bandwidth of its tiles' reads.
  double stepMmaFlopRate = 0;
  double stepMmaBandwidth = 0;
  /// Tensor-core fragment shape (mma.sync) for 16-bit inputs.
  int mmaM = 16, mmaN = 8, mmaK = 16;
};

/// The description of `name`: a built-in name or a path to a JSON model
/// file. On failure returns nothing and sets `error` to a sentence.
std::optional<HardwareModel> lookupTarget(const std::string &name,
                                              std::string &error);

/// The host CPU: cores, SIMD width, caches (sysfs, then cpuid, then safe
/// fallbacks; sysfs cache information is missing on some machines).
HardwareModel detectHostCpu();

/// A canonical one-line rendering of every field that changes a tuning
/// decision, for the tuning database key (two hosts with the same
/// description share records).
std::string targetFingerprint(const HardwareModel &target);

/// Names the built-in models accept, for error messages.
const char *builtinTargetNames();

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_TARGET_H
