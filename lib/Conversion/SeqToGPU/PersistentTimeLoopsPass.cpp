//===- PersistentTimeLoopsPass.cpp - seq-persistent-time-loops ------------===//
//
// FlashRNN's `fused` variant of a sequential recurrence: instead of a host
// loop over time that launches the step's kernels (the `alternating`
// variant, a launch per kernel per step), one persistent kernel runs the
// whole loop:
//
//   grid = one block per multiprocessor (all resident: a cooperative
//   launch, which fails rather than deadlock if they cannot be),
//   for t in steps:
//     for each kernel K of the step:
//       the threads of the grid stride over K's threads (K's block and
//       thread ids recovered from the virtual linear id), running K's body
//       grid barrier
//
// The grid barrier: a block barrier, then thread 0 of each block fences its
// writes (membar.gl), adds 1 to a global counter and spins (atomic reads)
// until the counter reaches (barriers passed) x (blocks), fences again; a
// block barrier. (Polling by ld.acquire.gpu instead of the atomic, which
// LLVM makes atom.or 0, measured no faster on an H200: 1.9% slower for the
// benchmark LSTM, benchmarks/results/gpu/spin_ab.) The counter only grows, so it is reset once per launch by
// a one-thread kernel on the same stream.
//
// The buffers the step writes its states into are allocated per step by
// bufferization (and freed by the ownership-based deallocation one step
// later); a kernel cannot allocate, so they become two buffers allocated
// once that the steps alternate between (ping-pong), the per-step frees go,
// the loop's ownership flags become false, and both buffers are freed when
// the function returns. The loop's results (which buffer holds the last
// state) are computed on the host from the trip count.
//
// A kernel launched with the persistent kernel's own shape (blocks x 256,
// seq-weight-stationary-steps' fused contraction and cell) runs as it is,
// block for block: it may use block barriers, and its shared memory becomes
// the persistent kernel's; its ops tagged seq.step_invariant (staging the
// recurrent weights into shared memory, or loading a warp's fragments of
// them into registers, which the steps then use) run once, before the
// first step.
//
// Loops this cannot take (another kernel that needs its own block:
// barriers, shuffles, shared memory; an allocation that is not a state
// buffer; host work other than index computations and views) stay host
// loops, with a remark saying why.
//
//===----------------------------------------------------------------------===//
#include "lib/Conversion/SeqToGPU/IndexArithmetic.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"
#include "seqc/Runtime/GpuRuntime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

namespace seqc {
#define GEN_PASS_DEF_SEQPERSISTENTTIMELOOPS
#include "lib/Conversion/GPUPasses.h.inc"

mlir::Value underlyingBuffer(mlir::Value value) {
  while (auto memref =
             mlir::dyn_cast<mlir::TypedValue<mlir::BaseMemRefType>>(value)) {
    value = mlir::memref::skipViewLikeOps(memref);
    auto meta = value.getDefiningOp<mlir::memref::ExtractStridedMetadataOp>();
    if (!meta)
      return value;
    value = meta.getSource();
  }
  return value;
}
} // namespace seqc

using namespace mlir;
namespace seq = seqc::seq;

namespace {

/// What turning one time loop into a persistent kernel changes.
struct PersistentPlan {
  /// Loop-carried buffers: iter_arg number -> the per-step allocation that
  /// the step yields.
  SmallVector<std::pair<unsigned, memref::AllocOp>> pingPong;
  /// Ownership flags (i1 iter_args) that become false.
  SmallVector<unsigned> ownership;
  /// Frees of the previous step's buffers, to erase.
  SmallVector<Operation *> frees;
  SmallVector<gpu::LaunchOp> kernels;
  /// The kernels launched with the persistent kernel's own shape.
  DenseSet<Operation *> gridShaped;
};

/// Whether `kernel` is launched with the persistent kernel's own shape
/// (`blocks` x 256 threads, one-dimensional): its blocks then map one to one
/// onto the persistent kernel's, so it may use block barriers and shared
/// memory (seq-weight-stationary-steps builds such kernels).
bool isGridShaped(gpu::LaunchOp kernel, int64_t blocks) {
  gpu::KernelDim3 grid = kernel.getGridSizeOperandValues();
  gpu::KernelDim3 block = kernel.getBlockSizeOperandValues();
  auto is = [](Value v, int64_t n) {
    return getConstantIntValue(v) == std::optional<int64_t>(n);
  };
  return is(grid.x, blocks) && is(grid.y, 1) && is(grid.z, 1) &&
         is(block.x, seqc::kPersistentBlockThreads) && is(block.y, 1) &&
         is(block.z, 1) &&
         (!kernel.getDynamicSharedMemorySize() ||
          getConstantIntValue(kernel.getDynamicSharedMemorySize())) &&
         kernel.getPrivateAttributions().empty();
}

/// Why `kernel` cannot run inside a persistent kernel (it needs its own
/// block), or empty.
std::string kernelBlocker(gpu::LaunchOp kernel) {
  if (!kernel.getWorkgroupAttributions().empty() ||
      !kernel.getPrivateAttributions().empty() ||
      kernel.getDynamicSharedMemorySize())
    return "a kernel of the step uses shared or private memory";
  if (!kernel.getAsyncDependencies().empty() || kernel.getAsyncToken())
    return "a kernel of the step is asynchronous";
  std::string why;
  kernel.getBody().walk([&](Operation *op) {
    if (isa<gpu::BarrierOp, gpu::ShuffleOp, gpu::SubgroupReduceOp,
            gpu::ReturnOp>(op) ||
        op->getDialect()->getNamespace() == "nvvm")
      why = "a kernel of the step uses '" + op->getName().getStringRef().str() +
            "', which needs its own block";
  });
  return why;
}

FailureOr<PersistentPlan> planLoop(scf::ForOp loop, int64_t blocks,
                                   std::string &why) {
  PersistentPlan plan;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs())) {
    Value yielded = yield.getOperand(i);
    if (isa<MemRefType>(arg.getType())) {
      if (yielded == arg)
        continue;
      auto alloc = yielded.getDefiningOp<memref::AllocOp>();
      if (!alloc || alloc->getBlock() != loop.getBody() ||
          !alloc.getDynamicSizes().empty() ||
          !alloc.getSymbolOperands().empty()) {
        why = "a loop-carried buffer is not a fresh static allocation";
        return failure();
      }
      plan.pingPong.push_back({unsigned(i), alloc});
    } else if (arg.getType().isInteger(1) &&
               yielded.getDefiningOp<arith::ConstantOp>()) {
      plan.ownership.push_back(i);
    } else {
      why = "the loop carries a value that is not a buffer";
      return failure();
    }
  }
  // Frees of the previous step's state buffers (possibly under an
  // ownership test) go; any other allocation or free in the loop stays a
  // reason to keep the host loop.
  SmallVector<Value> carried(loop.getRegionIterArgs());
  WalkResult walk = loop.getBody()->walk([&](Operation *op) {
    if (auto free = dyn_cast<memref::DeallocOp>(op)) {
      if (!llvm::is_contained(carried,
                              seqc::underlyingBuffer(free.getMemref()))) {
        why = "the step frees a buffer that is not a state buffer";
        return WalkResult::interrupt();
      }
      plan.frees.push_back(op);
    } else if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      if (!llvm::any_of(plan.pingPong,
                        [&](auto &p) { return p.second == alloc; })) {
        why = "the step allocates a buffer that is not a state buffer";
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto kernel = dyn_cast<gpu::LaunchOp>(op)) {
      bool gridShaped = isGridShaped(kernel, blocks);
      if (!kernel.getAsyncDependencies().empty() || kernel.getAsyncToken())
        why = "a kernel of the step is asynchronous";
      else if (!gridShaped)
        why = kernelBlocker(kernel);
      else if (kernel.getBody()
                   .walk([](gpu::ReturnOp) { return WalkResult::interrupt(); })
                   .wasInterrupted())
        why = "a kernel of the step returns early";
      if (!why.empty())
        return failure();
      plan.kernels.push_back(kernel);
      if (gridShaped)
        plan.gridShaped.insert(kernel);
      continue;
    }
    bool freeOnly = false;
    if (auto guard = dyn_cast<scf::IfOp>(op))
      freeOnly = guard.getElseRegion().empty() &&
                 llvm::all_of(guard.thenBlock()->without_terminator(),
                              [](Operation &inner) {
                                return isa<memref::DeallocOp>(inner);
                              });
    if (!freeOnly && !isa<memref::AllocOp, memref::DeallocOp>(op) &&
        !isPure(&op) && !isa<ViewLikeOpInterface>(op)) {
      why = "the step runs '" + op.getName().getStringRef().str() +
            "' on the host";
      return failure();
    }
  }
  if (llvm::count_if(plan.kernels, [](gpu::LaunchOp kernel) {
        return kernel.getDynamicSharedMemorySize() != nullptr;
      }) > 1) {
    why = "two kernels of the step use dynamic shared memory";
    return failure();
  }
  if (plan.kernels.empty()) {
    why = "the step launches no kernel";
    return failure();
  }
  auto ret = dyn_cast<func::ReturnOp>(loop->getBlock()->getTerminator());
  if (!ret || ret.getNumOperands()) {
    why = "the loop is not in the function's body, or the function returns "
          "values";
    return failure();
  }
  return plan;
}

struct PersistentKernelBuilder : seqc::IndexArithmetic {
  int64_t blocks, threads;
  Value counter;

  /// All blocks wait until every block has passed barrier number
  /// `generation` (0-based) since the counter was reset.
  void gridBarrier(Value generation, Value threadX) {
    gpu::BarrierOp::create(b);
    Value first =
        arith::CmpIOp::create(b, arith::CmpIPredicate::eq, threadX, index(0));
    auto leader = scf::IfOp::create(b, first, /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(leader.thenBlock());
      Type i32 = b.getI32Type();
      Value zero = index(0);
      NVVM::MembarOp::create(b, NVVM::MemScopeKind::GPU);
      memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::addi,
                                  arith::ConstantIntOp::create(b, i32, 1),
                                  counter, ValueRange{zero});
      Value target = arith::IndexCastOp::create(
          b, i32,
          arith::MulIOp::create(b,
                                arith::AddIOp::create(b, generation, index(1)),
                                index(blocks)));
      auto spin = scf::WhileOp::create(b, TypeRange{}, ValueRange{});
      Block *before = b.createBlock(&spin.getBefore());
      b.setInsertionPointToStart(before);
      Value seen = memref::AtomicRMWOp::create(
          b, arith::AtomicRMWKind::addi,
          arith::ConstantIntOp::create(b, i32, 0), counter, ValueRange{zero});
      scf::ConditionOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::slt, seen, target),
          ValueRange{});
      Block *after = b.createBlock(&spin.getAfter());
      b.setInsertionPointToStart(after);
      scf::YieldOp::create(b);
      b.setInsertionPointAfter(spin);
      NVVM::MembarOp::create(b, NVVM::MemScopeKind::GPU);
    }
    gpu::BarrierOp::create(b);
  }

  /// Maps a grid-shaped `kernel`'s ids and sizes onto the persistent
  /// kernel's, and its shared memory onto new attributions of `persistent`.
  void mapGridShaped(gpu::LaunchOp kernel, gpu::LaunchOp persistent,
                     IRMapping &mapping) {
    Value zero = index(0), one = index(1);
    gpu::KernelDim3 threadIds = kernel.getThreadIds(),
                    blockIds = kernel.getBlockIds(),
                    blockSize = kernel.getBlockSize(),
                    gridSize = kernel.getGridSize();
    mapping.map(threadIds.x, persistent.getThreadIds().x);
    mapping.map(blockIds.x, persistent.getBlockIds().x);
    mapping.map(blockSize.x, index(threads));
    mapping.map(gridSize.x, index(blocks));
    for (Value id : {threadIds.y, threadIds.z, blockIds.y, blockIds.z})
      mapping.map(id, zero);
    for (Value size : {blockSize.y, blockSize.z, gridSize.y, gridSize.z})
      mapping.map(size, one);
    for (BlockArgument shared : kernel.getWorkgroupAttributions())
      mapping.map(shared, persistent.addWorkgroupAttribution(shared.getType(),
                                                             shared.getLoc()));
  }

  /// Whether `value` can be computed before the time loop `loop`: defined
  /// outside it, mapped, or computed from such values by pure ops.
  bool availableBefore(Value value, scf::ForOp loop, const IRMapping &mapping) {
    if (mapping.contains(value) || loop.isDefinedOutsideOfLoop(value))
      return true;
    Operation *def = value.getDefiningOp();
    return def && isPure(def) && def->getNumRegions() == 0 &&
           llvm::all_of(def->getOperands(), [&](Value operand) {
             return availableBefore(operand, loop, mapping);
           });
  }

  void cloneBefore(Value value, scf::ForOp loop, IRMapping &mapping) {
    if (mapping.contains(value) || loop.isDefinedOutsideOfLoop(value))
      return;
    Operation *def = value.getDefiningOp();
    for (Value operand : def->getOperands())
      cloneBefore(operand, loop, mapping);
    b.clone(*def, mapping);
  }

  /// Runs a grid-shaped `kernel`'s step-invariant ops (weights staged into
  /// shared memory, or loaded into registers) here, before the time loop
  /// `loop`, once, their results in `mapping` for the steps; false (and
  /// nothing built) when one of them needs a value of the step.
  bool hoistStepInvariant(gpu::LaunchOp kernel, scf::ForOp loop,
                          IRMapping &mapping) {
    SmallVector<std::pair<Operation *, SetVector<Value>>> invariant;
    for (Operation &op : kernel.getBody().front().without_terminator()) {
      if (!seq::StepInvariantMarker::isPresent(&op))
        continue;
      SetVector<Value> used(op.operand_begin(), op.operand_end());
      getUsedValuesDefinedAbove(op.getRegions(), used);
      if (!llvm::all_of(
              used, [&](Value v) { return availableBefore(v, loop, mapping); }))
        return false;
      invariant.push_back({&op, std::move(used)});
    }
    for (auto &[op, used] : invariant) {
      for (Value v : used)
        cloneBefore(v, loop, mapping);
      b.clone(*op, mapping);
    }
    return !invariant.empty();
  }

  /// A grid-shaped `kernel`'s body, once per step (ids through `mapping`),
  /// without its step-invariant ops if they were hoisted.
  void inlineGridShaped(gpu::LaunchOp kernel, IRMapping &mapping,
                        bool hoisted) {
    for (Operation &op : kernel.getBody().front().without_terminator())
      if (!hoisted || !seq::StepInvariantMarker::isPresent(&op))
        b.clone(op, mapping);
  }

  /// `kernel`'s body for every thread of its launch, the persistent grid's
  /// threads striding over them; operands through `mapping`.
  void inlineKernel(gpu::LaunchOp kernel, IRMapping &mapping, Value linearId) {
    gpu::KernelDim3 grid = kernel.getGridSizeOperandValues();
    gpu::KernelDim3 block = kernel.getBlockSizeOperandValues();
    SmallVector<Value> sizes; // x, y, z of the block, then of the grid
    for (Value v : {block.x, block.y, block.z, grid.x, grid.y, grid.z})
      sizes.push_back(mapping.lookupOrDefault(v));
    Value total = index(1);
    for (Value size : sizes)
      total = arith::MulIOp::create(b, total, size);
    auto stride =
        scf::ForOp::create(b, linearId, total, index(blocks * threads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(stride.getBody());
    SmallVector<Value> ids; // thread x, y, z, block x, y, z
    Value rest = stride.getInductionVar();
    for (size_t d = 0; d < sizes.size(); ++d) {
      bool last = d + 1 == sizes.size();
      ids.push_back(
          last ? rest : arith::RemUIOp::create(b, rest, sizes[d]).getResult());
      if (!last)
        rest = arith::DivUIOp::create(b, rest, sizes[d]);
    }
    gpu::KernelDim3 threadIds = kernel.getThreadIds(),
                    blockIds = kernel.getBlockIds(),
                    blockSize = kernel.getBlockSize(),
                    gridSize = kernel.getGridSize();
    Value from[] = {threadIds.x, threadIds.y, threadIds.z,
                    blockIds.x,  blockIds.y,  blockIds.z};
    Value dims[] = {blockSize.x, blockSize.y, blockSize.z,
                    gridSize.x,  gridSize.y,  gridSize.z};
    for (size_t d = 0; d < 6; ++d) {
      mapping.map(from[d], ids[d]);
      mapping.map(dims[d], sizes[d]);
    }
    for (Operation &op : kernel.getBody().front().without_terminator())
      b.clone(op, mapping);
  }
};

struct PersistentTimeLoopsPass
    : seqc::impl::SeqPersistentTimeLoopsBase<PersistentTimeLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (failed(seqc::checkPassOption(getOperation(), getArgument(), "blocks",
                                     blocks, 1)))
      return signalPassFailure();
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (seqc::isFusedTimeLoop(loop) &&
          !loop->getParentOfType<gpu::LaunchOp>())
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops) {
      std::string why;
      FailureOr<PersistentPlan> plan = planLoop(loop, blocks, why);
      if (failed(plan)) {
        loop.emitRemark("the fused (persistent) variant does not apply, the "
                        "steps stay separate launches: ")
            << why;
        seqc::dropFusedVariant(loop);
        continue;
      }
      rewrite(loop, *plan);
    }
  }

  void rewrite(scf::ForOp loop, PersistentPlan &plan) {
    ImplicitLocOpBuilder b(loop.getLoc(), loop);
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(b, v);
    };
    Type i32 = b.getI32Type();

    // Two buffers per state, allocated once; freed when the function
    // returns (the loop no longer owns what it yields).
    SmallVector<std::pair<Value, Value>> buffers;
    Operation *ret = loop->getBlock()->getTerminator();
    for (auto &[arg, alloc] : plan.pingPong) {
      Value even = memref::AllocOp::create(b, alloc.getType());
      Value odd = memref::AllocOp::create(b, alloc.getType());
      buffers.push_back({even, odd});
      OpBuilder atEnd(ret);
      memref::DeallocOp::create(atEnd, loop.getLoc(), even);
      memref::DeallocOp::create(atEnd, loop.getLoc(), odd);
    }
    for (Operation *free : plan.frees)
      free->erase();
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    for (unsigned arg : plan.ownership) {
      OpBuilder inLoop(yield);
      yield->setOperand(arg, arith::ConstantIntOp::create(
                                 inLoop, loop.getLoc(), inLoop.getI1Type(), 0));
    }

    // The barrier counter, reset on the stream before the launch.
    auto counterType = MemRefType::get({1}, i32);
    Value counter = memref::AllocOp::create(b, counterType);
    Value one = index(1);
    auto reset = gpu::LaunchOp::create(b, one, one, one, one, one, one);
    seq::GpuKernelOf::set(
        reset, seq::GpuKernelFields().get(
                   b.getContext(), seq::GpuKernelKind::grid_barrier_reset));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&reset.getBody().front());
      memref::StoreOp::create(b, arith::ConstantIntOp::create(b, i32, 0),
                              counter, ValueRange{index(0)});
      gpu::TerminatorOp::create(b);
    }

    constexpr int64_t kThreads = seqc::kPersistentBlockThreads;
    // A grid-shaped kernel's dynamic shared memory (one at most) is the
    // persistent kernel's.
    Value dynamicShared;
    for (gpu::LaunchOp kernel : plan.kernels)
      if (Value bytes = kernel.getDynamicSharedMemorySize())
        dynamicShared = arith::ConstantIntOp::create(
            b, b.getI32Type(), *getConstantIntValue(bytes));
    auto launch = gpu::LaunchOp::create(
        b, index(blocks), one, one, index(kThreads), one, one, dynamicShared);
    // Cooperative: every block resident (it has a grid barrier).
    seq::GpuKernelFields kernel;
    kernel.cooperative = b.getBoolAttr(true);
    seq::GpuKernelOf::set(
        launch,
        kernel.get(b.getContext(), seq::GpuKernelKind::persistent_recurrence));
    // The runtime launches kernels named *_cooperative cooperatively.
    launch.setFunctionAttr(FlatSymbolRefAttr::get(
        b.getContext(), getOperation().getName().str() + "_persistent" +
                            SEQC_RT_COOPERATIVE_SUFFIX));
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&launch.getBody().front());
      Value threadX = launch.getThreadIds().x;
      Value linearId = arith::AddIOp::create(
          b, arith::MulIOp::create(b, launch.getBlockIds().x, index(kThreads)),
          threadX);
      PersistentKernelBuilder kb{{b}, blocks, kThreads, counter};
      // Grid-shaped kernels run as they are, their shared memory the
      // persistent kernel's, their weights staged once.
      IRMapping mapping;
      DenseSet<Operation *> hoisted;
      for (gpu::LaunchOp kernel : plan.kernels) {
        if (!plan.gridShaped.contains(kernel))
          continue;
        kb.mapGridShaped(kernel, launch, mapping);
        if (kb.hoistStepInvariant(kernel, loop, mapping))
          hoisted.insert(kernel);
      }
      auto steps =
          scf::ForOp::create(b, loop.getLowerBound(), loop.getUpperBound(),
                             loop.getStep(), loop.getInitArgs());
      b.setInsertionPointToStart(steps.getBody());
      mapping.map(loop.getInductionVar(), steps.getInductionVar());
      for (auto [from, to] :
           llvm::zip(loop.getRegionIterArgs(), steps.getRegionIterArgs()))
        mapping.map(from, to);
      // Step number (for the parity of the buffers and the barrier count).
      Value step = arith::DivUIOp::create(
          b,
          arith::SubIOp::create(b, steps.getInductionVar(),
                                loop.getLowerBound()),
          loop.getStep());
      Value even = arith::CmpIOp::create(
          b, arith::CmpIPredicate::eq,
          arith::RemUIOp::create(b, step, index(2)), index(0));
      for (auto [entry, pair] : llvm::zip(plan.pingPong, buffers))
        mapping.map(entry.second.getResult(),
                    arith::SelectOp::create(b, even, pair.first, pair.second)
                        .getResult());
      int64_t kernelsPerStep = plan.kernels.size(), k = 0;
      for (Operation &op : loop.getBody()->without_terminator()) {
        if (auto kernel = dyn_cast<gpu::LaunchOp>(op)) {
          if (plan.gridShaped.contains(kernel))
            kb.inlineGridShaped(kernel, mapping, hoisted.contains(kernel));
          else
            kb.inlineKernel(kernel, mapping, linearId);
          Value generation = arith::AddIOp::create(
              b, arith::MulIOp::create(b, step, index(kernelsPerStep)),
              index(k++));
          kb.gridBarrier(generation, threadX);
          continue;
        }
        if (isa<memref::AllocOp>(op) || op.use_empty())
          continue; // the state buffers are mapped; dead views are dropped
        b.clone(op, mapping);
      }
      SmallVector<Value> yielded;
      for (Value v : loop.getBody()->getTerminator()->getOperands())
        yielded.push_back(mapping.lookupOrDefault(v));
      scf::YieldOp::create(b, yielded);
      b.setInsertionPointAfter(steps);
      gpu::TerminatorOp::create(b);
    }
    memref::DeallocOp::create(b, counter);

    // What the loop returned, on the host: the buffer the last step wrote
    // (the initial one if there was no step); ownership false.
    Value trips = arith::CeilDivUIOp::create(
        b, arith::SubIOp::create(b, loop.getUpperBound(), loop.getLowerBound()),
        loop.getStep());
    Value none =
        arith::CmpIOp::create(b, arith::CmpIPredicate::eq, trips, index(0));
    Value lastEven = arith::CmpIOp::create(
        b, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(
            b,
            arith::SubIOp::create(b, arith::MaxUIOp::create(b, trips, one),
                                  one),
            index(2)),
        index(0));
    SmallVector<Value> results(loop.getResults());
    for (unsigned arg : plan.ownership)
      results[arg] = arith::ConstantIntOp::create(b, b.getI1Type(), 0);
    for (auto [entry, pair] : llvm::zip(plan.pingPong, buffers)) {
      Value last =
          arith::SelectOp::create(b, lastEven, pair.first, pair.second);
      results[entry.first] = arith::SelectOp::create(
          b, none, loop.getInitArgs()[entry.first], last);
    }
    // Buffers the steps leave alone: the initial ones.
    for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs()))
      if (results[i] == loop.getResult(i))
        results[i] = loop.getInitArgs()[i];
    loop.replaceAllUsesWith(results);
    loop.erase();
  }
};

} // namespace
