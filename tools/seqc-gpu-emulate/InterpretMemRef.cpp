//===- InterpretMemRef.cpp - memref, vector memory and linalg in the emulator
//---===//
//
// Loads, stores, views, allocations and copies on the emulator's buffers,
// vector transfers (a vector access less aligned than it claims fails), and
// linalg ops left in kernels.
//
//===----------------------------------------------------------------------===//
#include "Interpreter.h"

using namespace mlir;

namespace seqc::emulate::detail {

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
    auto elements =
        global
            ? dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr())
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

} // namespace seqc::emulate::detail
