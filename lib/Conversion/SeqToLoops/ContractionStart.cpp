//===- ContractionStart.cpp - what a microkernel's accumulators start from -===//
#include "lib/Conversion/SeqToLoops/ContractionStart.h"
#include "lib/Conversion/SeqToLoops/Bf16Operands.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace seqc;

namespace {

/// The one op that writes `buffer`, an allocation whose other users only
/// copy it elsewhere or free it (a fill of zeros hoisted out of a step
/// loop, or a projection's bias broadcast, that each user copies into its
/// product's buffer); null otherwise.
Operation *soleWriter(Value buffer) {
  if (!buffer.getDefiningOp<memref::AllocOp>())
    return nullptr;
  Operation *writer = nullptr;
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    auto copy = dyn_cast<linalg::CopyOp>(user);
    if (isa<memref::DeallocOp>(user) ||
        (copy && copy.getDpsInputOperand(0) == &use))
      continue;
    auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
    if (writer || !linalgOp || linalgOp.getNumDpsInits() != 1 ||
        linalgOp.getDpsInitOperand(0) != &use)
      return nullptr;
    writer = user;
  }
  return writer;
}

/// The contiguous f32 row [N] that `op` broadcasts over every row of its
/// output: a linalg.broadcast over all but the last dimension, or a
/// linalg.generic that yields its one input read at the last index (the
/// bias of a projection, seqnn-expand's form); null otherwise.
Value broadcastRow(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInputs() != 1 ||
      linalgOp.getNumDpsInits() != 1 || !linalgOp.hasPureBufferSemantics())
    return nullptr;
  Value row = linalgOp.getDpsInputOperand(0)->get();
  auto rowType = dyn_cast<MemRefType>(row.getType());
  auto outType =
      cast<MemRefType>(linalgOp.getDpsInitOperand(0)->get().getType());
  if (!rowType || rowType.getRank() != 1 || !rowType.getElementType().isF32())
    return nullptr;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(rowType.getStridesAndOffset(strides, offset)) || strides[0] != 1)
    return nullptr;
  int64_t rank = outType.getRank();
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op))
    return llvm::equal(broadcast.getDimensions(), llvm::seq<int64_t>(0, rank - 1))
               ? row
               : nullptr;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumParallelLoops() != unsigned(rank) ||
      generic.getNumLoops() != unsigned(rank))
    return nullptr;
  MLIRContext *context = op->getContext();
  AffineMap last = AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, context));
  if (generic.getIndexingMapsArray() !=
      SmallVector<AffineMap>{last, AffineMap::getMultiDimIdentityMap(rank,
                                                                     context)})
    return nullptr;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  return body.getOperations().size() == 1 &&
                 yield.getOperand(0) == body.getArgument(0)
             ? row
             : nullptr;
}

} // namespace

ContractionStart seqc::findContractionStart(linalg::LinalgOp op, Value c) {
  ContractionStart start;
  Operation *previous = op->getPrevNode();
  if (!previous)
    return start;
  auto writes = [&](linalg::LinalgOp writer) {
    return writer.getNumDpsInits() == 1 &&
           writer.getDpsInitOperand(0)->get() == c;
  };
  if (auto fill = dyn_cast<linalg::FillOp>(previous)) {
    if (writes(fill) &&
        fill.getDpsInputOperand(0)->get().getType().isF32()) {
      start.scalar = fill.getDpsInputOperand(0)->get();
      start.writer = fill;
    }
  } else if (auto copy = dyn_cast<linalg::CopyOp>(previous)) {
    // A copy of a buffer only ever filled, or only ever a row broadcast.
    Operation *source = writes(copy)
                            ? soleWriter(copy.getDpsInputOperand(0)->get())
                            : nullptr;
    if (auto fill = dyn_cast_or_null<linalg::FillOp>(source);
        fill && fill.getDpsInputOperand(0)->get().getType().isF32()) {
      start.scalar = fill.getDpsInputOperand(0)->get();
      start.writer = copy;
    } else if (Value row = source ? broadcastRow(source) : Value();
               row && holdsOneWrite(row)) {
      // The row is read where the copy was, later than the broadcast: it
      // must still hold what was broadcast (a bf16 GRU's widened bias was
      // overwritten in place by its widened recurrent bias in between).
      start.row = row;
      start.writer = copy;
    }
  } else if (Value row = broadcastRow(previous);
             row && writes(cast<linalg::LinalgOp>(previous))) {
    start.row = row;
    start.writer = previous;
  }
  return start;
}

/// Erases the write the accumulators now start from; when it was a copy,
/// also what wrote its source once no other copy reads it (a 32 MiB
/// broadcast of a projection's bias, written for nothing otherwise).
void seqc::eraseStartWriter(Operation *writer) {
  auto copy = dyn_cast<linalg::CopyOp>(writer);
  Value source = copy ? copy.getDpsInputOperand(0)->get() : Value();
  writer->erase();
  if (!source)
    return;
  if (Operation *sourceWriter = soleWriter(source);
      sourceWriter && llvm::all_of(source.getUsers(), [&](Operation *user) {
        return user == sourceWriter || isa<memref::DeallocOp>(user);
      }))
    sourceWriter->erase();
}

