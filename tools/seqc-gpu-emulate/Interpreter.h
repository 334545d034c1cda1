//===- Interpreter.h - the emulator's values, threads and interpreter
//------===//
//
// Shared by the emulator's translation units: the values an op computes
// (scalars, vectors, memrefs over reference-counted buffers), rounding to
// the types the kernels use, blocks and warps with their barriers, and the
// interpreter whose op families are implemented in Emulator.cpp (control,
// threads, launches), InterpretArith.cpp, InterpretMemRef.cpp and
// InterpretNVVM.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_TOOLS_SEQC_GPU_EMULATE_INTERPRETER_H
#define SEQC_TOOLS_SEQC_GPU_EMULATE_INTERPRETER_H

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
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/bit.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

namespace seqc::emulate::detail {

using namespace mlir;

/// Set when an emulated thread fails: barriers stop waiting, so that the
/// other threads finish instead of hanging.
inline std::atomic<bool> aborted{false};

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

inline std::atomic<int64_t> nextBufferId{1};
inline std::atomic<int64_t> launches{0};

/// `m` laid out row-major over `type`'s shape, its innermost stride
/// `innermost` cells.
inline void layOutRowMajor(MemRefV &m, MemRefType type, int64_t innermost) {
  m.sizes.assign(type.getShape().begin(), type.getShape().end());
  m.strides.assign(m.sizes.size(), innermost);
  for (int64_t d = int64_t(m.sizes.size()) - 2; d >= 0; --d)
    m.strides[d] = m.strides[d + 1] * m.sizes[d + 1];
}

inline std::shared_ptr<MemRefV> allocate(MemRefType type) {
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

inline float bitsToFloat(uint32_t bits) { return llvm::bit_cast<float>(bits); }
inline uint32_t floatToBits(float f) { return llvm::bit_cast<uint32_t>(f); }

/// `x` rounded to the float type `t` (round to nearest even).
inline double roundTo(Type t, double x) {
  if (t.isF32())
    return double(float(x));
  if (t.isBF16())
    return fromBF16(toBF16(x));
  if (t.isF16())
    return fromF16(toF16(x));
  return x;
}

inline uint64_t bitsOf16(Type t, double x) {
  return t.isBF16() ? toBF16(x) : toF16(x);
}
inline double from16Bits(Type t, uint64_t bits) {
  return t.isBF16() ? fromBF16(uint16_t(bits)) : fromF16(uint16_t(bits));
}

/// `v` truncated to the width of integer type `t` (index: 64 bits),
/// sign-extended (i1 and narrower kept as 0/1 or two's complement).
inline int64_t wrap(Type t, int64_t v) {
  unsigned width = t.isIndex() ? 64 : t.getIntOrFloatBitWidth();
  if (width >= 64)
    return v;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t u = uint64_t(v) & mask;
  if (width > 1 && (u >> (width - 1)))
    u |= ~mask;
  return int64_t(u);
}
inline uint64_t unsignedOf(Type t, int64_t v) {
  unsigned width = t.isIndex() ? 64 : t.getIntOrFloatBitWidth();
  return width >= 64 ? uint64_t(v) : uint64_t(v) & ((uint64_t(1) << width) - 1);
}

/// `e` at dimensions `iv` and symbols `symbols` (nullopt for a symbol
/// without a value).
inline std::optional<int64_t> evaluate(AffineExpr e, ArrayRef<int64_t> iv,
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
    fail(op, "a vector access at byte " + std::to_string(address) + " is not " +
                 std::to_string(*alignment) + "-byte aligned as it claims");
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

} // namespace seqc::emulate::detail

#endif // SEQC_TOOLS_SEQC_GPU_EMULATE_INTERPRETER_H
