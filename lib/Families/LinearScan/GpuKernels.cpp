//===- GpuKernels.cpp - seq.linear_scan as GPU kernels --------------------===//
//
// A diagonal linear scan is memory-bound: the kernels below read a and b
// once (sequential form) or twice (prefix form) and write h once, with
// consecutive threads on consecutive channels so that every warp access is
// one coalesced transaction per step.
//
// sequential: grid (ceil(C / block_threads), B), one thread per channel
//   walks all T steps. The step loop is unrolled by items_per_thread with
//   all loads of an unrolled group issued before its multiply-adds, so a
//   thread has that many loads in flight instead of one.
// prefix (reduce-then-scan over chunks of L = chunk_size steps):
//   1. aggregate: grid (ceil(C / bt), N, B), one thread per (channel,
//      chunk): the chunk's product of a and its scan from zero;
//   2. carry: one warp per channel (one block of warps when N > 64) scans
//      the N aggregates from init with shfl.up (and a block barrier across
//      warps; see emitCarry), writing the state
//      entering each chunk over the chunk's own aggregate, and the final
//      state;
//   3. apply: grid as 1, each chunk rescanned from its carried-in state.
//   5 passes over [B, T, C] instead of 3, for B*C*N-way parallelism
//   instead of B*C: the form the cost model picks when B*C alone cannot
//   fill the GPU.
// When C is a multiple of 4, every thread owns 4 consecutive channels and
// moves them with one 16-byte (f32) or 8-byte (16-bit) vector access:
// 4x the bytes in flight per instruction, which a memory-bound scan with
// few threads needs to approach the copy bandwidth. The launch records it
// as `seq.vector_width`.
//
//===----------------------------------------------------------------------===//
#include "dialects/Utils/LoopBuilder.h"
#include "lib/Conversion/SeqToGPU/IndexArithmetic.h"
#include "lib/Families/LinearScan/LinearScan.h"
#include "seqc/Conversion/SeqToGPU.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

/// Builds the body of kernels that walk [B, T, C] buffers.
struct ScanKernelBuilder : IndexArithmetic {
  Type stateType;
  /// Channels per thread: 1 (scalars) or 4 (vector<4x...> accesses).
  int64_t lanes = 1;
  /// Kernel names start with it ("<func>_scan<k>"): ptxas reports and
  /// manifests name kernels after it, so each tells which op it belongs to.
  std::string kernelPrefix = "linear_scan";

  /// Names the kernel `launch` becomes: "<prefix>_<role>" where `name` is
  /// "linear_scan_<role>", and records what it is (seq.gpu_kernel).
  void nameKernel(gpu::LaunchOp launch, StringRef name,
                  std::optional<int64_t> carryWarps = std::nullopt) {
    GpuKernelFields kernel;
    kernel.vectorWidth = lanes;
    kernel.carryWarps = carryWarps;
    GpuKernelOf::set(launch, kernel.get(b.getContext(),
                                        *symbolizeGpuKernelKind(name)));
    std::string role = name.drop_front(StringRef("linear_scan_").size()).str();
    launch.setFunctionAttr(
        FlatSymbolRefAttr::get(b.getContext(), kernelPrefix + "_" + role));
  }

  Type laneType(Type element) {
    return lanes == 1 ? element : VectorType::get({lanes}, element);
  }
  Value floatConst(double v) {
    if (lanes == 1)
      return arith::ConstantOp::create(b, b.getFloatAttr(stateType, v));
    auto type = cast<VectorType>(laneType(stateType));
    return arith::ConstantOp::create(
        b, DenseElementsAttr::get(type, b.getFloatAttr(stateType, v)));
  }
  Value toState(Value v) {
    if (v.getType() == laneType(stateType))
      return v;
    return arith::ExtFOp::create(b, laneType(stateType), v);
  }
  Type elementOf(Value buffer) {
    return cast<MemRefType>(buffer.getType()).getElementType();
  }
  /// A vector access of `lanes` elements is aligned to its size: C is a
  /// multiple of `lanes` and buffers start 16-byte aligned.
  llvm::MaybeAlign vectorAlignment(Value buffer) {
    return llvm::MaybeAlign(lanes * elementOf(buffer).getIntOrFloatBitWidth() /
                            8);
  }
  /// Element (or `lanes` consecutive elements) of `buffer` at `indices`,
  /// the last index being the first channel.
  Value load(Value buffer, ValueRange indices) {
    if (lanes == 1)
      return memref::LoadOp::create(b, buffer, indices);
    return vector::LoadOp::create(
        b, cast<VectorType>(laneType(elementOf(buffer))), buffer, indices,
        /*nontemporal=*/false, vectorAlignment(buffer));
  }
  /// Stores `value`, rounded to the buffer's element type (a state in f32
  /// written to a 16-bit h).
  void store(Value value, Value buffer, ValueRange indices) {
    Type stored = laneType(elementOf(buffer));
    if (value.getType() != stored)
      value = arith::TruncFOp::create(b, stored, value);
    if (lanes == 1)
      memref::StoreOp::create(b, value, buffer, indices);
    else
      vector::StoreOp::create(b, value, buffer, indices, /*nontemporal=*/false,
                              vectorAlignment(buffer));
  }

  /// A launch of grid (gx, gy, gz) x block (threads); the body gets the
  /// first channel of its thread ((block x * threads + thread x) * lanes),
  /// block y and block z, and runs only for channels below `channels`.
  void launch(StringRef name, int64_t gx, int64_t gy, int64_t gz,
              int64_t threads, int64_t channels,
              function_ref<void(Value c, Value y, Value z)> body) {
    auto launchOp = gpu::LaunchOp::create(b, index(gx), index(gy), index(gz),
                                          index(threads), index(1), index(1));
    nameKernel(launchOp, name);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&launchOp.getBody().front());
    Value channel = arith::MulIOp::create(
        b,
        arith::AddIOp::create(
            b,
            arith::MulIOp::create(b, launchOp.getBlockIds().x, index(threads)),
            launchOp.getThreadIds().x),
        index(lanes));
    Value inRange = arith::CmpIOp::create(b, arith::CmpIPredicate::ult, channel,
                                          index(channels));
    auto guardIf = scf::IfOp::create(b, inRange, /*withElse=*/false);
    b.setInsertionPointToStart(&guardIf.getThenRegion().front());
    body(channel, launchOp.getBlockIds().y, launchOp.getBlockIds().z);
    b.setInsertionPointToEnd(&launchOp.getBody().front());
    gpu::TerminatorOp::create(b);
  }

  /// Steps t in [lo, hi) of h = a h + b from `h`, in groups of `unroll`
  /// whose loads are all issued first; `step(t, a, b, h)` returns the new
  /// state (and may store it). Returns the state after the last step.
  Value
  scanSteps(Value lo, Value hi, Value h, int64_t unroll,
            function_ref<Value(Value t)> loadA,
            function_ref<Value(Value t)> loadB,
            function_ref<Value(Value t, Value a, Value bv, Value h)> step) {
    Value one = index(1);
    if (unroll > 1) {
      // hiMain = lo + (hi - lo) / unroll * unroll
      Value span = arith::SubIOp::create(b, hi, lo);
      Value groups = arith::DivUIOp::create(b, span, index(unroll));
      Value hiMain = arith::AddIOp::create(
          b, lo, arith::MulIOp::create(b, groups, index(unroll)));
      auto main = scf::ForOp::create(b, lo, hiMain, index(unroll), h);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(main.getBody());
        Value t0 = main.getInductionVar();
        SmallVector<Value> ts, as, bs;
        for (int64_t u = 0; u < unroll; ++u)
          ts.push_back(u ? arith::AddIOp::create(b, t0, index(u)).getResult()
                         : t0);
        for (Value t : ts) {
          as.push_back(loadA(t));
          bs.push_back(loadB(t));
        }
        Value state = main.getRegionIterArg(0);
        for (int64_t u = 0; u < unroll; ++u)
          state = step(ts[u], as[u], bs[u], state);
        scf::YieldOp::create(b, state);
      }
      lo = hiMain;
      h = main.getResult(0);
      // No remainder loop when the step count is a known multiple.
      std::optional<int64_t> first = getConstantIntValue(main.getLowerBound());
      std::optional<int64_t> last = getConstantIntValue(hi);
      if (first && last && (*last - *first) % unroll == 0)
        return h;
    }
    auto tail = scf::ForOp::create(b, lo, hi, one, h);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(tail.getBody());
    Value t = tail.getInductionVar();
    scf::YieldOp::create(b,
                         step(t, loadA(t), loadB(t), tail.getRegionIterArg(0)));
    return tail.getResult(0);
  }

  /// a * h + bv: one step of h -> a h + b.
  Value fma(Value a, Value bv, Value h) {
    return arith::AddFOp::create(b, arith::MulFOp::create(b, a, h), bv);
  }
};

/// `buffer` with its dims after the first `leadingDims` collapsed into one
/// channel dim: [B, T, ...] -> [B, T, C]; a scan without channel dims
/// ([B, T]) gets a unit one.
Value collapsedBuffer(ImplicitLocOpBuilder &b, Value buffer,
                      unsigned leadingDims) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getRank() == leadingDims + 1)
    return buffer;
  if (type.getRank() == leadingDims) {
    SmallVector<ReassociationIndices> groups;
    for (unsigned d = 0; d + 1 < leadingDims; ++d)
      groups.push_back({int64_t(d)});
    groups.push_back({int64_t(leadingDims) - 1, int64_t(leadingDims)});
    SmallVector<int64_t> shape(type.getShape());
    shape.push_back(1);
    return memref::ExpandShapeOp::create(
        b, MemRefType::get(shape, type.getElementType()), buffer, groups);
  }
  SmallVector<ReassociationIndices> groups;
  for (unsigned d = 0; d < leadingDims; ++d)
    groups.push_back({int64_t(d)});
  ReassociationIndices rest;
  for (unsigned d = leadingDims; d < type.getRank(); ++d)
    rest.push_back(d);
  groups.push_back(rest);
  return memref::CollapseShapeOp::create(b, buffer, groups);
}

Value bufferOf(ImplicitLocOpBuilder &b, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return bufferization::ToBufferOp::create(
      b, MemRefType::get(type.getShape(), type.getElementType()), tensor,
      /*read_only=*/true);
}

/// The affine composition of h -> p1 h + s1 then h -> p2 h + s2.
std::pair<Value, Value> composeAffine(ScanKernelBuilder &kb, Value p1, Value s1,
                                      Value p2, Value s2) {
  return {arith::MulFOp::create(kb.b, p2, p1), kb.fma(p2, s2, s1)};
}

/// Step 2 of the prefix form: one block of `warps` warps per channel scans
/// the N chunk aggregates (p_n, s_n), each meaning h -> p_n h + s_n. Each
/// thread composes ceil(N / (32 warps)) consecutive chunks; each warp
/// scans its lanes' composites with shfl.up (5 steps); with several warps,
/// lane 31 publishes its warp's composite in shared memory ([warps], two
/// buffers) and after a barrier every thread composes the composites of the
/// warps before its own; then the lanes before it (one more shuffle), and it
/// rescans its chunks from the carried-in state, overwriting s_n with the
/// state entering chunk n. The last thread writes the final state.
/// Latency: 2N/(32 warps) chunk steps, 6 shuffles and (warps > 1) one
/// barrier (seq.block_barrier, which becomes gpu.barrier after
/// bufferization).
/// The scratch is shared memory ([warps] per block): an alloca marked
/// `seq.workgroup` here, which seq-workgroup-allocas makes a workgroup
/// attribution once buffers are final (the buffer deallocation pipeline,
/// which runs after this lowering, does not understand gpu.launch's
/// workgroup attributions).
void emitCarry(ImplicitLocOpBuilder &b, Type stateType, Value product,
               Value local, Value init, Value last, int64_t B, int64_t N,
               int64_t C, int64_t warps, StringRef kernelPrefix) {
  ScanKernelBuilder kb{{b}, stateType, 1, kernelPrefix.str()};
  constexpr int64_t kWarp = 32;
  auto launch =
      gpu::LaunchOp::create(b, kb.index(C), kb.index(B), kb.index(1),
                            kb.index(kWarp * warps), kb.index(1), kb.index(1));
  kb.nameKernel(launch, "linear_scan_prefix_carry", warps);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value tid = launch.getThreadIds().x;
  Value lane = arith::RemUIOp::create(b, tid, kb.index(kWarp));
  Value warp = arith::DivUIOp::create(b, tid, kb.index(kWarp));
  Value channel = launch.getBlockIds().x;
  Value batch = launch.getBlockIds().y;
  Value sharedP, sharedS;
  if (warps > 1) {
    auto scratchType = MemRefType::get({warps}, stateType);
    sharedP = memref::AllocaOp::create(b, scratchType);
    sharedS = memref::AllocaOp::create(b, scratchType);
    for (Value scratch : {sharedP, sharedS})
      WorkgroupMarker::set(scratch.getDefiningOp());
  }
  int64_t perThread = (N + kWarp * warps - 1) / (kWarp * warps);
  Value lo = arith::MinUIOp::create(
      b, arith::MulIOp::create(b, tid, kb.index(perThread)), kb.index(N));
  Value hi = arith::MinUIOp::create(
      b, arith::AddIOp::create(b, lo, kb.index(perThread)), kb.index(N));
  Value one = kb.index(1), zero = kb.floatConst(0.0), unit = kb.floatConst(1.0);
  auto compose = scf::ForOp::create(b, lo, hi, one, ValueRange{unit, zero});
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(compose.getBody());
    SmallVector<Value> at{batch, compose.getInductionVar(), channel};
    auto [p, sv] = composeAffine(kb, compose.getRegionIterArg(0),
                                 compose.getRegionIterArg(1),
                                 memref::LoadOp::create(b, product, at),
                                 memref::LoadOp::create(b, local, at));
    scf::YieldOp::create(b, ValueRange{p, sv});
  }
  Value P = compose.getResult(0), S = compose.getResult(1);
  auto up = [&](Value v, int32_t offset) {
    return gpu::ShuffleOp::create(b, v, offset, kWarp, gpu::ShuffleMode::UP)
        .getShuffleResult();
  };
  for (int32_t offset = 1; offset < kWarp; offset *= 2) {
    Value Pu = up(P, offset), Su = up(S, offset);
    Value active = arith::CmpIOp::create(b, arith::CmpIPredicate::uge, lane,
                                         kb.index(offset));
    auto [Pn, Sn] = composeAffine(kb, Pu, Su, P, S);
    P = arith::SelectOp::create(b, active, Pn, P);
    S = arith::SelectOp::create(b, active, Sn, S);
  }
  // The warps before this one, through the scratch buffers.
  Value Pw = unit, Sw = zero;
  if (warps > 1) {
    auto isLastLane =
        scf::IfOp::create(b,
                          arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                lane, kb.index(kWarp - 1)),
                          /*withElse=*/false);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(&isLastLane.getThenRegion().front());
      memref::StoreOp::create(b, P, sharedP, ValueRange{warp});
      memref::StoreOp::create(b, S, sharedS, ValueRange{warp});
    }
    BlockBarrierOp::create(b);
    auto before =
        scf::ForOp::create(b, kb.index(0), warp, one, ValueRange{unit, zero});
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(before.getBody());
      Value j = before.getInductionVar();
      auto [p, sv] = composeAffine(
          kb, before.getRegionIterArg(0), before.getRegionIterArg(1),
          memref::LoadOp::create(b, sharedP, ValueRange{j}),
          memref::LoadOp::create(b, sharedS, ValueRange{j}));
      scf::YieldOp::create(b, ValueRange{p, sv});
    }
    Pw = before.getResult(0);
    Sw = before.getResult(1);
  }
  // Then the lanes before this one.
  Value first =
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, lane, kb.index(0));
  Value Pe = arith::SelectOp::create(b, first, unit, up(P, 1));
  Value Se = arith::SelectOp::create(b, first, zero, up(S, 1));
  auto [Pt, St] = composeAffine(kb, Pw, Sw, Pe, Se);
  Value h0 =
      init ? kb.toState(kb.load(init, ValueRange{batch, channel})) : zero;
  auto rescan = scf::ForOp::create(b, lo, hi, one, kb.fma(Pt, St, h0));
  {
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(rescan.getBody());
    SmallVector<Value> at{batch, rescan.getInductionVar(), channel};
    Value h = rescan.getRegionIterArg(0);
    Value p = memref::LoadOp::create(b, product, at);
    Value sv = memref::LoadOp::create(b, local, at);
    memref::StoreOp::create(b, h, local, at);
    scf::YieldOp::create(b, kb.fma(p, sv, h));
  }
  auto isLast =
      scf::IfOp::create(b,
                        arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid,
                                              kb.index(kWarp * warps - 1)),
                        /*withElse=*/false);
  b.setInsertionPointToStart(&isLast.getThenRegion().front());
  kb.store(rescan.getResult(0), last, ValueRange{batch, channel});
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b);
}

struct LinearScanToKernels : OpRewritePattern<LinearScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearScanOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType aType = op.getA().getType();
    RankedTensorType hType = op.getH().getType();
    if (!aType.hasStaticShape() || !isa<FloatType>(aType.getElementType()))
      return rewriter.notifyMatchFailure(op, "complex or dynamic shapes");
    FormAttr form = op.getFormAttr();
    FormKind kind = form ? form.getKind() : FormKind::sequential;
    if (kind != FormKind::sequential && kind != FormKind::prefix)
      return rewriter.notifyMatchFailure(op, "no GPU kernel for this form");

    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    // The state in the compute type (f32 for a 16-bit h), rounded only
    // where it is stored, as the reference rounds.
    Type stateType = computeType(hType.getElementType());
    ArrayRef<int64_t> shape = aType.getShape();
    int64_t B = shape[0], T = shape[1], C = 1;
    for (int64_t d : shape.drop_front(2))
      C *= d;
    StringAttr prefix = KernelPrefixOf::get(op);
    ScanKernelBuilder kb{{b}, stateType, C % 4 == 0 ? 4 : 1,
                         prefix ? prefix.str() : "linear_scan"};
    int64_t threads = kDefaultScanBlockThreads,
            unroll = kDefaultScanItemsPerThread;
    if (form && form.getBlockThreads())
      threads = *form.getBlockThreads();
    if (form && form.getItemsPerThread())
      unroll = *form.getItemsPerThread();
    int64_t gridX = (C / kb.lanes + threads - 1) / threads;

    Value a = collapsedBuffer(b, bufferOf(b, op.getA()), 2);
    Value bb = collapsedBuffer(b, bufferOf(b, op.getB()), 2);
    Value init = op.getInit() ? collapsedBuffer(b, bufferOf(b, op.getInit()), 1)
                              : Value();
    auto hBuffer = memref::AllocOp::create(
        b, MemRefType::get(hType.getShape(), hType.getElementType()));
    RankedTensorType finalType = op.getFinalState().getType();
    auto finalBuffer = memref::AllocOp::create(
        b, MemRefType::get(finalType.getShape(), finalType.getElementType()));
    Value h = collapsedBuffer(b, hBuffer, 2);
    Value last = collapsedBuffer(b, finalBuffer, 1);

    auto initialState = [&](Value batch, Value c) -> Value {
      if (!init)
        return kb.floatConst(0.0);
      return kb.toState(kb.load(init, ValueRange{batch, c}));
    };
    auto loader = [&](Value buffer, Value batch, Value c) {
      return [&kb, buffer, batch, c](Value t) -> Value {
        return kb.toState(kb.load(buffer, ValueRange{batch, t, c}));
      };
    };
    auto storingStep = [&](Value batch, Value c) {
      return [&, batch, c](Value t, Value av, Value bv, Value state) {
        Value next = kb.fma(av, bv, state);
        kb.store(next, h, ValueRange{batch, t, c});
        return next;
      };
    };

    if (kind == FormKind::sequential) {
      kb.launch("linear_scan_sequential", gridX, B, 1, threads, C,
                [&](Value c, Value batch, Value) {
                  Value state = kb.scanSteps(
                      kb.index(0), kb.index(T), initialState(batch, c), unroll,
                      loader(a, batch, c), loader(bb, batch, c),
                      storingStep(batch, c));
                  kb.store(state, last, ValueRange{batch, c});
                });
    } else {
      int64_t L = form.getChunkSize().value_or(kDefaultScanChunkSize);
      int64_t N = (T + L - 1) / L;
      auto aggType = MemRefType::get({B, N, C}, stateType);
      Value product = memref::AllocOp::create(b, aggType);
      Value local = memref::AllocOp::create(b, aggType);
      auto chunkBounds = [&](Value n) -> std::pair<Value, Value> {
        Value lo = arith::MulIOp::create(b, n, kb.index(L));
        Value hi = arith::MinUIOp::create(
            b, arith::AddIOp::create(b, lo, kb.index(L)), kb.index(T));
        return {lo, hi};
      };
      kb.launch("linear_scan_prefix_aggregate", gridX, N, B, threads, C,
                [&](Value c, Value n, Value batch) {
                  auto [lo, hi] = chunkBounds(n);
                  // Carry (product, local) through the chunk as one scan.
                  auto loop = scf::ForOp::create(
                      b, lo, hi, kb.index(1),
                      ValueRange{kb.floatConst(1.0), kb.floatConst(0.0)});
                  {
                    OpBuilder::InsertionGuard guard(b);
                    b.setInsertionPointToStart(loop.getBody());
                    Value t = loop.getInductionVar();
                    auto [p, s] = composeAffine(
                        kb, loop.getRegionIterArg(0), loop.getRegionIterArg(1),
                        loader(a, batch, c)(t), loader(bb, batch, c)(t));
                    scf::YieldOp::create(b, ValueRange{p, s});
                  }
                  kb.store(loop.getResult(0), product, ValueRange{batch, n, c});
                  kb.store(loop.getResult(1), local, ValueRange{batch, n, c});
                });
      // A warp per 64 chunks (2 per lane), up to a block of 8 warps.
      constexpr int64_t kChunksPerWarp = 64;
      emitCarry(b, stateType, product, local, init, last, B, N, C,
                std::min<int64_t>(8, (N + kChunksPerWarp - 1) / kChunksPerWarp),
                kb.kernelPrefix);
      kb.launch("linear_scan_prefix_apply", gridX, N, B, threads, C,
                [&](Value c, Value n, Value batch) {
                  auto [lo, hi] = chunkBounds(n);
                  Value carry = kb.load(local, ValueRange{batch, n, c});
                  kb.scanSteps(lo, hi, carry, unroll, loader(a, batch, c),
                               loader(bb, batch, c), storingStep(batch, c));
                });
      // Freed by the buffer deallocation pipeline (it accepts no
      // deallocations written before it).
    }

    Value hTensor = bufferization::ToTensorOp::create(
        b, hType, hBuffer, /*restrict=*/true, /*writable=*/true);
    Value finalTensor = bufferization::ToTensorOp::create(
        b, finalType, finalBuffer, /*restrict=*/true, /*writable=*/true);
    rewriter.replaceOp(op, {hTensor, finalTensor});
    return success();
  }
};

} // namespace

void seqc::families::populateLinearScanGpuKernelPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LinearScanToKernels>(patterns.getContext());
}
