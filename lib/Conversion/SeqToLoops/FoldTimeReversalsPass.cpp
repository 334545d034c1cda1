//===- FoldTimeReversalsPass.cpp - seq-fold-time-reversals ----------------===//
//
// A backward recurrence runs over reversed time: the differentiation
// reverses its inputs (x, the states before each step, the output
// cotangents, the kept products) into new tensors, and its per-step
// outputs back, each a full copy (for an LSTM at B16 T1024 H256, 250 MB
// written and read again). Once the recurrence is a time loop, each of
// those copies is only read one step at a time, or only written one step
// at a time, so the step can index the original instead:
//
//   %r = reverse(%x) along d;  ... extract_slice %r[.., t, ..] [.., 1, ..]
//     -> extract_slice %x[.., T-1-t, ..] [.., 1, ..]
//   scf.for ... iter_args(%o = tensor.empty) { insert_slice %v into %o[.., t, ..] }
//   %y = reverse(%for#k)
//     -> insert_slice %v into %o[.., T-1-t, ..], and %y is %for#k
//
// (the second only when the loop's tensor starts empty, so that no element
// the loop does not write is moved).
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace seqc {
#define GEN_PASS_DEF_SEQFOLDTIMEREVERSALS
#include "lib/Conversion/Passes.h.inc"
} // namespace seqc

using namespace mlir;

namespace {

/// The dimension `op` reverses when it is a copy of its one input with one
/// static dimension reversed (input map d -> T-1-d there, identity
/// elsewhere; output identity); nullopt otherwise.
std::optional<int64_t> reversedDimension(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 || op->getNumResults() != 1)
    return std::nullopt;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 1 ||
      cast<linalg::YieldOp>(body.getTerminator()).getOperand(0) !=
          body.getArgument(0))
    return std::nullopt;
  auto type =
      dyn_cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType());
  if (!type || type != op->getResult(0).getType())
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[1].isIdentity() || maps[0].getNumResults() != type.getRank())
    return std::nullopt;
  std::optional<int64_t> reversed;
  for (auto [d, expr] : llvm::enumerate(maps[0].getResults())) {
    if (expr == getAffineDimExpr(d, op.getContext()))
      continue;
    int64_t size = type.getDimSize(d);
    if (reversed || ShapedType::isDynamic(size) ||
        expr != getAffineConstantExpr(size - 1, op.getContext()) -
                    getAffineDimExpr(d, op.getContext()))
      return std::nullopt;
    reversed = d;
  }
  return reversed;
}

/// Whether `slice` (an extract or insert slice) takes one element of
/// dimension `d` with unit stride there.
template <typename SliceOp>
bool oneAlong(SliceOp slice, int64_t d) {
  std::optional<int64_t> size = getConstantIntValue(slice.getMixedSizes()[d]);
  std::optional<int64_t> stride =
      getConstantIntValue(slice.getMixedStrides()[d]);
  return size && *size == 1 && stride && *stride == 1;
}

/// The offsets of `slice` with dimension `d`'s offset mirrored: T-1-offset.
template <typename SliceOp>
SmallVector<OpFoldResult> mirrored(OpBuilder &b, SliceOp slice, int64_t d,
                                   int64_t steps) {
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  if (std::optional<int64_t> offset = getConstantIntValue(offsets[d])) {
    offsets[d] = b.getIndexAttr(steps - 1 - *offset);
    return offsets;
  }
  Value last = arith::ConstantIndexOp::create(b, slice.getLoc(), steps - 1);
  offsets[d] = arith::SubIOp::create(b, slice.getLoc(), last,
                                     cast<Value>(offsets[d]))
                   .getResult();
  return offsets;
}

/// Reads of the reversed copy one step at a time read the original.
bool foldReadReversal(linalg::GenericOp reversal, int64_t d) {
  Value source = reversal.getDpsInputOperand(0)->get();
  int64_t steps = cast<RankedTensorType>(source.getType()).getDimSize(d);
  SmallVector<tensor::ExtractSliceOp> reads;
  for (Operation *user : reversal->getResult(0).getUsers()) {
    auto read = dyn_cast<tensor::ExtractSliceOp>(user);
    if (!read || !oneAlong(read, d))
      return false;
    reads.push_back(read);
  }
  if (reads.empty())
    return false;
  for (tensor::ExtractSliceOp read : reads) {
    OpBuilder b(read);
    auto replacement = tensor::ExtractSliceOp::create(
        b, read.getLoc(), read.getType(), source, mirrored(b, read, d, steps),
        read.getMixedSizes(), read.getMixedStrides());
    read.replaceAllUsesWith(replacement.getResult());
    read.erase();
  }
  reversal.erase();
  return true;
}

/// A time loop's output written one step at a time into an empty tensor,
/// then reversed, is written at the mirrored steps instead.
bool foldWriteReversal(linalg::GenericOp reversal, int64_t d) {
  auto result = dyn_cast<OpResult>(reversal.getDpsInputOperand(0)->get());
  auto loop = result ? dyn_cast<scf::ForOp>(result.getOwner()) : nullptr;
  if (!loop || !result.hasOneUse())
    return false;
  unsigned k = result.getResultNumber();
  if (!loop.getInitArgs()[k].getDefiningOp<tensor::EmptyOp>())
    return false;
  BlockArgument carried = loop.getRegionIterArgs()[k];
  if (!carried.hasOneUse())
    return false;
  auto write = dyn_cast<tensor::InsertSliceOp>(*carried.getUsers().begin());
  if (!write || write.getDest() != carried || !oneAlong(write, d) ||
      !write.getResult().hasOneUse() ||
      loop.getBody()->getTerminator()->getOperand(k) != write.getResult())
    return false;
  int64_t steps = cast<RankedTensorType>(result.getType()).getDimSize(d);
  OpBuilder b(write);
  auto replacement = tensor::InsertSliceOp::create(
      b, write.getLoc(), write.getSource(), write.getDest(),
      mirrored(b, write, d, steps), write.getMixedSizes(),
      write.getMixedStrides());
  write.replaceAllUsesWith(replacement.getResult());
  write.erase();
  reversal->getResult(0).replaceAllUsesWith(result);
  reversal.erase();
  return true;
}

struct SeqFoldTimeReversalsPass
    : seqc::impl::SeqFoldTimeReversalsBase<SeqFoldTimeReversalsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, int64_t>> reversals;
    getOperation().walk([&](linalg::GenericOp op) {
      if (std::optional<int64_t> d = reversedDimension(op))
        reversals.push_back({op, *d});
    });
    for (auto [reversal, d] : reversals) {
      // The copy's empty destination goes with it.
      Operation *init = reversal.getDpsInitOperand(0)->get().getDefiningOp();
      if (!foldReadReversal(reversal, d) && !foldWriteReversal(reversal, d))
        continue;
      if (init && isa<tensor::EmptyOp>(init) && init->use_empty())
        init->erase();
    }
  }
};

} // namespace
