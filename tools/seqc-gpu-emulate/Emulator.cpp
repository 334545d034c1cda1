//===- Emulator.cpp - GPU kernels on the CPU, for tests -------------------===//
//
// The interpreter's control flow and threads: op dispatch, scf and
// control flow, launches (an OS thread per GPU thread, barriers, grid
// barriers on real atomics), and the entry point.
//
//===----------------------------------------------------------------------===//
#include "Emulator.h"

#include "Interpreter.h"

#include "dialects/Seq/IR/SeqDialect.h"

using namespace mlir;

namespace seqc::emulate {

using namespace detail;

namespace detail {

void Interpreter::run(Operation *op, Env &env, ThreadState *thread) {
  Dialect *dialect = op->getDialect();
  StringRef ns = dialect ? dialect->getNamespace() : "";
  if (ns == "arith" || ns == "math")
    return runArith(op, env);
  if (ns == "memref")
    return runMemRef(op, env);
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    int64_t lb = env.get(loop.getLowerBound()).i,
            ub = env.get(loop.getUpperBound()).i,
            step = env.get(loop.getStep()).i;
    SmallVector<RV> iter;
    for (Value v : loop.getInitArgs())
      iter.push_back(env.get(v));
    for (int64_t iv = lb; iv < ub; iv += step) {
      Env inner(&env);
      inner.set(loop.getInductionVar(), RV::integer(iv));
      for (auto [arg, value] : llvm::zip(loop.getRegionIterArgs(), iter))
        inner.set(arg, value);
      iter = runBlock(*loop.getBody(), inner, thread);
      if (!firstError.empty())
        return;
    }
    for (auto [result, value] : llvm::zip(loop.getResults(), iter))
      env.set(result, value);
    return;
  }
  if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    // Iterations in order (they are independent).
    if (!loop.getInitVals().empty())
      return fail(op, "parallel reductions are not emulated");
    SmallVector<int64_t> lbs, ubs, steps;
    for (auto [l, u, s] : llvm::zip(loop.getLowerBound(), loop.getUpperBound(),
                                    loop.getStep())) {
      lbs.push_back(env.get(l).i);
      ubs.push_back(env.get(u).i);
      steps.push_back(env.get(s).i);
    }
    SmallVector<int64_t> iv(lbs);
    for (size_t d = 0; d < lbs.size(); ++d)
      if (lbs[d] >= ubs[d])
        return;
    while (true) {
      Env inner(&env);
      for (auto [arg, value] : llvm::zip(loop.getInductionVars(), iv))
        inner.set(arg, RV::integer(value));
      runBlock(*loop.getBody(), inner, thread);
      if (!firstError.empty())
        return;
      int64_t d = int64_t(iv.size()) - 1;
      for (; d >= 0; --d) {
        iv[d] += steps[d];
        if (iv[d] < ubs[d])
          break;
        iv[d] = lbs[d];
      }
      if (d < 0)
        return;
    }
  }
  if (auto branch = dyn_cast<scf::IfOp>(op)) {
    bool taken = env.get(branch.getCondition()).i & 1;
    if (!taken && branch.getElseRegion().empty())
      return;
    Env inner(&env);
    SmallVector<RV> results = runRegion(
        taken ? branch.getThenRegion() : branch.getElseRegion(), inner, thread);
    for (auto [result, value] : llvm::zip(branch.getResults(), results))
      env.set(result, value);
    return;
  }
  if (auto region = dyn_cast<scf::ExecuteRegionOp>(op)) {
    Env inner(&env);
    SmallVector<RV> results = runRegion(region.getRegion(), inner, thread);
    for (auto [result, value] : llvm::zip(region.getResults(), results))
      env.set(result, value);
    return;
  }
  if (auto loop = dyn_cast<scf::WhileOp>(op)) {
    SmallVector<RV> args;
    for (Value v : loop.getInits())
      args.push_back(env.get(v));
    while (true) {
      Env before(&env);
      for (auto [arg, value] : llvm::zip(loop.getBeforeArguments(), args))
        before.set(arg, value);
      Block &b = loop.getBefore().front();
      for (Operation &inner : b.without_terminator())
        run(&inner, before, thread);
      auto condition = cast<scf::ConditionOp>(b.getTerminator());
      SmallVector<RV> forwarded;
      for (Value v : condition.getArgs())
        forwarded.push_back(before.get(v));
      if (!(before.get(condition.getCondition()).i & 1) ||
          !firstError.empty()) {
        for (auto [result, value] : llvm::zip(loop.getResults(), forwarded))
          env.set(result, value);
        return;
      }
      // Spinning threads let the others run.
      std::this_thread::yield();
      Env after(&env);
      for (auto [arg, value] : llvm::zip(loop.getAfterArguments(), forwarded))
        after.set(arg, value);
      args = runBlock(loop.getAfter().front(), after, thread);
    }
  }
  if (auto structured = dyn_cast<linalg::LinalgOp>(op))
    return runStructured(structured, env);
  if (auto launch = dyn_cast<gpu::LaunchOp>(op))
    return runLaunch(launch, env);
  if (isa<gpu::BarrierOp>(op)) {
    if (!thread)
      return fail(op, "a barrier outside a kernel");
    thread->block->barrier->arrive_and_wait();
    return;
  }
  if (isa<gpu::DynamicSharedMemoryOp>(op)) {
    if (!thread || !thread->block->dynamicShared.m)
      return fail(op, "dynamic shared memory outside a kernel that has it");
    return env.set(op->getResult(0), thread->block->dynamicShared);
  }
  if (auto mma = dyn_cast<NVVM::MmaOp>(op))
    return runMma(mma, env, thread);
  if (isa<NVVM::MembarOp>(op))
    return; // the interpreter's atomics are sequentially consistent
  if (auto load = dyn_cast<vector::LoadOp>(op)) {
    RV base = env.get(load.getBase());
    SmallVector<int64_t> at = indicesOf(load.getIndices(), env);
    Type element = load.getVectorType().getElementType();
    if (!alignedAccess(op, load.getAlignment(), *base.m, at))
      return;
    RV r;
    for (int64_t lane = 0; lane < load.getVectorType().getNumElements();
         ++lane) {
      r.e.push_back(loadElement(element, *base.m, at));
      ++at.back();
    }
    return env.set(load.getResult(), r);
  }
  if (auto store = dyn_cast<vector::StoreOp>(op)) {
    RV base = env.get(store.getBase()),
       value = env.get(store.getValueToStore());
    SmallVector<int64_t> at = indicesOf(store.getIndices(), env);
    Type element = store.getVectorType().getElementType();
    if (!alignedAccess(op, store.getAlignment(), *base.m, at))
      return;
    for (const RV &lane : value.e) {
      storeElement(element, lane, *base.m, at);
      ++at.back();
    }
    return;
  }
  // 1-D in-bounds transfers along a buffer's innermost dimension (the CPU
  // pipeline's step states in registers, seq-step-state-in-registers):
  // loads and stores of consecutive elements.
  if (auto transfer = dyn_cast<VectorTransferOpInterface>(op)) {
    if (transfer.getVectorType().getRank() != 1 || transfer.getMask() ||
        !transfer.getPermutationMap().isMinorIdentity() ||
        !transfer.isDimInBounds(0) || !isa<MemRefType>(transfer.getShapedType()))
      return fail(op, "only 1-D in-bounds transfers along a buffer's "
                      "innermost dimension are emulated");
    RV base = env.get(transfer.getBase());
    SmallVector<int64_t> at = indicesOf(transfer.getIndices(), env);
    Type element = transfer.getVectorType().getElementType();
    int64_t lanes = transfer.getVectorType().getNumElements();
    if (auto write = dyn_cast<vector::TransferWriteOp>(op)) {
      RV value = env.get(write.getVector());
      for (int64_t lane = 0; lane < lanes; ++lane, ++at.back())
        storeElement(element, value.e[lane], *base.m, at);
      return;
    }
    RV r;
    for (int64_t lane = 0; lane < lanes; ++lane, ++at.back())
      r.e.push_back(loadElement(element, *base.m, at));
    return env.set(op->getResult(0), r);
  }
  // Padding of the transfers above, never read (they are in bounds).
  if (auto poison = dyn_cast<ub::PoisonOp>(op))
    return env.set(poison.getResult(),
                   RV::real(std::numeric_limits<double>::quiet_NaN()));
  if (auto extract = dyn_cast<vector::ExtractOp>(op)) {
    if (extract.getNumIndices() != 1 || !extract.getDynamicPosition().empty())
      return fail(op, "only a static 1-D vector.extract is emulated");
    return env.set(
        extract.getResult(),
        env.get(extract.getSource()).e[extract.getStaticPosition()[0]]);
  }
  if (auto cast = dyn_cast<vector::BitCastOp>(op)) {
    // Through the little-endian bit pattern (lane 0 in the low bits).
    Type from = cast.getSourceVectorType().getElementType(),
         to = cast.getResultVectorType().getElementType();
    unsigned fromBits = from.getIntOrFloatBitWidth(),
             toBits = to.getIntOrFloatBitWidth();
    auto bitsOf = [&](const RV &lane) -> uint64_t {
      if (fromBits == 16 && isa<FloatType>(from))
        return bitsOf16(from, lane.f);
      if (from.isF32())
        return floatToBits(float(lane.f));
      return uint64_t(lane.i) & ((uint64_t(1) << fromBits) - 1);
    };
    std::vector<bool> bits;
    for (const RV &lane : env.get(cast.getSource()).e)
      for (unsigned i = 0; i < fromBits; ++i)
        bits.push_back((bitsOf(lane) >> i) & 1);
    RV r;
    for (size_t first = 0; first + toBits <= bits.size(); first += toBits) {
      uint64_t word = 0;
      for (unsigned i = 0; i < toBits; ++i)
        word |= uint64_t(bits[first + i]) << i;
      if (toBits == 16 && isa<FloatType>(to))
        r.e.push_back(RV::real(from16Bits(to, word)));
      else if (to.isF32())
        r.e.push_back(RV::real(bitsToFloat(uint32_t(word))));
      else if (isa<IntegerType>(to))
        r.e.push_back(RV::integer(wrap(to, int64_t(word))));
      else
        return fail(op, "vector bitcast not emulated");
    }
    return env.set(cast.getResult(), r);
  }
  if (auto broadcast = dyn_cast<vector::BroadcastOp>(op)) {
    auto type = cast<VectorType>(broadcast.getType());
    RV source = env.get(broadcast.getSource());
    if (isa<VectorType>(broadcast.getSource().getType()))
      return fail(op, "only scalar broadcasts");
    RV r;
    r.e.assign(type.getNumElements(), source);
    return env.set(broadcast.getResult(), r);
  }
  if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op))
    return runShuffle(shuffle, env, thread);
  if (auto apply = dyn_cast<affine::AffineApplyOp>(op)) {
    AffineMap map = apply.getAffineMap();
    SmallVector<int64_t> dims, symbols;
    for (auto [i, operand] : llvm::enumerate(apply.getMapOperands()))
      (i < map.getNumDims() ? dims : symbols).push_back(env.get(operand).i);
    std::optional<int64_t> value = evaluate(map.getResult(0), dims, symbols);
    if (!value)
      return fail(op, "cannot evaluate the map");
    env.set(apply.getResult(), RV::integer(*value));
    return;
  }
  if (auto extract = dyn_cast<LLVM::ExtractValueOp>(op)) {
    env.set(extract.getResult(),
            env.get(extract.getContainer()).e[extract.getPosition()[0]]);
    return;
  }
  if (auto cast = dyn_cast<LLVM::BitcastOp>(op)) {
    // i32 -> vector<2xf16>: the low half is element 0.
    auto vector = dyn_cast<VectorType>(cast.getType());
    int64_t word = env.get(cast.getArg()).i;
    if (!vector || vector.getNumElements() != 2 ||
        !cast.getArg().getType().isInteger(32))
      return fail(op, "only i32 -> vector<2x16-bit float> bitcasts");
    RV r;
    Type e = vector.getElementType();
    r.e = {RV::real(from16Bits(e, uint64_t(word))),
           RV::real(from16Bits(e, uint64_t(word) >> 16))};
    env.set(cast.getResult(), r);
    return;
  }
  if (auto callOp = dyn_cast<func::CallOp>(op)) {
    auto callee = module.lookupSymbol<func::FuncOp>(callOp.getCallee());
    if (!callee)
      return fail(op, "unknown callee");
    SmallVector<RV> args;
    for (Value v : callOp.getOperands())
      args.push_back(env.get(v));
    SmallVector<RV> results = call(callee, args);
    for (auto [result, value] : llvm::zip(callOp.getResults(), results))
      env.set(result, value);
    return;
  }
  fail(op, "not emulated");
}

void Interpreter::runLaunch(gpu::LaunchOp op, Env &env) {
  ++launches;
  auto size = [&](Value v) { return env.get(v).i; };
  int64_t grid[3] = {size(op.getGridSizeX()), size(op.getGridSizeY()),
                     size(op.getGridSizeZ())};
  int64_t block[3] = {size(op.getBlockSizeX()), size(op.getBlockSizeY()),
                      size(op.getBlockSizeZ())};
  int64_t threads = block[0] * block[1] * block[2];
  int64_t blocks = grid[0] * grid[1] * grid[2];
  bool synchronizes = false;
  op.getBody().walk([&](Operation *inner) {
    if (isa<gpu::BarrierOp, NVVM::MmaOp, gpu::ShuffleOp, memref::AtomicRMWOp>(
            inner))
      synchronizes = true;
  });
  seqc::seq::GpuKernelAttr kernel = seqc::seq::GpuKernelOf::get(op);
  bool cooperative = kernel && kernel.getCooperative() &&
                     kernel.getCooperative().getValue();
  Block &body = op.getBody().front();
  auto runThread = [&](int64_t b, int64_t t, BlockState *state,
                       ArrayRef<RV> workgroup) {
    Env inner(&env);
    gpu::KernelDim3 bids = op.getBlockIds(), tids = op.getThreadIds(),
                    gsz = op.getGridSize(), bsz = op.getBlockSize();
    int64_t bx = b % grid[0], by = (b / grid[0]) % grid[1],
            bz = b / (grid[0] * grid[1]);
    int64_t tx = t % block[0], ty = (t / block[0]) % block[1],
            tz = t / (block[0] * block[1]);
    Value names[12] = {bids.x, bids.y, bids.z, tids.x, tids.y, tids.z,
                       gsz.x,  gsz.y,  gsz.z,  bsz.x,  bsz.y,  bsz.z};
    int64_t values[12] = {bx,      by,       bz,       tx,
                          ty,      tz,       grid[0],  grid[1],
                          grid[2], block[0], block[1], block[2]};
    for (int i = 0; i < 12; ++i)
      inner.set(names[i], RV::integer(values[i]));
    for (auto [arg, value] :
         llvm::zip(op.getWorkgroupAttributions(), workgroup))
      inner.set(arg, value);
    ThreadState thread{state, t % 32, t / 32};
    runBlock(body, inner, &thread);
  };
  auto makeBlock = [&](std::vector<RV> &workgroup) {
    auto state = std::make_unique<BlockState>();
    state->barrier = std::make_unique<Barrier>(threads);
    int64_t warps = (threads + 31) / 32;
    for (int64_t w = 0; w < warps; ++w)
      state->warpBarriers.push_back(
          std::make_unique<Barrier>(std::min<int64_t>(32, threads - 32 * w)));
    state->mmaSlots.assign(warps, std::vector<std::array<double, 16>>(32));
    state->shuffleSlots.assign(warps, std::vector<RV>(32));
    for (BlockArgument arg : op.getWorkgroupAttributions())
      workgroup.push_back(
          RV::buffer(allocate(cast<MemRefType>(arg.getType()))));
    if (Value bytes = op.getDynamicSharedMemorySize())
      state->dynamicShared.m = allocate(MemRefType::get(
          {env.get(bytes).i}, IntegerType::get(op.getContext(), 8)));
    return state;
  };
  if (!synchronizes) {
    RaceTracker tracker;
    races = &tracker;
    for (int64_t b = 0; b < blocks; ++b) {
      std::vector<RV> workgroup;
      auto state = makeBlock(workgroup);
      for (int64_t t = 0; t < threads; ++t) {
        tracker.current = b * threads + t;
        runThread(b, t, state.get(), workgroup);
      }
    }
    races = nullptr;
    if (!tracker.race.empty())
      fail(op, "data race: " + tracker.race);
    return;
  }
  // One OS thread per GPU thread: of one block at a time, or of the whole
  // grid for a cooperative launch (its blocks wait for each other).
  int64_t together = cooperative ? blocks : 1;
  for (int64_t first = 0; first < blocks; first += together) {
    std::vector<std::unique_ptr<BlockState>> states;
    std::vector<std::vector<RV>> workgroups(together);
    for (int64_t b = 0; b < together; ++b)
      states.push_back(makeBlock(workgroups[b]));
    std::vector<std::thread> pool;
    for (int64_t b = 0; b < together; ++b)
      for (int64_t t = 0; t < threads; ++t)
        pool.emplace_back(runThread, first + b, t, states[b].get(),
                          ArrayRef<RV>(workgroups[b]));
    for (std::thread &th : pool)
      th.join();
  }
}

} // namespace detail

int64_t kernelLaunches() { return launches; }

std::string runFunction(func::FuncOp function,
                        std::vector<Contents> &arguments) {
  aborted = false;
  launches = 0;
  Interpreter interpreter(function->getParentOfType<ModuleOp>());
  std::vector<RV> args;
  for (auto [i, type] : llvm::enumerate(function.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || !memref.hasStaticShape() || !memref.getLayout().isIdentity())
      return "argument #" + std::to_string(i) +
             " is not a static identity-layout memref";
    RV r = RV::buffer(allocate(memref));
    if (arguments[i].size() != r.m->buffer->data.size())
      return "argument #" + std::to_string(i) + " has the wrong size";
    r.m->buffer->data = arguments[i];
    args.push_back(r);
  }
  interpreter.call(function, args);
  if (std::string error = interpreter.error(); !error.empty())
    return error;
  for (auto [i, r] : llvm::enumerate(args))
    arguments[i] = r.m->buffer->data;
  return "";
}

} // namespace seqc::emulate
