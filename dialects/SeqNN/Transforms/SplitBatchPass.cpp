//===- SplitBatchPass.cpp - seqnn-split-batch -----------------------------===//
#include "Passes.h"

#include "dialects/SeqNN/IR/SeqNNDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

#include <thread>

namespace seqc::seqnn {
#define GEN_PASS_DEF_SEQNNSPLITBATCH
#include "dialects/SeqNN/Transforms/Passes.h.inc"
} // namespace seqc::seqnn

using namespace mlir;

namespace {

/// `type` with dimension 0 set to `rows`.
RankedTensorType withRows(Type type, int64_t rows) {
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[0] = rows;
  return tensor.clone(shape);
}

/// Offsets, sizes and strides of rows [first, first + rows) of a tensor of
/// `type` (all of every other dimension).
struct RowSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  RowSlice(OpBuilder &b, RankedTensorType type, OpFoldResult first,
           int64_t rows)
      : offsets(type.getRank(), b.getIndexAttr(0)),
        strides(type.getRank(), b.getIndexAttr(1)) {
    offsets[0] = first;
    sizes.push_back(b.getIndexAttr(rows));
    for (int64_t d = 1; d < type.getRank(); ++d)
      sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
  }
};

/// The bytes of `layer`'s largest operand without a batch dimension (its
/// recurrent or projection weights).
int64_t largestWeightBytes(Operation *layer,
                           const llvm::SmallPtrSetImpl<Value> &batched) {
  int64_t largest = 0;
  for (Value operand : layer->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (batched.contains(operand) || !type || !type.hasStaticShape())
      continue;
    largest = std::max<int64_t>(
        largest, type.getNumElements() *
                     int64_t(type.getElementTypeBitWidth() / 8));
  }
  return largest;
}

/// Splits `layer` into `pieces` pieces of its batch, or leaves it.
void splitBatch(Operation *layer, int64_t pieces, int64_t cacheBytes) {
  auto input = dyn_cast<RankedTensorType>(layer->getOperand(0).getType());
  if (!input || input.isDynamicDim(0) ||
      llvm::any_of(layer->getResultTypes(), [](Type t) {
        auto tensor = dyn_cast<RankedTensorType>(t);
        return !tensor || tensor.getRank() == 0 || tensor.isDynamicDim(0);
      }))
    return;
  int64_t batch = input.getDimSize(0);
  while (pieces >= 2 && batch % pieces != 0)
    --pieces;
  if (pieces < 2)
    return;
  int64_t rows = batch / pieces;
  llvm::SmallPtrSet<Value, 4> batched;
  batched.insert(layer->getOperand(0));
  for (Value state : seqc::seqnn::initialStatesOf(layer))
    batched.insert(state);
  if (cacheBytes > 0 && largestWeightBytes(layer, batched) > cacheBytes)
    return;

  OpBuilder b(layer);
  Location loc = layer->getLoc();
  SmallVector<Value> outputs;
  for (Type type : layer->getResultTypes()) {
    auto tensor = cast<RankedTensorType>(type);
    outputs.push_back(tensor::EmptyOp::create(b, loc, tensor.getShape(),
                                              tensor.getElementType()));
  }
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(pieces)}, outputs,
      /*mapping=*/std::nullopt);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(forall.getBody());
    Value first = arith::MulIOp::create(
        b, loc, forall.getInductionVar(0),
        arith::ConstantIndexOp::create(b, loc, rows));
    IRMapping mapping;
    for (Value operand : layer->getOperands()) {
      if (!batched.contains(operand) || mapping.contains(operand))
        continue;
      auto type = cast<RankedTensorType>(operand.getType());
      RowSlice slice(b, type, first, rows);
      mapping.map(operand, tensor::ExtractSliceOp::create(
                               b, loc, withRows(type, rows), operand,
                               slice.offsets, slice.sizes, slice.strides));
    }
    Operation *piece = b.clone(*layer, mapping);
    for (OpResult result : piece->getResults())
      result.setType(withRows(result.getType(), rows));
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    for (auto [result, shared] :
         llvm::zip(piece->getResults(), forall.getRegionIterArgs())) {
      RowSlice slice(b, cast<RankedTensorType>(shared.getType()), first,
                     rows);
      tensor::ParallelInsertSliceOp::create(b, loc, result, shared,
                                            slice.offsets, slice.sizes,
                                            slice.strides);
    }
  }
  layer->replaceAllUsesWith(forall.getResults());
  layer->erase();
}

struct SeqNNSplitBatchPass
    : seqc::seqnn::impl::SeqNNSplitBatchBase<SeqNNSplitBatchPass> {
  using Base::Base;

  void runOnOperation() override {
    if (pieces < 0 || cacheBytes < 0) {
      getOperation()->emitError()
          << "seqnn-split-batch: " << (pieces < 0 ? "pieces" : "cache-bytes")
          << " must be 0 or more, got "
          << static_cast<int64_t>(pieces < 0 ? pieces : cacheBytes);
      return signalPassFailure();
    }
    int64_t most = pieces ? pieces
                          : std::max<int64_t>(
                                1, std::thread::hardware_concurrency());
    SmallVector<Operation *> layers;
    getOperation()->walk([&](Operation *op) {
      // Layers inside a packed batch already run one sequence at a time.
      if (isa_and_nonnull<seqc::seqnn::SeqNNDialect>(op->getDialect()) &&
          !op->getParentOfType<scf::ForallOp>() &&
          !op->getParentOfType<seqc::seq::PackedOp>())
        layers.push_back(op);
    });
    for (Operation *layer : layers)
      splitBatch(layer, most, cacheBytes);
  }
};

} // namespace
