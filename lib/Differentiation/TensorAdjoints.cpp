//===- TensorAdjoints.cpp - derivative rules of the upstream tensor ops ---===//
//
// The ops seqnn-expand and hand-written models put around and inside the
// seq primitives: contractions, transposes, fills, reshapes, slices and
// elementwise linalg.generic bodies. Attached as external models of
// AdjointOpInterface.
//
//===----------------------------------------------------------------------===//
#include "seqc/Differentiation/Adjoint.h"
#include "seqc/Differentiation/Differentiate.h"

#include "lib/Differentiation/ScalarAdjoints.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace seqc::ad {
namespace {

/// Constants, fills and empty tensors start no gradient path: what reaches
/// them stops there.
template <typename OpT>
struct NoInputCotangent
    : AdjointOpInterface::ExternalModel<NoInputCotangent<OpT>, OpT> {
  LogicalResult buildAdjoint(Operation *, AdjointBuilder &) const {
    return success();
  }
};

/// C = A B + C0: dA = dC B^T, dB = A^T dC, dC0 = dC (per batch for
/// batch_matmul).
template <typename OpT>
struct ContractionAdjoint
    : AdjointOpInterface::ExternalModel<ContractionAdjoint<OpT>, OpT> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto contraction = cast<OpT>(op);
    // Named ops with user-given indexing maps (transposed operands) and
    // mixed element types are not what seq models produce.
    if (cast<linalg::LinalgOp>(op).hasUserDefinedMaps())
      return op->emitOpError("has no derivative rule for explicit indexing "
                             "maps");
    Value a = contraction.getInputs()[0], bm = contraction.getInputs()[1];
    Value c0 = contraction.getOutputs()[0];
    Value dc = adjoints.cotangent(op->getResult(0));
    if (!dc)
      return success();
    for (Value v : {a, bm, c0})
      if (getElementTypeOrSelf(v.getType()) !=
          getElementTypeOrSelf(dc.getType()))
        return op->emitOpError("has no derivative rule for mixed element "
                               "types");
    OpBuilder &b = adjoints.builder();
    Location loc = op->getLoc();
    bool batched = std::is_same_v<OpT, linalg::BatchMatmulOp>;
    SmallVector<int64_t> swap =
        batched ? SmallVector<int64_t>{0, 2, 1} : SmallVector<int64_t>{1, 0};
    auto product = [&](Value lhs, Value rhs, RankedTensorType type) {
      Value zeros = zerosOf(b, loc, type);
      return OpT::create(b, loc, ValueRange{lhs, rhs}, ValueRange{zeros})
          .getResult(0);
    };
    if (adjoints.isActive(a))
      adjoints.accumulate(
          a,
          product(dc, transposeTensor(b, loc, bm, swap),
                  cast<RankedTensorType>(a.getType())),
          loc);
    if (adjoints.isActive(bm))
      adjoints.accumulate(
          bm,
          product(transposeTensor(b, loc, a, swap), dc,
                  cast<RankedTensorType>(bm.getType())),
          loc);
    adjoints.accumulate(c0, dc, loc);
    return success();
  }
};

struct TransposeAdjoint
    : AdjointOpInterface::ExternalModel<TransposeAdjoint, linalg::TransposeOp> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto transpose = cast<linalg::TransposeOp>(op);
    Value dy = adjoints.cotangent(transpose.getResult()[0]);
    if (!dy)
      return success();
    ArrayRef<int64_t> perm = transpose.getPermutation();
    SmallVector<int64_t> inverse(perm.size());
    for (auto [i, p] : llvm::enumerate(perm))
      inverse[p] = i;
    adjoints.accumulate(
        transpose.getInput(),
        transposeTensor(adjoints.builder(), op->getLoc(), dy, inverse),
        op->getLoc());
    return success();
  }
};

struct ExpandShapeAdjoint
    : AdjointOpInterface::ExternalModel<ExpandShapeAdjoint,
                                        tensor::ExpandShapeOp> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto expand = cast<tensor::ExpandShapeOp>(op);
    Value dy = adjoints.cotangent(expand.getResult());
    if (!dy)
      return success();
    Value dx = tensor::CollapseShapeOp::create(
        adjoints.builder(), op->getLoc(), expand.getSrcType(), dy,
        expand.getReassociationIndices());
    adjoints.accumulate(expand.getSrc(), dx, op->getLoc());
    return success();
  }
};

struct CollapseShapeAdjoint
    : AdjointOpInterface::ExternalModel<CollapseShapeAdjoint,
                                        tensor::CollapseShapeOp> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto collapse = cast<tensor::CollapseShapeOp>(op);
    Value dy = adjoints.cotangent(collapse.getResult());
    if (!dy)
      return success();
    Value dx = tensor::ExpandShapeOp::create(
        adjoints.builder(), op->getLoc(), collapse.getSrcType(), dy,
        collapse.getReassociationIndices());
    adjoints.accumulate(collapse.getSrc(), dx, op->getLoc());
    return success();
  }
};

/// y = x[slice]: dx = dy written into zeros at the slice.
struct ExtractSliceAdjoint
    : AdjointOpInterface::ExternalModel<ExtractSliceAdjoint,
                                        tensor::ExtractSliceOp> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto slice = cast<tensor::ExtractSliceOp>(op);
    Value dy = adjoints.cotangent(slice.getResult());
    if (!dy)
      return success();
    OpBuilder &b = adjoints.builder();
    Value zeros = zerosOf(b, op->getLoc(), slice.getSourceType());
    Value dx = tensor::InsertSliceOp::create(
        b, op->getLoc(), dy, zeros, slice.getMixedOffsets(),
        slice.getMixedSizes(), slice.getMixedStrides());
    adjoints.accumulate(slice.getSource(), dx, op->getLoc());
    return success();
  }
};

/// y = dest with dest[slice] = src: dsrc = dy[slice], ddest = dy with the
/// slice zeroed.
struct InsertSliceAdjoint
    : AdjointOpInterface::ExternalModel<InsertSliceAdjoint,
                                        tensor::InsertSliceOp> {
  LogicalResult buildAdjoint(Operation *op, AdjointBuilder &adjoints) const {
    auto insert = cast<tensor::InsertSliceOp>(op);
    Value dy = adjoints.cotangent(insert.getResult());
    if (!dy)
      return success();
    OpBuilder &b = adjoints.builder();
    Location loc = op->getLoc();
    Value dsrc = tensor::ExtractSliceOp::create(
        b, loc, insert.getSourceType(), dy, insert.getMixedOffsets(),
        insert.getMixedSizes(), insert.getMixedStrides());
    adjoints.accumulate(insert.getSource(), dsrc, loc);
    Value zeros = zerosOf(b, loc, insert.getSourceType());
    Value ddest = tensor::InsertSliceOp::create(
        b, loc, zeros, dy, insert.getMixedOffsets(), insert.getMixedSizes(),
        insert.getMixedStrides());
    adjoints.accumulate(insert.getDest(), ddest, loc);
    return success();
  }
};

} // namespace

void registerTensorAdjoints(DialectRegistry &registry) {
  registerElementwiseAdjoints(registry);
  registry.addExtension(+[](MLIRContext *context, arith::ArithDialect *) {
    arith::ConstantOp::attachInterface<NoInputCotangent<arith::ConstantOp>>(
        *context);
  });
  registry.addExtension(+[](MLIRContext *context, tensor::TensorDialect *) {
    tensor::EmptyOp::attachInterface<NoInputCotangent<tensor::EmptyOp>>(
        *context);
    tensor::ExpandShapeOp::attachInterface<ExpandShapeAdjoint>(*context);
    tensor::CollapseShapeOp::attachInterface<CollapseShapeAdjoint>(*context);
    tensor::ExtractSliceOp::attachInterface<ExtractSliceAdjoint>(*context);
    tensor::InsertSliceOp::attachInterface<InsertSliceAdjoint>(*context);
  });
  registry.addExtension(+[](MLIRContext *context, linalg::LinalgDialect *) {
    linalg::FillOp::attachInterface<NoInputCotangent<linalg::FillOp>>(
        *context);
    linalg::MatmulOp::attachInterface<ContractionAdjoint<linalg::MatmulOp>>(
        *context);
    linalg::BatchMatmulOp::attachInterface<
        ContractionAdjoint<linalg::BatchMatmulOp>>(*context);
    linalg::TransposeOp::attachInterface<TransposeAdjoint>(*context);
    attachGenericAdjoint(*context);
  });
}

} // namespace seqc::ad
