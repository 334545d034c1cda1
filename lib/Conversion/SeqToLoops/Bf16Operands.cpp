//===- Bf16Operands.cpp - operands of the bf16 pair microkernels ----------===//
#include "lib/Conversion/SeqToLoops/Bf16Operands.h"
#include "lib/Conversion/SeqToLoops/PackedPanels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace seqc {

namespace {

/// Whether every use of `buffer` and of its views only reads it, but for
/// deallocations and, when `writer` is given, one linalg op that writes
/// `buffer` itself as its init (returned in `*writer`).
bool onlyRead(Value buffer, linalg::LinalgOp *writer) {
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    if (isa<memref::DeallocOp>(user))
      continue;
    if (auto view = dyn_cast<ViewLikeOpInterface>(user);
        view && view.getViewSource() == buffer) {
      if (!onlyRead(user->getResult(0), nullptr))
        return false;
      continue;
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
    if (writer && !*writer && linalgOp && linalgOp.isDpsInit(&use)) {
      *writer = linalgOp;
      continue;
    }
    auto effects = dyn_cast<MemoryEffectOpInterface>(user);
    if (!effects)
      return false; // a call, or an op that does not say what it does
    SmallVector<MemoryEffects::EffectInstance> onBuffer;
    effects.getEffectsOnValue(buffer, onBuffer);
    for (const MemoryEffects::EffectInstance &effect : onBuffer)
      if (!isa<MemoryEffects::Read>(effect.getEffect()))
        return false;
  }
  return true;
}

/// `buffer` through expand/collapse views without dynamic sizes: the
/// buffer they view, and the views from `buffer` up.
Value viewedRoot(Value buffer, SmallVectorImpl<Operation *> &views) {
  while (Operation *def = buffer.getDefiningOp()) {
    if (!isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def) ||
        def->getNumOperands() != 1)
      break;
    views.push_back(def);
    buffer = def->getOperand(0);
  }
  return buffer;
}

/// Whether `generic` is out[...] = extf(in[...]) over every element, from
/// a bf16 buffer of the same shape.
bool isBf16Widening(linalg::GenericOp generic) {
  if (generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return false;
  auto in = dyn_cast<MemRefType>(generic.getDpsInputs()[0].getType());
  auto out = dyn_cast<MemRefType>(generic.getDpsInits()[0].getType());
  if (!in || !out || !in.getElementType().isBF16() ||
      in.getShape() != out.getShape())
    return false;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto ext = yield.getOperand(0).getDefiningOp<arith::ExtFOp>();
  return body.getOperations().size() == 2 && ext &&
         ext.getIn() == body.getArgument(0);
}

} // namespace

bool isReadOnlyBuffer(Value buffer) {
  SmallVector<Operation *> views;
  auto argument = dyn_cast<BlockArgument>(viewedRoot(buffer, views));
  return argument && isa<func::FuncOp>(argument.getOwner()->getParentOp()) &&
         onlyRead(argument, nullptr);
}

bool holdsOneWrite(Value buffer) {
  if (isReadOnlyBuffer(buffer))
    return true;
  SmallVector<Operation *> views;
  Value root = viewedRoot(buffer, views);
  return soleWriter(buffer) != nullptr;
}

Operation *soleWriter(Value buffer) {
  SmallVector<Operation *> views;
  Value root = viewedRoot(buffer, views);
  linalg::LinalgOp writer;
  if (!root.getDefiningOp<memref::AllocOp>() || !onlyRead(root, &writer))
    return nullptr;
  return writer;
}

Value bf16ValuesOf(Value buffer, Operation *user, OpBuilder *builder) {
  auto type = cast<MemRefType>(buffer.getType());
  if (type.getElementType().isBF16())
    return buffer;
  if (!type.getElementType().isF32())
    return nullptr;
  SmallVector<Operation *> views;
  Value root = viewedRoot(buffer, views);
  if (!root.getDefiningOp<memref::AllocOp>())
    return nullptr;
  linalg::LinalgOp written;
  if (!onlyRead(root, &written) || !written)
    return nullptr;
  auto writer = dyn_cast<linalg::GenericOp>(written.getOperation());
  if (!writer || !isBf16Widening(writer))
    return nullptr;
  // The widening runs before the contraction reads the buffer, and what it
  // widened cannot have changed since: an argument nothing writes.
  Operation *userInWriterBlock = writer->getBlock()->findAncestorOpInBlock(*user);
  Value source = writer.getDpsInputs()[0];
  if (!userInWriterBlock || !writer->isBeforeInBlock(userInWriterBlock) ||
      !isReadOnlyBuffer(source))
    return nullptr;
  if (!builder)
    return source;
  // The same views of the bf16 argument.
  for (Operation *view : llvm::reverse(views)) {
    IRMapping mapping;
    mapping.map(view->getOperand(0), source);
    Operation *copy = builder->clone(*view, mapping);
    auto viewType = cast<MemRefType>(view->getResult(0).getType());
    copy->getResult(0).setType(
        MemRefType::Builder(viewType).setElementType(builder->getBF16Type()));
    source = copy->getResult(0);
  }
  return source;
}

namespace {

/// A new bf16 buffer of `shape` (dynamic sizes from `dynamicSizes`), all
/// zeros when `zeroed`.
Value allocateBf16(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   ValueRange dynamicSizes, bool zeroed) {
  Value buffer = memref::AllocOp::create(
      b, loc, MemRefType::get(shape, b.getBF16Type()), dynamicSizes);
  if (zeroed)
    linalg::FillOp::create(
        b, loc, ValueRange{arith::ConstantOp::create(
                    b, loc, b.getBF16Type(), b.getFloatAttr(b.getBF16Type(), 0))
                               .getResult()},
        ValueRange{buffer});
  return buffer;
}

} // namespace

Value splitIntoBf16Terms(OpBuilder &b, Location loc, Value a, bool transposed,
                         bool batched, int64_t terms) {
  auto type = cast<MemRefType>(a.getType());
  int64_t rank = type.getRank();
  // Rows (M) and reduction (K) dimensions of A.
  int64_t rowDim = transposed ? rank - 1 : rank - 2;
  int64_t kDim = transposed ? rank - 2 : rank - 1;
  int64_t k = type.getDimSize(kDim);
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes, uppers;
  Value batch, rows = memref::DimOp::create(b, loc, a, rowDim);
  if (batched) {
    shape.push_back(type.getDimSize(0));
    batch = memref::DimOp::create(b, loc, a, 0);
    if (type.isDynamicDim(0))
      dynamicSizes.push_back(batch);
    uppers.push_back(batch);
  }
  shape.append({terms, type.getDimSize(rowDim), k + k % 2});
  if (type.isDynamicDim(rowDim))
    dynamicSizes.push_back(rows);
  Value split = allocateBf16(b, loc, shape, dynamicSizes, k % 2 != 0);
  // Reads along A's rows: (i, k) loops, or (k, i) for a transposed A.
  Value kUpper = arith::ConstantIndexOp::create(b, loc, k);
  uppers.push_back(transposed ? kUpper : rows);
  uppers.push_back(transposed ? rows : kUpper);
  loopNest(b, loc, uppers, [&](OpBuilder &nb, ValueRange ivs) {
    Value element = memref::LoadOp::create(nb, loc, a, ivs);
    Value rest = element.getType().isF32()
                     ? element
                     : arith::ExtFOp::create(nb, loc, nb.getF32Type(), element)
                           .getResult();
    Value i = transposed ? ivs.back() : ivs[ivs.size() - 2];
    Value kk = transposed ? ivs[ivs.size() - 2] : ivs.back();
    for (int64_t t = 0; t < terms; ++t) {
      Value term = arith::TruncFOp::create(nb, loc, nb.getBF16Type(), rest);
      SmallVector<Value> at;
      if (batched)
        at.push_back(ivs.front());
      at.append({arith::ConstantIndexOp::create(nb, loc, t), i, kk});
      memref::StoreOp::create(nb, loc, term, split, at);
      if (t + 1 < terms)
        rest = arith::SubFOp::create(
            nb, loc, rest,
            arith::ExtFOp::create(nb, loc, nb.getF32Type(), term));
    }
  });
  return split;
}

} // namespace seqc
