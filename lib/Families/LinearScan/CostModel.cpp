//===- CostModel.cpp - the forms of seq.linear_scan, costed ---------------===//
//
// h_t = a_t h_{t-1} + b_t over B x T x R channels: the sequential form, the
// GPU scan kernels (GpuKernels.cpp: block_threads x items_per_thread,
// bandwidth by Little's law) and the chunked forms.
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModelSupport.h"
#include "lib/Families/LinearScan/LinearScan.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;
using seqc::seq::FormKind;

namespace {

struct ScanShape {
  int64_t B, T, R;
  double aBytes, hBytes;
  int64_t lanes; // channels per GPU thread (16-byte vectors when R % 4 == 0)
  double io() const { return double(B) * T * R * (2 * aBytes + hBytes); }
  double elements() const { return double(B) * T * R; }
};

/// GPU scan kernels (GpuKernels.cpp): per thread `lanes` channels,
/// `items_per_thread` steps loaded ahead. The estimate is an upper bound:
/// two registers (a and b) per channel and step in flight over a base of
/// 28, fitted to ptxas -v on sm_90 (f32, 4 lanes: 32, 44, 72, 147 registers
/// at 1, 4, 8, 16 items against 36, 60, 92, 156 estimated), and checked
/// for every example by test/Driver/gpu-examples.test.
int64_t scanRegisters(const ScanShape &s, int64_t items) {
  return 28 + 2 * s.lanes * items;
}

/// The bandwidth `threads` x `items` reach: resident threads are limited by
/// the block and register budgets of an SM, and each keeps `items` steps of
/// a and b in flight (Little's law over the memory latency).
double scanBandwidth(const ScanShape &s, const HardwareModel &t,
                     int64_t totalThreads, int64_t threads, int64_t items) {
  int64_t regs = scanRegisters(s, items);
  int64_t blocksPerSM =
      std::min<int64_t>({t.maxBlocksPerSM, t.maxThreadsPerSM / threads,
                         t.registersPerSM / (threads * regs)});
  double resident = double(t.sms) * std::max<int64_t>(blocksPerSM, 1) * threads;
  double active = std::min<double>(totalThreads, resident);
  double inFlight = active * items * s.lanes * 2 * s.aBytes;
  return std::min(t.bandwidth, inFlight / t.memoryLatency);
}

void constrainScanThreads(ConstraintBuilder &b, const ScanShape &s,
                          const HardwareModel &t) {
  z3::expr threads = b.var("block_threads"), items = b.var("items_per_thread");
  b.require("warp_multiple",
            fmt::format("block_threads is a multiple of the warp size {}",
                        t.warpSize),
            threads % b.constant(t.warpSize) == b.constant(0));
  b.require("block_size_limit",
            fmt::format("block_threads <= {} (the chip's block limit)",
                        t.maxThreadsPerBlock),
            threads <= b.constant(t.maxThreadsPerBlock));
  z3::expr regs = b.constant(28) + b.constant(2 * s.lanes) * items;
  b.require("registers_per_thread",
            fmt::format("28 + 2*{}*items_per_thread registers <= {} per "
                        "thread (no spills)",
                        s.lanes, t.maxRegistersPerThread),
            regs <= b.constant(t.maxRegistersPerThread));
  b.require("registers_per_block",
            fmt::format("block_threads * registers per thread <= {} (one "
                        "block fits an SM's register file)",
                        t.registersPerSM),
            // regs <= floor(R / threads), tabulated over block_threads:
            // linear for Z3, where threads * regs would not be.
            regs <= b.table("block_threads", [R = t.registersPerSM](int64_t n) {
              return R / n;
            }));
}

std::vector<TileVariable> scanThreadVariables() {
  std::vector<int64_t> threads;
  for (int64_t n = 32; n <= 1024; n *= 2)
    threads.push_back(n);
  return {{"block_threads", threads, &TileConfig::blockThreads},
          {"items_per_thread", {1, 2, 4, 8, 16}, &TileConfig::itemsPerThread}};
}

/// Cores that `items` independent sequences or chunks keep busy.
double cpuWidth(int64_t items, const HardwareModel &t) {
  return double(std::clamp<int64_t>(items, 1, t.cores));
}

/// The prefix form's chunks per sequence in flight on a CPU: 1, 2, 4, ...
/// up to the cores.
TileVariable workersVariable(const HardwareModel &t) {
  std::vector<int64_t> domain;
  for (int64_t n = 1; n < t.cores; n *= 2)
    domain.push_back(n);
  domain.push_back(t.cores);
  return {"workers", domain, &TileConfig::workers};
}

} // namespace

void seqc::families::addLinearScanFormModels(seq::LinearScanOp op,
                                             const HardwareModel &t,
                                             FormModels &models) {
  ArrayRef<int64_t> shape = shapeOf(op.getA());
  ScanShape s{batchOf(shape),
              stepsOf(shape),
              product(shape.drop_front(2)),
              elementBytes(op.getA()),
              elementBytes(op.getH()),
              1};
  bool gpuKernel =
      t.isGpu && !isa<ComplexType>(getElementTypeOrSelf(op.getH().getType()));
  if (gpuKernel)
    s.lanes = s.R % 4 == 0 ? 4 : 1;
  std::string name = op->getName().getStringRef().str();

  // Both GPU kernels of a scan keep items_per_thread steps in flight.
  std::function<int64_t(const TileConfig &)> registers;
  if (gpuKernel)
    registers = [s](const TileConfig &c) {
      return scanRegisters(s, *c.itemsPerThread);
    };
  FormModel sequential{FormKind::sequential, name, {}, {}, {}, registers};
  if (gpuKernel) {
    sequential.variables = scanThreadVariables();
    sequential.constrain = [s, t](ConstraintBuilder &b) {
      constrainScanThreads(b, s, t);
    };
  }
  sequential.cost = [s, t, gpuKernel](const TileConfig &c) {
    if (!gpuKernel) {
      // Sequences on separate cores (Sequential.cpp's loop over the batch),
      // each streaming its own a, b and h.
      double width = cpuWidth(s.B, t);
      return cost(FormKind::sequential, s.io(), 2 * s.elements(), s.T, 1, t,
                  t.bandwidth * width, 0, t.sequentialEfficiency * width);
    }
    // One pass; each thread's loop over time pays an FMA per step, its
    // loads overlap (Little's law in scanBandwidth).
    return cost(FormKind::sequential, s.io(), 2 * s.elements(), s.T, 1, t,
                scanBandwidth(s, t, s.B * s.R / s.lanes, *c.blockThreads,
                              *c.itemsPerThread),
                t.threadStepLatency);
  };
  models.candidates.push_back(std::move(sequential));

  if (!seqc::hasFormLowering(op, FormKind::prefix))
    return;
  // Reduce-then-scan (Prefix.cpp). On a CPU: rounds of `workers` chunks
  // per sequence, one chunk per core; a chunk's scan re-reads from L2 the a
  // and b its reduction just brought in, so the sequence streams from
  // memory once, on min(B * workers, cores) cores. The GPU kernels' terms
  // are below.
  FormModel prefix{FormKind::prefix, name, {chunkVariable(s.T)}, {}, {},
                   registers};
  if (gpuKernel)
    for (TileVariable &v : scanThreadVariables())
      prefix.variables.push_back(v);
  else
    prefix.variables.push_back(workersVariable(t));
  prefix.constrain = [s, t, gpuKernel](ConstraintBuilder &b) {
    if (gpuKernel) {
      constrainScanThreads(b, s, t);
      return;
    }
    // A chunk's a, b and h stay in its core's L2 between the reduction and
    // the scan (half of it: a larger chunk measured 2.5x slower than the
    // sequential form on a 2 MiB L2, not faster).
    int64_t chunkBytes = int64_t(s.R * (2 * s.aBytes + s.hBytes));
    b.require("chunk_fits_l2",
              fmt::format("chunk_size * R={} channels * {} B (a, b, h) <= "
                          "half of L2 {}",
                          s.R, chunkBytes / std::max<int64_t>(s.R, 1),
                          bytesText(t.l2Bytes)),
              b.var("chunk_size") * b.constant(chunkBytes) <=
                  b.constant(t.l2Bytes / 2));
  };
  prefix.cost = [s, t, gpuKernel](const TileConfig &c) {
    int64_t chunks = ceilDiv(s.T, *c.chunkSize);
    if (!gpuKernel) {
      // A sequence of fewer chunks than workers leaves the rest idle.
      int64_t workers = std::min(*c.workers, chunks);
      double width = cpuWidth(s.B * workers, t);
      // More chunks in flight than cores: a chunk's a and b have left the
      // cache by its scan, and are read twice.
      double bytes = s.B * workers <= t.cores
                         ? s.io()
                         : s.elements() * (4 * s.aBytes + s.hBytes);
      int64_t rounds = ceilDiv(chunks, workers);
      // Per round: a chunk's reduction and scan on each core, the chain of
      // `workers` carries; two forks and joins of the team.
      double steps = rounds * (2.0 * *c.chunkSize + workers);
      // Its streaming multiply-adds at each core's vector rate.
      Cost estimate = cost(FormKind::prefix, bytes, 5 * s.elements(), steps,
                           2 * rounds, t, t.bandwidth * width, 0, width);
      estimate.seconds += 2.0 * rounds * t.chunkKernelTime;
      return estimate;
    }
    // The kernels' traffic: the aggregate pass reads a and b, the apply
    // pass reads them again and writes h; the aggregates (product and
    // offset per chunk and channel) are written once and read twice. On
    // the critical path: a chunk's steps in one thread, the carry's warp
    // scan over the chunks (two per lane, five shuffle rounds).
    double aggregates = double(s.B) * chunks * s.R * 2 * s.hBytes;
    double bytes = s.elements() * (4 * s.aBytes + s.hBytes) + 3 * aggregates;
    double steps = *c.chunkSize + std::ceil(chunks / 32.0) * 2 + 5;
    return cost(FormKind::prefix, bytes, 5 * s.elements(), steps, 3, t,
                scanBandwidth(s, t, s.B * chunks * s.R / s.lanes,
                              *c.blockThreads, *c.itemsPerThread),
                t.threadStepLatency);
  };
  models.candidates.push_back(std::move(prefix));

  if (!seqc::hasFormLowering(op, FormKind::chunkwise))
    return;
  // Chunkwise (Chunkwise.cpp, loop kernels on a GPU): every step
  // sums over its chunk's earlier steps, C/2 terms of an exponential
  // (~25 flops as a polynomial) and three products each; in-chunk log sums
  // and signs (f64 and the compute type) are written and read, and the
  // critical path is the C-step log-sum loop plus the N-step carry.
  // Chunks up to 256 steps: the verifier's bound (O(C) work per step).
  TileVariable chunk = chunkVariable(s.T);
  llvm::erase_if(chunk.domain, [](int64_t c) { return c > 256; });
  FormModel chunkwise{FormKind::chunkwise, name, {chunk}, {}, {}, {}};
  double chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise");
  chunkwise.cost = [s, t, chunkwiseEfficiency](const TileConfig &c) {
    double C = *c.chunkSize, chunks = std::ceil(s.T / C);
    double flops = s.elements() * (C / 2) * 28;
    double bytes = s.io() + s.elements() * (8 + 4) * 4;
    return cost(FormKind::chunkwise, bytes, flops, C + chunks, 8, t, 0,
                t.isGpu ? t.launchLatency : t.stepLatency, chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
}
