//===- FormModels.cpp - tile variables, constraints and costs per form ----===//
#include "autotune/CostModel.h"

#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <cmath>

using namespace mlir;
using seqc::seq::FormKind;

namespace seqc::autotune {

seq::FormAttr TileConfig::toAttr(MLIRContext *context) const {
  return seq::FormAttr::get(context, kind, variant, chunkSize, blockThreads,
                            itemsPerThread, std::nullopt, stateTerms);
}

TileConfig TileConfig::fromAttr(seq::FormAttr form) {
  TileConfig c;
  c.kind = form.getKind();
  c.variant = form.getVariant();
  c.chunkSize = form.getChunkSize();
  c.blockThreads = form.getBlockThreads();
  c.itemsPerThread = form.getItemsPerThread();
  c.stateTerms = form.getStateTerms();
  return c;
}

std::string TileConfig::str() const {
  std::string s = seq::stringifyFormKind(kind).str();
  if (variant)
    s += fmt::format(" variant={}",
                     seq::stringifySequentialVariant(*variant).str());
  if (chunkSize)
    s += fmt::format(" chunk_size={}", *chunkSize);
  if (blockThreads)
    s += fmt::format(" block_threads={}", *blockThreads);
  if (itemsPerThread)
    s += fmt::format(" items_per_thread={}", *itemsPerThread);
  if (stateTerms)
    s += fmt::format(" state_terms={}", *stateTerms);
  return s;
}

bool TileConfig::sameTiles(const TileConfig &o) const {
  return kind == o.kind && variant == o.variant && chunkSize == o.chunkSize &&
         blockThreads == o.blockThreads &&
         itemsPerThread == o.itemsPerThread && stateTerms == o.stateTerms;
}

namespace {

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= ShapedType::isDynamic(d) ? 1 : d;
  return n;
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

double elementBytes(Value v) {
  Type element = getElementTypeOrSelf(v.getType());
  if (auto complex = dyn_cast<ComplexType>(element))
    return 2 * complex.getElementType().getIntOrFloatBitWidth() / 8.0;
  return element.getIntOrFloatBitWidth() / 8.0;
}

/// The time dimension, or a typical length when it is dynamic.
int64_t stepsOf(ArrayRef<int64_t> shape) {
  return shape.size() > 1 && !ShapedType::isDynamic(shape[1]) ? shape[1]
                                                               : 1024;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// seconds = max(bytes / bandwidth, flops / (peak * efficiency))
///         + steps * step latency + launches * launch latency;
/// `bandwidth`, `stepLatency` and `efficiency` default to the target's
/// (the efficiency to its form's).
Cost cost(FormKind kind, double bytes, double flops, double steps,
          double launches, const TargetDescription &t,
          double bandwidth = 0, double stepLatency = 0,
          double efficiency = 0) {
  if (efficiency <= 0)
    efficiency = kind == FormKind::sequential ? t.sequentialEfficiency
                 : kind == FormKind::prefix   ? t.prefixEfficiency
                                              : t.chunkwiseEfficiency;
  Cost c;
  c.bytes = bytes;
  c.flops = flops;
  c.steps = steps;
  c.launches = launches;
  c.seconds = std::max(c.bytes / (bandwidth > 0 ? bandwidth : t.bandwidth),
                       c.flops / (t.peakFlops * efficiency)) +
              c.steps * (stepLatency > 0 ? stepLatency : t.stepLatency) +
              c.launches * t.launchLatency;
  return c;
}

/// Kernel launches of a sequential form that is a host loop over time (on
/// a GPU every op but the linear_scan kernels): about three kernels a step
/// (an LSTM step is three after fusion; a GLA step measured 12.7 us on an
/// H200, three launches' worth).
double stepLaunches(const TargetDescription &t, double steps) {
  return t.isGpu ? 3 * steps : 1;
}

/// Chunk lengths worth trying: powers of two and 1.5x powers of two up to
/// 1024, capped by T, and T itself (one chunk) when it is shorter. They
/// need not divide T: every chunked lowering masks its last chunk.
std::vector<int64_t> chunkDomain(int64_t T) {
  std::vector<int64_t> domain;
  for (int64_t c : {8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512,
                    768, 1024})
    if (c < T)
      domain.push_back(c);
  if (T <= 1024)
    domain.push_back(T);
  return domain;
}

TileVariable chunkVariable(int64_t T) {
  return {"chunk_size", chunkDomain(T), &TileConfig::chunkSize};
}

std::string bytesText(int64_t bytes) {
  if (bytes % (1 << 20) == 0)
    return fmt::format("{} MiB", bytes >> 20);
  if (bytes % (1 << 10) == 0)
    return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} B", bytes);
}


//===----------------------------------------------------------------------===//
// linear_scan: h_t = a_t h_{t-1} + b_t over B x T x R channels
//===----------------------------------------------------------------------===//

struct ScanShape {
  int64_t B, T, R;
  double aBytes, hBytes;
  int64_t lanes; // channels per GPU thread (16-byte vectors when R % 4 == 0)
  double io() const { return double(B) * T * R * (2 * aBytes + hBytes); }
  double elements() const { return double(B) * T * R; }
};

/// GPU scan kernels (LinearScanKernels.cpp): per thread `lanes` channels,
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
double scanBandwidth(const ScanShape &s, const TargetDescription &t,
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
                          const TargetDescription &t) {
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
            regs <= b.table("block_threads", [R = t.registersPerSM](
                                                 int64_t n) { return R / n; }));
}

std::vector<TileVariable> scanThreadVariables() {
  std::vector<int64_t> threads;
  for (int64_t n = 32; n <= 1024; n *= 2)
    threads.push_back(n);
  return {{"block_threads", threads, &TileConfig::blockThreads},
          {"items_per_thread", {1, 2, 4, 8, 16}, &TileConfig::itemsPerThread}};
}

void addLinearScanModels(seq::LinearScanOp op, const TargetDescription &t,
                         FormModels &models) {
  ArrayRef<int64_t> shape = shapeOf(op.getA());
  ScanShape s{shape[0], stepsOf(shape), product(shape.drop_front(2)),
              elementBytes(op.getA()), elementBytes(op.getH()), 1};
  bool gpuKernel = t.isGpu && !isa<ComplexType>(getElementTypeOrSelf(
                                  op.getH().getType()));
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
    if (!gpuKernel)
      return cost(FormKind::sequential, s.io(), 2 * s.elements(), s.T, 1, t);
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
  // Reduce-then-scan: on the CPU the local scans and the fix-up read and
  // write the sequence twice more than the sequential form, and the
  // critical path is C + T / C; the GPU kernels' terms are below.
  FormModel prefix{FormKind::prefix, name, {chunkVariable(s.T)}, {}, {},
                   registers};
  if (gpuKernel)
    for (TileVariable &v : scanThreadVariables())
      prefix.variables.push_back(v);
  prefix.constrain = [s, t, gpuKernel](ConstraintBuilder &b) {
    if (gpuKernel) {
      constrainScanThreads(b, s, t);
      return;
    }
    // The carry pass walks the chunk aggregates (product and offset) of a
    // batch entry across all chunks; they must stay in L2 between passes.
    z3::expr chunks =
        b.table("chunk_size", [T = s.T](int64_t c) { return ceilDiv(T, c); });
    b.require("aggregates_fit_l2",
              fmt::format("ceil(T/chunk_size) chunks * R={} channels * 2 "
                          "aggregates * {} B <= L2 {}",
                          s.R, s.hBytes, bytesText(t.l2Bytes)),
              chunks * b.constant(int64_t(s.R * 2 * s.hBytes)) <=
                  b.constant(t.l2Bytes));
  };
  prefix.cost = [s, t, gpuKernel](const TileConfig &c) {
    int64_t chunks = ceilDiv(s.T, *c.chunkSize);
    if (!gpuKernel)
      return cost(FormKind::prefix, 3 * s.io(), 5 * s.elements(),
                  *c.chunkSize + chunks, 3, t);
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
  // Chunkwise (ChunkwiseLinearScan.cpp, loop kernels on a GPU): every step
  // sums over its chunk's earlier steps, C/2 terms of an exponential
  // (~25 flops as a polynomial) and three products each; in-chunk log sums
  // and signs (f64 and the compute type) are written and read, and the
  // critical path is the C-step log-sum loop plus the N-step carry.
  FormModel chunkwise{FormKind::chunkwise, name, {chunkVariable(s.T)}, {}, {},
                      {}};
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

//===----------------------------------------------------------------------===//
// linear_attention: state dk x dv per batch entry and head
//===----------------------------------------------------------------------===//

/// The time of one loop nest on the critical path of the batched chunked
/// forms (a chunk-loop iteration, a cumulative-sum or substitution step):
/// one kernel launch on a GPU (measured on an H200: GLA at C=64, 128 such
/// steps, ran in 1.43 ms as a CUDA graph, 2.15 ms launched from the host;
/// gated DeltaNet, 448 steps, 3.17 / 4.33 ms), a fork and join of the
/// thread team on the CPU.
double loopNestTime(const TargetDescription &t) {
  return t.isGpu ? t.launchLatency : t.chunkKernelTime;
}

/// Bytes the chunked lowerings (ChunkwiseAttention.cpp,
/// ChunkwiseDeltaRule.cpp) move besides their inputs and outputs: every
/// chunk of every head is computed at once, so each intermediate [M, C, d]
/// tensor is written and read back once per pass (`passes` of them), each
/// C x C matrix (`squares` of them) likewise, and the states entering the
/// chunks are written and read.
double chunkIntermediateBytes(double heads, double chunks, double c,
                              double dk, double dv, double passes,
                              double squares) {
  return heads * chunks *
         (c * (dk + dv) * 4 * 2 * passes + c * c * 4 * 2 * squares +
          dk * dv * 4 * 3);
}

/// The sequential form of a matrix-state op: `flops` over T steps, its
/// inputs and outputs moved once.
FormModel matrixStateSequential(const std::string &name, double io,
                                double flops, int64_t T,
                                const TargetDescription &t) {
  double efficiency = t.efficiencyOverride(name, "sequential");
  return {FormKind::sequential, name, {}, {},
          [=](const TileConfig &) {
            return cost(FormKind::sequential, io, flops, T, stepLaunches(t, T),
                        t, 0, 0, efficiency);
          },
          {}};
}

void addLinearAttentionModels(seq::LinearAttentionOp op,
                              const TargetDescription &t, FormModels &models) {
  ArrayRef<int64_t> q = shapeOf(op.getQ()), v = shapeOf(op.getV());
  double B = q[0], H = q[2], dk = q[3], dv = v[3];
  int64_t T = stepsOf(q);
  double eb = elementBytes(op.getQ());
  double io = B * T * H * (2 * dk + 2 * dv) * eb;
  std::string name = op->getName().getStringRef().str();
  bool gated = op.getGate() != nullptr;
  bool vectorGate = gated && op.getGateKind() == seq::GateKind::vector;
  double chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise"),
         parallelEfficiency = t.efficiencyOverride(name, "parallel");
  models.candidates.push_back(
      matrixStateSequential(name, io, 4 * B * H * T * dk * dv, T, t));
  FormModel chunkwise{FormKind::chunkwise, name, {chunkVariable(T)}, {}, {},
                      {}};
  chunkwise.constrain = [=](ConstraintBuilder &b) {
    if (t.isGpu)
      return;
    // Each batch element of the batched matmuls is one chunk: its Q, K
    // (C x dk), V, output (C x dv), scores (C x C) and state (dk x dv) in
    // f32 stay in L2 while its products are formed.
    z3::expr C = b.var("chunk_size");
    b.require("chunk_tile_fits_l2",
              fmt::format("(chunk_size*(2*dk + 2*dv) + chunk_size^2 + dk*dv) "
                          "* 4 B <= L2 {}, with dk={}, dv={}",
                          bytesText(t.l2Bytes), dk, dv),
              (C * b.constant(int64_t(2 * dk + 2 * dv)) + C * C +
               b.constant(int64_t(dk * dv))) *
                      b.constant(4) <=
                  b.constant(t.l2Bytes));
  };
  // Every chunk at once, as batched matmuls: per chunk of c steps the state
  // contribution K'^T V and Q' S_in (c dk dv each), the scores (c^2 dk) and
  // A V (c^2 dv); a vector gate adds the diagonal sub-blocks' per-channel
  // exponentials (c x 16 x dk, ~25 flops each as a vectorized polynomial).
  // Sequential: the chunk loop (one loop nest per chunk) and, with a gate,
  // the in-chunk cumulative sum (c steps).
  auto chunked = [=](FormKind kind, double c, double efficiency) {
    double chunks = std::ceil(T / c);
    double heads = B * H;
    double flops = 2 * heads * chunks *
                   (2 * c * dk * dv + c * c * dk + c * c * dv);
    if (vectorGate)
      flops += heads * chunks * c * std::min(c, 16.0) * dk * 25;
    double bytes = io + chunkIntermediateBytes(heads, chunks, c, dk, dv,
                                               vectorGate ? 14 : 6, 2);
    double steps = chunks + (gated ? c : 0);
    return cost(kind, bytes, flops, steps, 16, t, 0, loopNestTime(t),
                efficiency);
  };
  chunkwise.cost = [=](const TileConfig &config) {
    return chunked(FormKind::chunkwise, *config.chunkSize,
                   chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
  // The parallel form: one chunk of all T steps (the T x T masked scores).
  FormModel parallel{FormKind::parallel, name, {}, {}, {}, {}};
  parallel.cost = [=](const TileConfig &) {
    return chunked(FormKind::parallel, T, parallelEfficiency);
  };
  models.candidates.push_back(std::move(parallel));
}

//===----------------------------------------------------------------------===//
// delta_rule: state dk x dv per batch entry and head
//===----------------------------------------------------------------------===//

void addDeltaRuleModels(seq::DeltaRuleOp op, const TargetDescription &t,
                        FormModels &models) {
  ArrayRef<int64_t> q = shapeOf(op.getQ()), v = shapeOf(op.getV());
  double B = q[0], H = q[2], dk = q[3], dv = v[3];
  int64_t T = stepsOf(q);
  double io = B * T * H * (2 * dk + 2 * dv + 2) * elementBytes(op.getQ());
  std::string name = op->getName().getStringRef().str();
  bool gated = op.getGate() != nullptr;
  double chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise");
  // Per step: k^T S, the rank-one correction and the output (6 dk dv).
  models.candidates.push_back(
      matrixStateSequential(name, io, 6 * B * H * T * dk * dv, T, t));
  // The WY/UT form: per chunk of c steps K K^T (c^2 dk), the forward
  // substitution for (I + A)^{-1} (c^3), W and U (c^2 (dk + dv)), in the
  // chunk loop W S and K'^T V' (2 c dk dv), then Q' S_in (c dk dv) and the
  // scores and their product with V' (c^2 (dk + dv)). Sequential: c
  // substitution rows (one reduction each), three loop nests per chunk in
  // the chunk loop (-W S onto U, the decay, K'^T V'), and, with a gate, the
  // in-chunk cumulative sum.
  FormModel chunkwise{FormKind::chunkwise, name, {chunkVariable(T)}, {}, {},
                      {}};
  chunkwise.cost = [=](const TileConfig &config) {
    double c = *config.chunkSize;
    double chunks = std::ceil(T / c);
    double heads = B * H;
    double flops = 2 * heads * chunks *
                   (c * c * dk + c * c * c + 2 * c * c * (dk + dv) +
                    3 * c * dk * dv);
    double bytes = io + chunkIntermediateBytes(heads, chunks, c, dk, dv, 10,
                                               5);
    double steps = 3 * chunks + c + (gated ? c : 0);
    return cost(FormKind::chunkwise, bytes, flops, steps, 20, t, 0,
                loopNestTime(t), chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
}

/// Aaren's softmax scan (time-invariant query): element (m, u, w).
void addSoftmaxScanModels(seq::SoftmaxAttentionOp op,
                          const TargetDescription &t, FormModels &models) {
  ArrayRef<int64_t> k = shapeOf(op.getK()), v = shapeOf(op.getV());
  double B = k[0], H = k[2], dk = k[3], dv = v[3];
  int64_t T = stepsOf(k);
  double io = B * T * H * (dk + 2 * dv) * elementBytes(op.getK());
  std::string name = op->getName().getStringRef().str();
  models.candidates.push_back(
      {FormKind::sequential, name, {}, {},
       [=](const TileConfig &) {
         return cost(FormKind::sequential, io, B * T * H * (2 * dk + 4 * dv),
                     T, stepLaunches(t, T), t);
       },
       {}});
  FormModel prefix{FormKind::prefix, name, {chunkVariable(T)}, {}, {}, {}};
  prefix.constrain = [=](ConstraintBuilder &b) {
    if (t.isGpu)
      return;
    z3::expr chunks =
        b.table("chunk_size", [T](int64_t c) { return ceilDiv(T, c); });
    b.require("aggregates_fit_l2",
              fmt::format("ceil(T/chunk_size) chunks * H={} heads * (dv={} + "
                          "2) * 4 B <= L2 {}",
                          H, dv, bytesText(t.l2Bytes)),
              chunks * b.constant(int64_t(H * (dv + 2) * 4)) <=
                  b.constant(t.l2Bytes));
  };
  prefix.cost = [=](const TileConfig &c) {
    int64_t chunks = ceilDiv(T, *c.chunkSize);
    return cost(FormKind::prefix, 3 * io, B * T * H * (2 * dk + 10 * dv),
                *c.chunkSize + chunks, 3, t);
  };
  models.candidates.push_back(std::move(prefix));
}

/// Softmax attention with a per-step query: step t reads the P + t + 1
/// cached keys and values (sequential), or every step's scores are formed
/// at once, masked (parallel: twice the score work, a T x (P + T) score
/// matrix written once and read three times, one step).
void addSoftmaxAttentionModels(seq::SoftmaxAttentionOp op,
                               const TargetDescription &t,
                               FormModels &models) {
  ArrayRef<int64_t> k = shapeOf(op.getK()), v = shapeOf(op.getV());
  double B = k[0], H = k[2], dk = k[3], dv = v[3];
  double T = stepsOf(k);
  double P = op.getInit().empty() ? 0 : shapeOf(op.getInit()[0])[1];
  double eb = elementBytes(op.getK());
  double io = B * H * ((P + T) * (dk + dv) * 2 + T * (dk + dv)) * eb;
  double perPair = 2 * dk + 2 * dv + 4; // score, weight, weighted value
  std::string name = op->getName().getStringRef().str();
  // Where the target measured this op's forms apart from its defaults.
  double sequentialEfficiency = t.efficiencyOverride(name, "sequential"),
         chunkwiseEfficiency = t.efficiencyOverride(name, "chunkwise"),
         parallelEfficiency = t.efficiencyOverride(name, "parallel");
  models.candidates.push_back(
      {FormKind::sequential, name, {}, {},
       [=](const TileConfig &) {
         double pairs = B * H * T * (P + (T + 1) / 2);
         return cost(FormKind::sequential, pairs * (dk + dv) * 4,
                     pairs * perPair, T, stepLaunches(t, T), t, 0, 0,
                     sequentialEfficiency);
       },
       {}});
  models.candidates.push_back(
      {FormKind::parallel, name, {}, {},
       [=](const TileConfig &) {
         double pairs = B * H * T * (P + T);
         return cost(FormKind::parallel, io + 4 * pairs * 4, pairs * perPair,
                     1, 5, t, 0, 0, parallelEfficiency);
       },
       {}});
  // Chunkwise (flash): a loop over chunks of C keys, every step's query at
  // once; the T x C scores of a chunk written once and read three times,
  // the running (m, l, acc) rescaled per chunk.
  FormModel chunkwise{FormKind::chunkwise, name,
                      {chunkVariable(int64_t(P + T))}, {}, {}, {}};
  chunkwise.cost = [=](const TileConfig &c) {
    double C = *c.chunkSize, chunks = std::ceil((P + T) / C);
    // Chunk j updates the steps t >= jC - P (causal block skipping).
    double pairs = 0;
    for (double j = 0; j < chunks; ++j)
      pairs += B * H * (T - std::clamp(j * C - P, 0.0, T)) * C;
    double bytes = io + 4 * pairs * 4 + chunks * B * H * T * (dv + 2) * 4 * 2;
    // Seven loop nests per chunk of keys.
    return cost(FormKind::chunkwise, bytes, pairs * (perPair + 4), chunks, 1,
                t, 0, 7 * t.chunkKernelTime, chunkwiseEfficiency);
  };
  models.candidates.push_back(std::move(chunkwise));
}

/// The ops the model knows only a sequential cost for: every operand read
/// or written once, one step per time index.
void addSequentialOnly(Operation *op, const TargetDescription &t,
                       FormModels &models) {
  double bytes = 0;
  for (Value operand : op->getOperands())
    bytes += product(shapeOf(operand)) * elementBytes(operand);
  for (Value result : op->getResults())
    bytes += product(shapeOf(result)) * elementBytes(result);
  double steps = stepsOf(shapeOf(op->getOperand(0)));
  models.candidates.push_back(
      {FormKind::sequential, op->getName().getStringRef().str(), {}, {},
       [=](const TileConfig &) {
         return cost(FormKind::sequential, bytes, 0, steps,
                     stepLaunches(t, steps), t);
       },
       {}});
}

/// The element type of `value` as memory holds it: a 16-bit tensor widened
/// elementwise (seqnn-expand's f32 copy of bf16 weights, which the GPU
/// pipeline folds into the kernels that read it) is 16-bit.
Type storedElementType(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    auto widen = dyn_cast<linalg::GenericOp>(def);
    if (widen && widen.getNumDpsInputs() == 1 &&
        llvm::hasSingleElement(widen.getBody()->without_terminator()) &&
        isa<arith::ExtFOp>(*widen.getBody()->begin()))
      return getElementTypeOrSelf(widen.getDpsInputs()[0].getType());
    break;
  }
  return getElementTypeOrSelf(value.getType());
}

/// A recurrence's step product h R: the state's rows (the batch) times
/// its weights, `[K, N]` or block-diagonal `[heads, K, N...]` as
/// seqnn-expand writes them.
struct StepProduct {
  int64_t heads = 1, M = 1, K = 1, N = 1;
  double weightBytes = 0, weightElements = 0;
  bool bf16Weights = false;
  /// 2 B FLOP per weight: every batch row meets every weight once a step.
  double flops() const { return 2.0 * M * weightElements; }
};

StepProduct stepProductOf(seq::RecurrenceOp op) {
  StepProduct p;
  p.M = product(shapeOf(op.getInputs()[0]).take_front()); // dynamic: 1
  for (Value weight : op.getWeights()) {
    ArrayRef<int64_t> shape = shapeOf(weight);
    Type stored = storedElementType(weight);
    p.weightElements += product(shape);
    p.weightBytes += product(shape) * stored.getIntOrFloatBitWidth() / 8.0;
    if (weight != op.getWeights().front() || shape.size() < 2 ||
        ShapedType::isDynamicShape(shape))
      continue;
    p.bf16Weights = isa<BFloat16Type>(stored);
    p.heads = shape.size() > 2 ? shape[0] : 1;
    p.K = shape.size() > 2 ? shape[1] : shape[0];
    p.N = product(shape) / (p.heads * p.K);
  }
  return p;
}

/// The alternating step's h R on tensor cores (seq-contractions-to-mma:
/// bf16 weights, the f32 state as three bf16 terms): bound by the terms'
/// products or by the traffic of its tiles, each column block re-reading
/// the state and each row block the weights (through L2). None when the
/// product does not tile or the weights are not bf16.
std::optional<double> tensorCoreStepSeconds(const StepProduct &p,
                                            const TargetDescription &t) {
  if (!p.bf16Weights || t.stepMmaFlopRate <= 0 || p.M % 16 || p.N % 8 ||
      p.K % 16)
    return std::nullopt;
  seqc::MmaBlockTile tile = seqc::mmaBlockTile(p.M, p.N, p.heads, t.sms);
  double terms = 3, stateBytes = double(p.heads) * p.M * p.K * 4,
         weightBytes = double(p.heads) * p.K * p.N * 2;
  double traffic = double(p.N / tile.columns) * stateBytes +
                   double(p.M / tile.rows) * weightBytes;
  double flops = terms * 2 * double(p.heads) * p.M * p.N * p.K;
  return std::max(flops / t.stepMmaFlopRate, traffic / t.stepMmaBandwidth);
}

/// A recurrence: only the sequential form, but on a GPU in FlashRNN's two
/// variants. Alternating: the step's kernels launched per step (about
/// three after fusion), its h R kernel on tensor cores (above), or a SIMT
/// kernel bound by streaming the weights from L2 or by its multiply-adds.
/// Fused: one persistent kernel, a grid barrier a step. When every block's
/// share of the weights fits in its shared memory
/// (seq-weight-stationary-steps keeps them there or in registers), the
/// step costs the barrier's latency chain plus every block's read of the
/// state it multiplies (a block of a multi-head recurrence reads only its
/// head's part; its products on tensor cores are not what bounds it);
/// otherwise the step's generic kernels run on one block a multiprocessor
/// behind a grid barrier each. Calibrated and checked on an H200
/// (Target.cpp, benchmarks/README.md "FlashRNN's two variants").
void addRecurrenceModels(seq::RecurrenceOp op, const TargetDescription &t,
                         FormModels &models) {
  addSequentialOnly(op, t, models);
  if (!t.isGpu)
    return;
  FormModel &alternating = models.candidates.back();
  StepProduct step = stepProductOf(op);
  double stateBytes = 0;
  for (Value state : op.getFinalStates())
    stateBytes =
        std::max(stateBytes, product(shapeOf(state)) * elementBytes(state));
  double steps = stepsOf(shapeOf(op.getInputs()[0]));
  double stepFlops = step.flops();
  double productSeconds = tensorCoreStepSeconds(step, t).value_or(
      std::max(step.weightBytes / t.stepWeightBandwidth,
               stepFlops / t.stepFlopRate));
  auto base = alternating.cost;
  alternating.cost = [=](const TileConfig &c) {
    Cost cost = base(c);
    cost.flops = steps * stepFlops;
    cost.seconds += steps * productSeconds;
    return cost;
  };
  bool resident = std::ceil(step.weightBytes / t.sms) <= t.sharedPerBlock;
  double stepSeconds =
      resident ? t.fusedStepLatency + t.sms * (stateBytes / step.heads) /
                                          t.fusedStateBandwidth
               : 3 * t.fusedStepLatency +
                     std::max(step.weightBytes / t.fusedWeightBandwidth,
                              stepFlops / t.stepFlopRate);
  FormModel fused = alternating;
  fused.variant = seq::SequentialVariant::fused;
  fused.cost = [=](const TileConfig &c) {
    // One cooperative launch and the barrier counter's reset.
    Cost cost = base(c);
    cost.flops = steps * stepFlops;
    cost.launches = 2;
    cost.steps = steps;
    cost.seconds = cost.bytes / t.bandwidth + 2 * t.launchLatency +
                   steps * stepSeconds;
    return cost;
  };
  models.candidates.push_back(std::move(fused));
}

/// A generic seq.scan: sequential, or the prefix form
/// (PrefixGenericScan.cpp) that reads and writes the sequences three times
/// and has C + N combine steps on its critical path. On the CPU each of
/// those steps is one loop over every chunk, serial (too small for a thread
/// team): the prefix form does the sequential form's per-element work plus
/// its extra traffic, so it never wins there (measured: running max and
/// sum, T = 65536, 0.41 ms prefix vs 0.31 ms sequential). On a GPU each
/// step is a kernel over all chunks, and the sequential form a kernel per
/// time step.
void addScanModels(seq::ScanOp op, const TargetDescription &t,
                   FormModels &models) {
  addSequentialOnly(op, t, models);
  ArrayRef<int64_t> shape = shapeOf(op.getInputs()[0]);
  int64_t T = stepsOf(shape);
  double elements = product(shape);
  double bytes = 0;
  for (Value input : op.getInputs())
    bytes += 2 * product(shapeOf(input)) * elementBytes(input);
  FormModel prefix{FormKind::prefix, op->getName().getStringRef().str(),
                   {chunkVariable(T)}, {}, {}, {}};
  prefix.cost = [=](const TileConfig &c) {
    double C = std::min<double>(*c.chunkSize, T), chunks = std::ceil(T / C);
    if (t.isGpu)
      return cost(FormKind::prefix, 3 * bytes, 0, C + chunks, 4, t, 0,
                  t.launchLatency);
    return cost(FormKind::prefix, 3 * bytes, 0, C + chunks, 0, t, 0,
                t.stepLatency * elements / T * chunks);
  };
  models.candidates.push_back(std::move(prefix));
}

} // namespace

FormModels formModels(Operation *op, const TargetDescription &target) {
  FormModels models;
  llvm::TypeSwitch<Operation *>(op)
      .Case([&](seq::LinearScanOp o) {
        addLinearScanModels(o, target, models);
      })
      .Case([&](seq::LinearAttentionOp o) {
        addLinearAttentionModels(o, target, models);
      })
      .Case([&](seq::DeltaRuleOp o) { addDeltaRuleModels(o, target, models); })
      .Case([&](seq::ScanOp o) { addScanModels(o, target, models); })
      .Case(
          [&](seq::RecurrenceOp o) { addRecurrenceModels(o, target, models); })
      .Case([&](seq::SoftmaxAttentionOp o) {
        if (o.hasTimeInvariantQuery())
          addSoftmaxScanModels(o, target, models);
        else
          addSoftmaxAttentionModels(o, target, models);
      })
      .Default([&](Operation *) { addSequentialOnly(op, target, models); });
  // Shapes the lowerings cannot take yet leave only the sequential form.
  llvm::erase_if(models.candidates, [&](const FormModel &m) {
    return !seqc::hasFormLowering(op, m.kind);
  });
  for (seq::FormKind kind :
       cast<seq::FormOpInterface>(op).getValidFormKinds())
    if (llvm::none_of(models.candidates,
                      [&](const FormModel &m) { return m.kind == kind; }))
      models.unavailable.push_back({kind, "no lowering yet"});
  return models;
}

} // namespace seqc::autotune
