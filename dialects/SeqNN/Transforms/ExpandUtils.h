//===- ExpandUtils.h - IR building shared by the seqnn expansions -*- C++ -*-===//
#ifndef SEQC_DIALECTS_SEQNN_TRANSFORMS_EXPANDUTILS_H
#define SEQC_DIALECTS_SEQNN_TRANSFORMS_EXPANDUTILS_H

#include "dialects/Utils/LoopBuilder.h"

namespace seqc::seqnn {

/// Builders for the layer expansions, on top of the loop builder. Layers
/// are computed in f32 ("the compute type"); `convertElements` converts
/// results to the declared element types at the end.
class ExpandBuilder : public LoopBuilder {
public:
  using LoopBuilder::LoopBuilder;

  mlir::Type f32();
  /// A tensor type of the compute type (kDynamic entries are dynamic).
  mlir::RankedTensorType tensorOf(llvm::ArrayRef<int64_t> shape);
  /// The same for sizes that may be SSA values (batch, time).
  mlir::RankedTensorType tensorOf(llvm::ArrayRef<mlir::OpFoldResult> sizes);

  /// x [B, T, M] times w [M, N] for all B*T steps in one matmul, in f32,
  /// plus the sum of `biases` (each [N]) as the matmul's initial value: no
  /// pass over the [B*T, N] product per bias (the CPU microkernels start
  /// their accumulators from the bias row).
  mlir::Value project(mlir::Value x, mlir::Value w,
                      mlir::ValueRange biases = {});
  /// y [..., N] + bias [N], in f32.
  mlir::Value addBias(mlir::Value y, mlir::Value bias);
  /// Elementwise map over tensors of one shape; inputs may be of any float
  /// type (converted to f32 before `fn`), the result is f32 of `shape`.
  mlir::Value map(mlir::ValueRange inputs,
                  llvm::function_ref<mlir::Value(mlir::OpBuilder &,
                                                 mlir::Location,
                                                 llvm::ArrayRef<mlir::Value>)>
                      fn);
  /// Reshape by splitting dimension `dim` into `sizes` (expand_shape).
  mlir::Value split(mlir::Value value, unsigned dim,
                    llvm::ArrayRef<int64_t> sizes);
  /// The same with sizes that may be dynamic (splitting B*T into B, T).
  mlir::Value split(mlir::Value value, unsigned dim,
                    llvm::ArrayRef<mlir::OpFoldResult> sizes);
  /// Reshape by merging dimensions [dim, dim + count) (collapse_shape).
  mlir::Value merge(mlir::Value value, unsigned dim, unsigned count);
  /// An uninitialized tensor of the compute type, for outputs that a
  /// parallel linalg.generic overwrites. The int64_t overloads take static
  /// sizes only (a dynamic one is a fatal compiler error, not a garbage
  /// allocation); dynamic batch and time go through the OpFoldResult ones.
  mlir::Value emptyOf(llvm::ArrayRef<int64_t> shape);
  mlir::Value emptyOf(llvm::ArrayRef<mlir::OpFoldResult> sizes);
  /// The size of dimension `dim` of `value`: a constant, or a tensor.dim for
  /// a dynamic batch or time.
  mlir::OpFoldResult sizeOf(mlir::Value value, unsigned dim);
  /// A static size as an OpFoldResult.
  mlir::OpFoldResult size(int64_t value);
  /// Zeros of the compute type (for accumulators).
  mlir::Value zerosOf(llvm::ArrayRef<int64_t> shape);
  mlir::Value zerosOf(llvm::ArrayRef<mlir::OpFoldResult> sizes);
  /// The L2-normalized rows (last dimension) of `value`.
  mlir::Value normalizeRows(mlir::Value value);

  // Scalar helpers for linalg.generic bodies (f32).
  static mlir::Value sigmoid(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value v);
  /// softplus(v) = max(v, 0) + log1p(exp(-|v|)), without overflow.
  static mlir::Value softplus(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value v);
  static mlir::Value constant(mlir::OpBuilder &b, mlir::Location loc,
                              double value);
};

/// Static sizes of a ranked tensor value (kDynamic for dynamic ones).
llvm::SmallVector<int64_t> shapeOf(mlir::Value value);

} // namespace seqc::seqnn

#endif // SEQC_DIALECTS_SEQNN_TRANSFORMS_EXPANDUTILS_H
