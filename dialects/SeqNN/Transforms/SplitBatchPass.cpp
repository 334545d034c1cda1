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

/// Offsets, sizes and strides of rows [first, first + rows) of `tensor`
/// (all of every other dimension, static or not).
struct RowSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  RowSlice(OpBuilder &b, Location loc, Value tensor, OpFoldResult first,
           OpFoldResult rows) {
    int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
    offsets.assign(rank, b.getIndexAttr(0));
    strides.assign(rank, b.getIndexAttr(1));
    offsets[0] = first;
    sizes.push_back(rows);
    for (int64_t d = 1; d < rank; ++d)
      sizes.push_back(tensor::getMixedSize(b, loc, tensor, d));
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

/// The first row and the row count of piece `p`.
using PieceRows =
    function_ref<std::pair<OpFoldResult, OpFoldResult>(OpBuilder &, Value)>;

/// An scf.forall over `pieces` pieces of `layer`'s batch: each the layer
/// on its rows of the `batched` operands (the weights shared), written
/// into its rows of `outputs` (one full tensor per result). A constant row
/// count gives the pieces static types.
scf::ForallOp buildPieces(OpBuilder &b, Operation *layer, int64_t pieces,
                          const llvm::SmallPtrSetImpl<Value> &batched,
                          ValueRange outputs, PieceRows rowsOf) {
  Location loc = layer->getLoc();
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(pieces)}, outputs,
      /*mapping=*/std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  auto [first, count] = rowsOf(b, forall.getInductionVar(0));
  std::optional<int64_t> rows = getConstantIntValue(count);
  IRMapping mapping;
  for (Value operand : layer->getOperands()) {
    if (!batched.contains(operand) || mapping.contains(operand))
      continue;
    RowSlice slice(b, loc, operand, first, count);
    Type type = rows ? withRows(operand.getType(), *rows) : operand.getType();
    mapping.map(operand, tensor::ExtractSliceOp::create(
                             b, loc, cast<RankedTensorType>(type), operand,
                             slice.offsets, slice.sizes, slice.strides));
  }
  Operation *piece = b.clone(*layer, mapping);
  if (rows)
    for (OpResult result : piece->getResults())
      result.setType(withRows(result.getType(), *rows));
  // The slices' sizes before the terminator, which holds only the inserts.
  SmallVector<RowSlice> slices;
  for (OpResult result : piece->getResults())
    slices.emplace_back(b, loc, result, first, count);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  for (auto [result, shared, slice] :
       llvm::zip(piece->getResults(), forall.getRegionIterArgs(), slices))
    tensor::ParallelInsertSliceOp::create(b, loc, result, shared, slice.offsets,
                                          slice.sizes, slice.strides);
  return forall;
}

/// Splits `layer` into `pieces` pieces of its batch, or leaves it. A
/// static batch: the largest count up to `pieces` that divides it. A
/// dynamic one: `pieces` pieces of rows as even as the batch allows (sizes
/// differing by one at most), when the batch has at least `pieces` rows,
/// else the layer whole (a decoding batch of 1 keeps each step's product
/// on every core): both versions, chosen at run time.
void splitBatch(Operation *layer, int64_t pieces, int64_t cacheBytes) {
  auto input = dyn_cast<RankedTensorType>(layer->getOperand(0).getType());
  if (!input || input.getRank() == 0 ||
      llvm::any_of(layer->getResultTypes(), [&](Type t) {
        auto tensor = dyn_cast<RankedTensorType>(t);
        return !tensor || tensor.getRank() == 0 ||
               tensor.isDynamicDim(0) != input.isDynamicDim(0);
      }))
    return;
  llvm::SmallPtrSet<Value, 4> batched;
  batched.insert(layer->getOperand(0));
  for (Value state : seqc::seqnn::initialStatesOf(layer))
    batched.insert(state);
  if (cacheBytes > 0 && largestWeightBytes(layer, batched) > cacheBytes)
    return;
  OpBuilder b(layer);
  Location loc = layer->getLoc();
  Value x = layer->getOperand(0);

  if (!input.isDynamicDim(0)) {
    int64_t batch = input.getDimSize(0);
    while (pieces >= 2 && batch % pieces != 0)
      --pieces;
    if (pieces < 2)
      return;
    int64_t rows = batch / pieces;
    SmallVector<Value> outputs;
    for (Type type : layer->getResultTypes()) {
      auto tensor = cast<RankedTensorType>(type);
      outputs.push_back(tensor::EmptyOp::create(b, loc, tensor.getShape(),
                                                tensor.getElementType()));
    }
    scf::ForallOp forall = buildPieces(
        b, layer, pieces, batched, outputs,
        [&](OpBuilder &nb, Value p) -> std::pair<OpFoldResult, OpFoldResult> {
          Value first = arith::MulIOp::create(
              nb, loc, p, arith::ConstantIndexOp::create(nb, loc, rows));
          return {first, nb.getIndexAttr(rows)};
        });
    layer->replaceAllUsesWith(forall.getResults());
    layer->erase();
    return;
  }

  // The full results: the batch, and the other dynamic dimensions taken
  // from the input's same dimension (a sequence's length); a result with
  // any other dynamic dimension leaves the layer whole.
  if (pieces < 2 || llvm::any_of(layer->getResultTypes(), [&](Type type) {
        auto tensor = cast<RankedTensorType>(type);
        for (int64_t d = 1; d < tensor.getRank(); ++d)
          if (tensor.isDynamicDim(d) &&
              (d >= input.getRank() || !input.isDynamicDim(d)))
            return true;
        return false;
      }))
    return;
  Value batch = tensor::DimOp::create(b, loc, x, 0);
  SmallVector<Value> outputs;
  for (Type type : layer->getResultTypes()) {
    auto tensor = cast<RankedTensorType>(type);
    SmallVector<Value> sizes = {batch};
    for (int64_t d = 1; d < tensor.getRank(); ++d)
      if (tensor.isDynamicDim(d))
        sizes.push_back(tensor::DimOp::create(b, loc, x, d));
    outputs.push_back(tensor::EmptyOp::create(b, loc, tensor, sizes));
  }
  Value enough =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, batch,
                            arith::ConstantIndexOp::create(b, loc, pieces));
  auto choice = scf::IfOp::create(b, loc, layer->getResultTypes(), enough,
                                  /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(choice.thenBlock());
    // Piece p: rows [p B / pieces, (p + 1) B / pieces).
    auto boundary = [&](OpBuilder &nb, Value p) -> Value {
      Value scaled = arith::MulIOp::create(nb, loc, p, batch);
      return arith::DivUIOp::create(
          nb, loc, scaled, arith::ConstantIndexOp::create(nb, loc, pieces));
    };
    scf::ForallOp forall = buildPieces(
        b, layer, pieces, batched, outputs,
        [&](OpBuilder &nb, Value p) -> std::pair<OpFoldResult, OpFoldResult> {
          Value first = boundary(nb, p);
          Value next = boundary(
              nb, arith::AddIOp::create(
                      nb, loc, p, arith::ConstantIndexOp::create(nb, loc, 1)));
          return {first,
                  arith::SubIOp::create(nb, loc, next, first).getResult()};
        });
    scf::YieldOp::create(b, loc, forall.getResults());
    b.setInsertionPointToStart(choice.elseBlock());
    Operation *whole = b.clone(*layer);
    scf::YieldOp::create(b, loc, whole->getResults());
  }
  layer->replaceAllUsesWith(choice.getResults());
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
