//===- Emulator.cpp - GPU kernels on the CPU, for tests -------------------===//
#include "Emulator.h"

#include "seqc/Support/HostTensor.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/bit.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

using namespace mlir;

namespace seqc::emulate {
namespace {

/// Set when an emulated thread fails: barriers stop waiting, so that the
/// other threads finish instead of hanging.
std::atomic<bool> aborted{false};

/// A reusable barrier for `count` threads (std::barrier is C++20).
class Barrier {
public:
  explicit Barrier(int64_t count) : count(count) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(mutex);
    int64_t generation = this->generation;
    if (++arrived == count) {
      arrived = 0;
      ++this->generation;
      changed.notify_all();
      return;
    }
    while (generation == this->generation && !aborted)
      changed.wait_for(lock, std::chrono::milliseconds(10));
  }

private:
  std::mutex mutex;
  std::condition_variable changed;
  int64_t count, arrived = 0, generation = 0;
};

struct Buffer {
  std::vector<double> data;
  int64_t id;
  /// Bytes a cell of `data` stands for: its element type's (1 for the
  /// byte-addressed dynamic shared memory that typed views carve up).
  int64_t cellBytes = 1;
};

struct MemRefV {
  std::shared_ptr<Buffer> buffer;
  int64_t offset = 0;
  std::vector<int64_t> sizes, strides;
  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t s : sizes)
      n *= s;
    return n;
  }
};

/// A runtime value: an integer (index, iN), a float, a buffer view, or the
/// elements of a vector or LLVM struct.
struct RV {
  int64_t i = 0;
  double f = 0;
  std::shared_ptr<MemRefV> m;
  std::vector<RV> e;
  static RV integer(int64_t v) {
    RV r;
    r.i = v;
    return r;
  }
  static RV real(double v) {
    RV r;
    r.f = v;
    return r;
  }
  static RV buffer(std::shared_ptr<MemRefV> m) {
    RV r;
    r.m = std::move(m);
    return r;
  }
};

std::atomic<int64_t> nextBufferId{1};
std::atomic<int64_t> launches{0};

/// `m` laid out row-major over `type`'s shape, its innermost stride
/// `innermost` cells.
void layOutRowMajor(MemRefV &m, MemRefType type, int64_t innermost) {
  m.sizes.assign(type.getShape().begin(), type.getShape().end());
  m.strides.assign(m.sizes.size(), innermost);
  for (int64_t d = int64_t(m.sizes.size()) - 2; d >= 0; --d)
    m.strides[d] = m.strides[d + 1] * m.sizes[d + 1];
}

std::shared_ptr<MemRefV> allocate(MemRefType type) {
  auto m = std::make_shared<MemRefV>();
  m->buffer = std::make_shared<Buffer>();
  m->buffer->id = nextBufferId++;
  Type element = type.getElementType();
  if (element.isIntOrFloat())
    m->buffer->cellBytes =
        std::max<int64_t>(1, element.getIntOrFloatBitWidth() / 8);
  layOutRowMajor(*m, type, 1);
  m->buffer->data.assign(m->numElements(), 0.0);
  return m;
}

float bitsToFloat(uint32_t bits) { return llvm::bit_cast<float>(bits); }
uint32_t floatToBits(float f) { return llvm::bit_cast<uint32_t>(f); }

/// `x` rounded to the float type `t` (round to nearest even).
double roundTo(Type t, double x) {
  if (t.isF32())
    return double(float(x));
  if (t.isBF16())
    return fromBF16(toBF16(x));
  if (t.isF16())
    return fromF16(toF16(x));
  return x;
}

uint64_t bitsOf16(Type t, double x) {
  return t.isBF16() ? toBF16(x) : toF16(x);
}
double from16Bits(Type t, uint64_t bits) {
  return t.isBF16() ? fromBF16(uint16_t(bits)) : fromF16(uint16_t(bits));
}

/// `v` truncated to the width of integer type `t` (index: 64 bits),
/// sign-extended (i1 and narrower kept as 0/1 or two's complement).
int64_t wrap(Type t, int64_t v) {
  unsigned width = t.isIndex() ? 64 : t.getIntOrFloatBitWidth();
  if (width >= 64)
    return v;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t u = uint64_t(v) & mask;
  if (width > 1 && (u >> (width - 1)))
    u |= ~mask;
  return int64_t(u);
}
uint64_t unsignedOf(Type t, int64_t v) {
  unsigned width = t.isIndex() ? 64 : t.getIntOrFloatBitWidth();
  return width >= 64 ? uint64_t(v) : uint64_t(v) & ((uint64_t(1) << width) - 1);
}

/// `e` at dimensions `iv` and symbols `symbols` (nullopt for a symbol
/// without a value).
static std::optional<int64_t> evaluate(AffineExpr e, ArrayRef<int64_t> iv,
                                       ArrayRef<int64_t> symbols = {}) {
  if (auto dim = dyn_cast<AffineDimExpr>(e))
    return iv[dim.getPosition()];
  if (auto symbol = dyn_cast<AffineSymbolExpr>(e)) {
    if (symbol.getPosition() >= symbols.size())
      return std::nullopt;
    return symbols[symbol.getPosition()];
  }
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue();
  auto binary = dyn_cast<AffineBinaryOpExpr>(e);
  if (!binary)
    return std::nullopt;
  std::optional<int64_t> l = evaluate(binary.getLHS(), iv, symbols),
                         r = evaluate(binary.getRHS(), iv, symbols);
  if (!l || !r)
    return std::nullopt;
  switch (e.getKind()) {
  case AffineExprKind::Add:
    return *l + *r;
  case AffineExprKind::Mul:
    return *l * *r;
  case AffineExprKind::Mod:
    return ((*l % *r) + *r) % *r;
  case AffineExprKind::FloorDiv:
    return *l / *r - ((*l % *r) != 0 && ((*l < 0) != (*r < 0)));
  case AffineExprKind::CeilDiv:
    return *l / *r + ((*l % *r) != 0 && ((*l < 0) == (*r < 0)));
  default:
    return std::nullopt;
  }
}

/// What the threads of one block share.
struct BlockState {
  std::unique_ptr<Barrier> barrier;
  std::vector<std::unique_ptr<Barrier>> warpBarriers;
  /// Per warp, per lane: the decoded mma operands (A 8, B 4, C 4).
  std::vector<std::vector<std::array<double, 16>>> mmaSlots;
  /// Per warp, per lane: the value offered to a shuffle.
  std::vector<std::vector<RV>> shuffleSlots;
  /// The launch's dynamic shared memory: one cell per byte, so that a
  /// memref.view at a byte shift lands on its own cells (an element of
  /// N bytes lives in the cell of its first byte).
  RV dynamicShared;
};

struct ThreadState {
  BlockState *block = nullptr;
  int64_t lane = 0, warp = 0;
};

struct Env {
  explicit Env(const Env *parent = nullptr) : parent(parent) {}
  const Env *parent;
  llvm::DenseMap<Value, RV> values;
  /// By value: a reference into the map would dangle once set() grows it.
  RV get(Value v) const {
    for (const Env *env = this; env; env = env->parent) {
      auto it = env->values.find(v);
      if (it != env->values.end())
        return it->second;
    }
    return RV();
  }
  void set(Value v, RV r) { values[v] = std::move(r); }
};

class Interpreter {
public:
  explicit Interpreter(ModuleOp module) : module(module) {}

  std::string error() {
    std::lock_guard<std::mutex> lock(errorMutex);
    return firstError;
  }
  void fail(Operation *op, const std::string &what) {
    std::lock_guard<std::mutex> lock(errorMutex);
    aborted = true;
    if (firstError.empty()) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << op->getLoc() << ": " << op->getName() << ": " << what;
      firstError = text;
    }
  }

  SmallVector<RV> call(func::FuncOp function, ArrayRef<RV> arguments) {
    Env env;
    Block &entry = function.getBody().front();
    for (auto [arg, value] : llvm::zip(entry.getArguments(), arguments))
      env.set(arg, value);
    return runRegion(function.getBody(), env, nullptr);
  }

private:
  ModuleOp module;
  std::mutex errorMutex, atomicMutex;
  std::string firstError;

  /// Runs a single-block region... or a CFG-free function body; returns
  /// the terminator's operands.
  SmallVector<RV> runRegion(Region &region, Env &env, ThreadState *thread) {
    return runBlock(region.front(), env, thread);
  }

  SmallVector<RV> runBlock(Block &block, Env &env, ThreadState *thread) {
    for (Operation &op : block.without_terminator()) {
      run(&op, env, thread);
      if (!firstError.empty())
        return {};
    }
    SmallVector<RV> results;
    for (Value v : block.getTerminator()->getOperands())
      results.push_back(env.get(v));
    return results;
  }

  static Type elementTypeOf(Value v) {
    return getElementTypeOrSelf(v.getType());
  }

  /// The linear position of `indices` in a view.
  int64_t position(const MemRefV &m, ArrayRef<int64_t> indices) {
    int64_t p = m.offset;
    for (auto [i, stride] : llvm::zip(indices, m.strides))
      p += i * stride;
    return p;
  }

  /// Whether a vector access at `indices` of `m` is as aligned as its
  /// `alignment` claims (the GPU faults otherwise), every buffer's base
  /// being 16-byte aligned (the bundle's entry points refuse others, and
  /// allocations are); fails `op` if not.
  bool alignedAccess(Operation *op, std::optional<uint64_t> alignment,
                     const MemRefV &m, ArrayRef<int64_t> indices) {
    if (!alignment)
      return true;
    int64_t address = position(m, indices) * m.buffer->cellBytes;
    if (address % int64_t(*alignment) == 0)
      return true;
    fail(op, "a vector access at byte " + std::to_string(address) +
                 " is not " + std::to_string(*alignment) +
                 "-byte aligned as it claims");
    return false;
  }

  /// Data races between the threads of a kernel without barriers (run one
  /// GPU thread after another, where a race would go unseen): per element,
  /// the GPU thread that wrote it and the one that read it (-2: several).
  struct RaceTracker {
    int64_t current = 0;
    std::map<std::pair<const Buffer *, int64_t>, std::pair<int64_t, int64_t>>
        accesses; // -> (writer, reader), -1: none
    std::string race;
  };
  RaceTracker *races = nullptr;

  void noteAccess(const MemRefV &m, int64_t p, bool write) {
    if (!races || !races->race.empty())
      return;
    auto [it, fresh] = races->accesses.try_emplace(
        std::make_pair(m.buffer.get(), p), std::make_pair(-1, -1));
    auto &[writer, reader] = it->second;
    int64_t t = races->current;
    if (writer >= 0 && writer != t)
      races->race = "GPU thread " + std::to_string(t) +
                    (write ? " writes" : " reads") + " an element GPU thread " +
                    std::to_string(writer) + " wrote in the same kernel";
    else if (write && reader != -1 && reader != t)
      races->race = "GPU thread " + std::to_string(t) +
                    " writes an element another GPU thread read in the "
                    "same kernel";
    if (write)
      writer = t;
    else
      reader = reader == -1 || reader == t ? t : -2;
  }

  RV loadElement(Type element, const MemRefV &m, ArrayRef<int64_t> indices) {
    int64_t p = position(m, indices);
    noteAccess(m, p, /*write=*/false);
    double x = m.buffer->data[p];
    return isa<FloatType>(element) ? RV::real(x) : RV::integer(int64_t(x));
  }
  void storeElement(Type element, const RV &value, MemRefV &m,
                    ArrayRef<int64_t> indices) {
    int64_t p = position(m, indices);
    noteAccess(m, p, /*write=*/true);
    m.buffer->data[p] = isa<FloatType>(element) ? value.f : double(value.i);
  }

  SmallVector<int64_t> indicesOf(ValueRange indices, Env &env) {
    SmallVector<int64_t> result;
    for (Value v : indices)
      result.push_back(env.get(v).i);
    return result;
  }

  /// Static or dynamic sizes/offsets/strides of a view op.
  SmallVector<int64_t> mixed(ArrayRef<OpFoldResult> values, Env &env) {
    SmallVector<int64_t> result;
    for (OpFoldResult v : values) {
      if (auto attr = dyn_cast<Attribute>(v))
        result.push_back(cast<IntegerAttr>(attr).getInt());
      else
        result.push_back(env.get(cast<Value>(v)).i);
    }
    return result;
  }

  void run(Operation *op, Env &env, ThreadState *thread);
  /// `lane`: `env` holds one lane of the vector operands.
  void runArith(Operation *op, Env &env, bool lane = false);
  void runMemRef(Operation *op, Env &env);
  void runStructured(linalg::LinalgOp op, Env &env);
  void runLaunch(gpu::LaunchOp op, Env &env);
  void runMma(NVVM::MmaOp op, Env &env, ThreadState *thread);
  void runShuffle(gpu::ShuffleOp op, Env &env, ThreadState *thread);
};

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

void Interpreter::runArith(Operation *op, Env &env, bool lane) {
  // Vectors lane by lane (a scalar operand is the same in every lane);
  // vector constants are splats.
  if (op->getNumResults() == 1 && !lane)
    if (auto vector = dyn_cast<VectorType>(op->getResult(0).getType())) {
      if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
        auto splat = dyn_cast<SplatElementsAttr>(constant.getValue());
        if (!splat)
          return fail(op, "only splat vector constants");
        Attribute element = splat.getSplatValue<Attribute>();
        RV one = isa<FloatAttr>(element)
                     ? RV::real(cast<FloatAttr>(element).getValueAsDouble())
                     : RV::integer(cast<IntegerAttr>(element).getInt());
        RV r;
        r.e.assign(vector.getNumElements(), one);
        return env.set(op->getResult(0), r);
      }
      RV r;
      for (int64_t l = 0; l < vector.getNumElements(); ++l) {
        Env laneEnv(&env);
        for (Value operand : op->getOperands()) {
          RV value = env.get(operand);
          if (isa<VectorType>(operand.getType()) &&
              int64_t(value.e.size()) <= l)
            return fail(op, "a vector operand the emulator does not know");
          laneEnv.set(operand,
                      isa<VectorType>(operand.getType()) ? value.e[l] : value);
        }
        runArith(op, laneEnv, /*lane=*/true);
        r.e.push_back(laneEnv.get(op->getResult(0)));
      }
      return env.set(op->getResult(0), r);
    }
  auto arg = [&](unsigned i) { return env.get(op->getOperand(i)); };
  Type type = op->getNumResults()
                  ? getElementTypeOrSelf(op->getResult(0).getType())
                  : Type();
  auto setI = [&](int64_t v) {
    env.set(op->getResult(0), RV::integer(wrap(type, v)));
  };
  auto setF = [&](double v) {
    env.set(op->getResult(0), RV::real(roundTo(type, v)));
  };
  Type operandType = op->getNumOperands()
                         ? getElementTypeOrSelf(op->getOperand(0).getType())
                         : Type();
  auto u = [&](unsigned i) { return unsignedOf(operandType, arg(i).i); };
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    Attribute value = constant.getValue();
    if (auto i = dyn_cast<IntegerAttr>(value))
      return setI(
          type.isInteger(1)
              ? int64_t(i.getValue().getBoolValue())
              : (type.isIndex() ? i.getInt() : i.getValue().getSExtValue()));
    if (auto f = dyn_cast<FloatAttr>(value))
      return setF(f.getValueAsDouble());
    return fail(op, "only scalar constants");
  }
  if (isa<arith::AddIOp>(op))
    return setI(arg(0).i + arg(1).i);
  if (isa<arith::SubIOp>(op))
    return setI(arg(0).i - arg(1).i);
  if (isa<arith::MulIOp>(op))
    return setI(arg(0).i * arg(1).i);
  if (isa<arith::DivUIOp>(op))
    return setI(int64_t(u(0) / u(1)));
  if (isa<arith::RemUIOp>(op))
    return setI(int64_t(u(0) % u(1)));
  if (isa<arith::DivSIOp>(op))
    return setI(arg(0).i / arg(1).i);
  if (isa<arith::RemSIOp>(op))
    return setI(arg(0).i % arg(1).i);
  if (isa<arith::CeilDivUIOp>(op))
    return setI(int64_t((u(0) + u(1) - 1) / u(1)));
  if (isa<arith::MinUIOp>(op))
    return setI(int64_t(std::min(u(0), u(1))));
  if (isa<arith::MaxUIOp>(op))
    return setI(int64_t(std::max(u(0), u(1))));
  if (isa<arith::MinSIOp>(op))
    return setI(std::min(arg(0).i, arg(1).i));
  if (isa<arith::MaxSIOp>(op))
    return setI(std::max(arg(0).i, arg(1).i));
  if (isa<arith::AndIOp>(op))
    return setI(arg(0).i & arg(1).i);
  if (isa<arith::OrIOp>(op))
    return setI(arg(0).i | arg(1).i);
  if (isa<arith::XOrIOp>(op))
    return setI(arg(0).i ^ arg(1).i);
  if (isa<arith::ShLIOp>(op))
    return setI(int64_t(u(0) << u(1)));
  if (isa<arith::ShRUIOp>(op))
    return setI(int64_t(u(0) >> u(1)));
  if (isa<arith::ExtUIOp>(op))
    return setI(int64_t(u(0)));
  if (isa<arith::ExtSIOp, arith::TruncIOp, arith::IndexCastOp,
          arith::IndexCastUIOp>(op))
    return setI(isa<arith::IndexCastUIOp>(op) ? int64_t(u(0)) : arg(0).i);
  if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    unsigned width =
        operandType.isIndex() ? 64 : operandType.getIntOrFloatBitWidth();
    APInt a(width, u(0)), b(width, u(1));
    return env.set(op->getResult(0), RV::integer(arith::applyCmpPredicate(
                                         cmp.getPredicate(), a, b)));
  }
  if (auto select = dyn_cast<arith::SelectOp>(op)) {
    env.set(op->getResult(0), (arg(0).i & 1) ? arg(1) : arg(2));
    return;
  }
  if (isa<arith::AddFOp>(op))
    return setF(arg(0).f + arg(1).f);
  if (isa<arith::SubFOp>(op))
    return setF(arg(0).f - arg(1).f);
  if (isa<arith::MulFOp>(op))
    return setF(arg(0).f * arg(1).f);
  if (isa<arith::DivFOp>(op))
    return setF(arg(0).f / arg(1).f);
  if (isa<arith::NegFOp>(op))
    return setF(-arg(0).f);
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
    return setF(std::max(arg(0).f, arg(1).f));
  if (isa<arith::MinimumFOp, arith::MinNumFOp>(op))
    return setF(std::min(arg(0).f, arg(1).f));
  if (isa<arith::ExtFOp, arith::TruncFOp>(op))
    return setF(arg(0).f);
  if (isa<arith::SIToFPOp>(op))
    return setF(double(arg(0).i));
  if (isa<arith::UIToFPOp>(op))
    return setF(double(u(0)));
  if (isa<arith::FPToSIOp>(op))
    return setI(int64_t(arg(0).f));
  if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
    // In double: the operands are already rounded to their type.
    return env.set(op->getResult(0), RV::integer(arith::applyCmpPredicate(
                                         cmp.getPredicate(), APFloat(arg(0).f),
                                         APFloat(arg(1).f))));
  }

  if (auto cast = dyn_cast<arith::BitcastOp>(op)) {
    Type from = cast.getIn().getType(), to = cast.getType();
    if (isa<FloatType>(from) && from.getIntOrFloatBitWidth() == 16 &&
        to.isInteger(16))
      return setI(int64_t(bitsOf16(from, arg(0).f)));
    if (from.isInteger(16) && isa<FloatType>(to) &&
        to.getIntOrFloatBitWidth() == 16)
      return setF(from16Bits(to, u(0)));
    if (from.isF32() && to.isInteger(32))
      return setI(int64_t(floatToBits(float(arg(0).f))));
    if (from.isInteger(32) && to.isF32())
      return setF(bitsToFloat(uint32_t(u(0))));
    return fail(op, "bitcast not emulated");
  }
  if (isa<math::ExpOp>(op))
    return setF(std::exp(arg(0).f));
  if (isa<math::LogOp>(op))
    return setF(std::log(arg(0).f));
  if (isa<math::TanhOp>(op))
    return setF(std::tanh(arg(0).f));
  if (isa<math::SinOp>(op))
    return setF(std::sin(arg(0).f));
  if (isa<math::CosOp>(op))
    return setF(std::cos(arg(0).f));
  if (isa<math::SqrtOp>(op))
    return setF(std::sqrt(arg(0).f));
  if (isa<math::AbsFOp>(op))
    return setF(std::fabs(arg(0).f));
  if (isa<math::FmaOp>(op))
    return setF(arg(0).f * arg(1).f + arg(2).f);
  fail(op, "not emulated");
}

void Interpreter::runMemRef(Operation *op, Env &env) {
  for (Value operand : op->getOperands())
    if (isa<MemRefType, UnrankedMemRefType>(operand.getType()) &&
        !env.get(operand).m)
      return fail(op, "a buffer operand the emulator does not know");
  if (isa<memref::AllocOp, memref::AllocaOp>(op)) {
    auto type = cast<MemRefType>(op->getResult(0).getType());
    if (!type.hasStaticShape())
      return fail(op, "dynamic allocations are not emulated");
    return env.set(op->getResult(0), RV::buffer(allocate(type)));
  }
  if (auto get = dyn_cast<memref::GetGlobalOp>(op)) {
    // A constant global (the host's splat-free constants): its elements,
    // in a fresh buffer per use.
    auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
        op, get.getNameAttr());
    auto elements = global ? dyn_cast_or_null<DenseElementsAttr>(
                                 global.getInitialValueAttr())
                           : DenseElementsAttr();
    if (!elements || !get.getType().hasStaticShape())
      return fail(op, "a global without a dense initial value");
    std::shared_ptr<MemRefV> m = allocate(get.getType());
    int64_t n = 0;
    if (isa<FloatType>(elements.getElementType()))
      for (const APFloat &x : elements.getValues<APFloat>())
        m->buffer->data[n++] = x.convertToDouble();
    else
      for (const APInt &x : elements.getValues<APInt>())
        m->buffer->data[n++] = double(x.getSExtValue());
    return env.set(op->getResult(0), RV::buffer(m));
  }
  if (isa<memref::DeallocOp>(op))
    return; // buffers are reference counted
  if (auto view = dyn_cast<memref::ViewOp>(op)) {
    // Byte-addressed source (dynamic shared memory, see BlockState).
    const RV &source = env.get(view.getSource());
    MemRefType type = view.getType();
    if (!type.hasStaticShape())
      return fail(op, "a view of dynamic shape is not emulated");
    auto m = std::make_shared<MemRefV>();
    m->buffer = source.m->buffer;
    m->offset = source.m->offset + env.get(view.getByteShift()).i;
    int64_t elementBytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    layOutRowMajor(*m, type, elementBytes);
    if (m->offset + m->numElements() * elementBytes >
        int64_t(m->buffer->data.size()))
      return fail(op, "a view past the end of its buffer");
    return env.set(view.getResult(), RV::buffer(m));
  }
  if (auto load = dyn_cast<memref::LoadOp>(op)) {
    const RV &m = env.get(load.getMemref());
    if (!m.m)
      return fail(op, "load from an unknown buffer");
    return env.set(
        load.getResult(),
        loadElement(load.getType(), *m.m, indicesOf(load.getIndices(), env)));
  }
  if (auto store = dyn_cast<memref::StoreOp>(op)) {
    const RV &m = env.get(store.getMemref());
    if (!m.m)
      return fail(op, "store to an unknown buffer");
    storeElement(store.getValueToStore().getType(), env.get(store.getValue()),
                 *m.m, indicesOf(store.getIndices(), env));
    return;
  }
  if (auto atomic = dyn_cast<memref::AtomicRMWOp>(op)) {
    std::lock_guard<std::mutex> lock(atomicMutex);
    const RV &m = env.get(atomic.getMemref());
    double &cell =
        m.m->buffer->data[position(*m.m, indicesOf(atomic.getIndices(), env))];
    double old = cell, value = isa<FloatType>(atomic.getType())
                                   ? env.get(atomic.getValue()).f
                                   : double(env.get(atomic.getValue()).i);
    switch (atomic.getKind()) {
    case arith::AtomicRMWKind::addi:
    case arith::AtomicRMWKind::addf:
      cell = old + value;
      break;
    case arith::AtomicRMWKind::assign:
      cell = value;
      break;
    default:
      return fail(op, "atomic kind not emulated");
    }
    return env.set(atomic.getResult(), isa<FloatType>(atomic.getType())
                                           ? RV::real(old)
                                           : RV::integer(int64_t(old)));
  }
  if (auto view = dyn_cast<memref::SubViewOp>(op)) {
    const RV &source = env.get(view.getSource());
    auto m = std::make_shared<MemRefV>(*source.m);
    SmallVector<int64_t> offsets = mixed(view.getMixedOffsets(), env),
                         sizes = mixed(view.getMixedSizes(), env),
                         strides = mixed(view.getMixedStrides(), env);
    m->offset = position(*source.m, offsets);
    std::vector<int64_t> newSizes, newStrides;
    llvm::SmallBitVector dropped = view.getDroppedDims();
    for (size_t d = 0; d < sizes.size(); ++d) {
      if (dropped.test(d))
        continue;
      newSizes.push_back(sizes[d]);
      newStrides.push_back(source.m->strides[d] * strides[d]);
    }
    m->sizes = newSizes;
    m->strides = newStrides;
    return env.set(view.getResult(), RV::buffer(m));
  }
  if (auto expand = dyn_cast<memref::ExpandShapeOp>(op)) {
    const RV &source = env.get(expand.getSrc());
    auto m = std::make_shared<MemRefV>();
    m->buffer = source.m->buffer;
    m->offset = source.m->offset;
    auto type = expand.getResultType();
    for (auto [d, group] : llvm::enumerate(expand.getReassociationIndices())) {
      // The group's dimensions split the source dimension row-major.
      int64_t stride = source.m->strides[d];
      std::vector<int64_t> groupStrides(group.size());
      for (int64_t g = int64_t(group.size()) - 1; g >= 0; --g) {
        groupStrides[g] = stride;
        stride *= type.getDimSize(group[g]);
      }
      for (size_t g = 0; g < group.size(); ++g) {
        m->sizes.push_back(type.getDimSize(group[g]));
        m->strides.push_back(groupStrides[g]);
      }
    }
    return env.set(expand.getResult(), RV::buffer(m));
  }
  if (auto collapse = dyn_cast<memref::CollapseShapeOp>(op)) {
    const RV &source = env.get(collapse.getSrc());
    auto m = std::make_shared<MemRefV>();
    m->buffer = source.m->buffer;
    m->offset = source.m->offset;
    for (auto group : collapse.getReassociationIndices()) {
      int64_t size = 1;
      for (int64_t d : group)
        size *= source.m->sizes[d];
      m->sizes.push_back(size);
      // Contiguous within the group: the innermost dimension's stride.
      m->strides.push_back(source.m->strides[group.back()]);
    }
    return env.set(collapse.getResult(), RV::buffer(m));
  }
  if (auto cast = dyn_cast<memref::CastOp>(op))
    return env.set(cast.getResult(), env.get(cast.getSource()));
  if (auto meta = dyn_cast<memref::ExtractStridedMetadataOp>(op)) {
    const RV &source = env.get(meta.getSource());
    RV base;
    base.m = std::make_shared<MemRefV>();
    base.m->buffer = source.m->buffer;
    env.set(meta.getBaseBuffer(), base);
    env.set(meta.getOffset(), RV::integer(source.m->offset));
    for (auto [v, s] : llvm::zip(meta.getSizes(), source.m->sizes))
      env.set(v, RV::integer(s));
    for (auto [v, s] : llvm::zip(meta.getStrides(), source.m->strides))
      env.set(v, RV::integer(s));
    return;
  }
  if (auto pointer = dyn_cast<memref::ExtractAlignedPointerAsIndexOp>(op)) {
    const RV &source = env.get(pointer.getSource());
    return env.set(pointer.getResult(),
                   RV::integer(source.m->buffer->id << 32));
  }
  if (auto dim = dyn_cast<memref::DimOp>(op)) {
    const RV &source = env.get(dim.getSource());
    return env.set(dim.getResult(),
                   RV::integer(source.m->sizes[env.get(dim.getIndex()).i]));
  }
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    const MemRefV &from = *env.get(copy.getSource()).m;
    MemRefV &to = *env.get(copy.getTarget()).m;
    SmallVector<int64_t> index(from.sizes.size(), 0);
    for (int64_t n = 0; n < from.numElements(); ++n) {
      int64_t rest = n;
      for (int64_t d = int64_t(index.size()) - 1; d >= 0; --d) {
        index[d] = rest % from.sizes[d];
        rest /= from.sizes[d];
      }
      to.buffer->data[position(to, index)] =
          from.buffer->data[position(from, index)];
    }
    return;
  }
  fail(op, "not emulated");
}

/// Any structured op (generic or named) through its indexing maps and body.
void Interpreter::runStructured(linalg::LinalgOp op, Env &env) {
  if (!op.hasPureBufferSemantics())
    return fail(op, "only linalg ops on buffers");
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Block &body = *op.getBlock();
  SmallVector<int64_t> iv(ranges.size(), 0);
  int64_t total = 1;
  for (int64_t r : ranges)
    total *= r;
  for (int64_t n = 0; n < total; ++n) {
    int64_t rest = n;
    for (int64_t d = int64_t(ranges.size()) - 1; d >= 0; --d) {
      iv[d] = rest % ranges[d];
      rest /= ranges[d];
    }
    Env inner(&env);
    SmallVector<SmallVector<int64_t>> at;
    for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
      SmallVector<int64_t> indices;
      for (AffineExpr e : maps[i].getResults()) {
        std::optional<int64_t> index = evaluate(e, iv);
        if (!index)
          return fail(op, "an indexing map with symbols");
        indices.push_back(*index);
      }
      const RV &m = env.get(operand);
      if (m.m)
        inner.set(body.getArgument(i),
                  loadElement(body.getArgument(i).getType(), *m.m, indices));
      else
        inner.set(body.getArgument(i), m); // a scalar operand
      at.push_back(indices);
    }
    for (Operation &inner_op : body.without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(inner_op)) {
        inner.set(index.getResult(), RV::integer(iv[index.getDim()]));
        continue;
      }
      run(&inner_op, inner, nullptr);
    }
    unsigned numInputs = op.getNumDpsInputs();
    for (auto [o, value] :
         llvm::enumerate(body.getTerminator()->getOperands())) {
      Value output = op.getDpsInits()[o];
      storeElement(body.getArgument(numInputs + o).getType(), inner.get(value),
                   *env.get(output).m, at[numInputs + o]);
    }
  }
}

void Interpreter::runMma(NVVM::MmaOp op, Env &env, ThreadState *thread) {
  if (!thread)
    return fail(op, "mma.sync outside a kernel");
  auto shape = op.getShape();
  if (shape.getM() != 16 || shape.getN() != 8 || shape.getK() != 16)
    return fail(op, "only m16n8k16");
  // This lane's registers, as the 16-bit elements they hold (low half
  // first) and its C.
  std::array<double, 16> mine{};
  auto halves = [&](Value reg, double *out) {
    const RV &r = env.get(reg);
    if (!r.e.empty()) { // vector<2xf16>
      out[0] = r.e[0].f;
      out[1] = r.e[1].f;
      return;
    }
    uint64_t word = uint64_t(r.i) & 0xffffffffu;
    Type bf16 = BFloat16Type::get(op.getContext());
    out[0] = from16Bits(bf16, word);
    out[1] = from16Bits(bf16, word >> 16);
  };
  for (int r = 0; r < 4; ++r)
    halves(op.getOperandA()[r], &mine[2 * r]);
  for (int r = 0; r < 2; ++r)
    halves(op.getOperandB()[r], &mine[8 + 2 * r]);
  std::array<double, 4> c;
  for (int r = 0; r < 4; ++r)
    c[r] = env.get(op.getOperandC()[r]).f;
  auto &slots = thread->block->mmaSlots[thread->warp];
  slots[thread->lane] = mine;
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  // The matrices, from every lane's registers (PTX ISA, "Matrix Fragments
  // for mma.m16n8k16 with floating point type").
  double A[16][16], B[16][8];
  for (int lane = 0; lane < 32; ++lane) {
    int g = lane >> 2, t = lane % 4;
    for (int i = 0; i < 8; ++i) {
      int row = (i < 2 || (i >= 4 && i < 6)) ? g : g + 8;
      int col = t * 2 + (i & 1) + (i >= 4 ? 8 : 0);
      A[row][col] = slots[lane][i];
    }
    for (int i = 0; i < 4; ++i) {
      int row = t * 2 + (i & 1) + (i >= 2 ? 8 : 0);
      B[row][g] = slots[lane][8 + i];
    }
  }
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  int g = int(thread->lane) >> 2, t = int(thread->lane) % 4;
  RV d;
  for (int i = 0; i < 4; ++i) {
    int row = i < 2 ? g : g + 8, col = t * 2 + (i & 1);
    double sum = c[i];
    for (int k = 0; k < 16; ++k)
      sum += A[row][k] * B[k][col];
    d.e.push_back(RV::real(double(float(sum))));
  }
  env.set(op.getResult(), d);
}

/// gpu.shuffle: every lane of the warp offers its value, then reads the
/// source lane's (up: lane - offset, down: lane + offset, xor, idx); a
/// source outside the width gives the lane's own value, not valid.
void Interpreter::runShuffle(gpu::ShuffleOp op, Env &env, ThreadState *thread) {
  if (!thread)
    return fail(op, "a shuffle outside a kernel");
  int64_t offset = env.get(op.getOffset()).i, width = env.get(op.getWidth()).i;
  auto &slots = thread->block->shuffleSlots[thread->warp];
  slots[thread->lane] = env.get(op.getValue());
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  int64_t lane = thread->lane, base = lane - lane % width, source = lane;
  switch (op.getMode()) {
  case gpu::ShuffleMode::UP:
    source = lane - offset;
    break;
  case gpu::ShuffleMode::DOWN:
    source = lane + offset;
    break;
  case gpu::ShuffleMode::XOR:
    source = lane ^ offset;
    break;
  case gpu::ShuffleMode::IDX:
    source = base + offset;
    break;
  }
  bool valid = source >= base && source < base + width;
  RV value = valid ? slots[source] : slots[lane];
  thread->block->warpBarriers[thread->warp]->arrive_and_wait();
  env.set(op.getShuffleResult(), value);
  env.set(op.getValid(), RV::integer(valid));
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
  bool cooperative = op->hasAttr("seq.cooperative");
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

} // namespace

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
