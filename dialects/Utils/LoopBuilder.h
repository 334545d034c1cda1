//===- LoopBuilder.h - tensor-level IR building for lowerings --*- C++ -*-===//
#ifndef SEQC_UTILS_LOOPBUILDER_H
#define SEQC_UTILS_LOOPBUILDER_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace seqc {

/// Builders for the tensor-level loops the forms lower to. All sizes are
/// taken from existing tensors, so dynamic batch and time dims work.
class LoopBuilder {
public:
  LoopBuilder(mlir::OpBuilder &builder, mlir::Location loc)
      : b(builder), loc(loc) {}

  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }

  mlir::Value index(int64_t value);
  /// The size of dimension `dim` of `tensor` as an index value.
  mlir::Value dim(mlir::Value tensor, int64_t dim);

  /// Offsets, sizes and strides of the unit-size slice of `tensor` at
  /// `index` along `dim` (every other dimension whole).
  struct SliceAt {
    llvm::SmallVector<mlir::OpFoldResult> offsets, sizes, strides;
  };
  SliceAt sliceAt(mlir::Value tensor, unsigned dim, mlir::Value index);
  /// The slice at `index` of dimension `dim`, as a tensor of rank one less.
  mlir::Value extractSlice(mlir::Value source, unsigned dim, mlir::Value index);
  /// Writes `slice` at `index` of dimension `dim` of `dest`.
  mlir::Value insertSlice(mlir::Value slice, mlir::Value dest, unsigned dim,
                          mlir::Value index);

  /// The same write from the body of an scf.forall whose shared output is
  /// `dest`: sizes computed at the insertion point (in the body), the
  /// tensor.parallel_insert_slice appended to the forall's terminator.
  void parallelInsertSlice(mlir::Value slice, mlir::Value dest, unsigned dim,
                           mlir::Value index);

  /// `seq[:, t, ...]` as a tensor of rank one less.
  mlir::Value extractTimeSlice(mlir::Value seq, mlir::Value t);
  /// `seq[:, t, ...] = slice`, returning the updated sequence.
  mlir::Value insertTimeSlice(mlir::Value slice, mlir::Value seq,
                              mlir::Value t);

  /// An uninitialized tensor of `type` whose dynamic sizes are read off
  /// `sizes` (one per dimension of `type`, static ones ignored).
  mlir::Value empty(mlir::RankedTensorType type,
                    llvm::ArrayRef<mlir::OpFoldResult> sizes);
  /// The sizes of `tensor` without dimension `dropped` (-1: keep all).
  llvm::SmallVector<mlir::OpFoldResult> sizesOf(mlir::Value tensor,
                                                int64_t dropped = -1);
  /// A tensor of `type` filled with `value`.
  mlir::Value filled(mlir::RankedTensorType type,
                     llvm::ArrayRef<mlir::OpFoldResult> sizes,
                     mlir::TypedAttr value);
  mlir::Value zeros(mlir::RankedTensorType type,
                    llvm::ArrayRef<mlir::OpFoldResult> sizes);

  /// A scalar constant of `type` (float, or complex with zero imaginary).
  mlir::Value scalar(mlir::Type type, double value);
  /// Converts a scalar between float types (extf / truncf / identity).
  mlir::Value convert(mlir::Value value, mlir::Type to);
  /// A ranked tensor with its elements converted to `to` (a new tensor of
  /// the same sizes, dynamic ones included), or the tensor if they are
  /// `to` already.
  mlir::Value convertElements(mlir::Value tensor, mlir::Type to);

  /// linalg.generic over `numDims` loops with the given maps; all loops are
  /// parallel except those listed in `reductionDims`.
  mlir::ValueRange generic(
      mlir::ValueRange inputs, mlir::ValueRange outputs,
      llvm::ArrayRef<llvm::SmallVector<unsigned>> inputDims,
      llvm::ArrayRef<llvm::SmallVector<unsigned>> outputDims,
      unsigned numDims, llvm::ArrayRef<unsigned> reductionDims,
      llvm::function_ref<void(mlir::OpBuilder &, mlir::Location,
                              mlir::ValueRange)>
          body);

  /// The contraction `acc += lhs * rhs` as a linalg.generic: both inputs
  /// converted to `compute`, summed over `reductionDims` into `acc` (its
  /// initial value), which must be of type `compute`. Returns the result.
  mlir::Value multiplyAccumulate(
      mlir::Value lhs, mlir::Value rhs, mlir::Value acc,
      llvm::ArrayRef<llvm::SmallVector<unsigned>> inputDims,
      llvm::SmallVector<unsigned> outputDims, unsigned numDims,
      llvm::ArrayRef<unsigned> reductionDims, mlir::Type compute);

  /// linalg.generic with explicit indexing maps (which may hold constants,
  /// e.g. to read one gate block of a [B, G, H, D] tensor).
  mlir::ValueRange
  generic(mlir::ValueRange inputs, mlir::ValueRange outputs,
          llvm::ArrayRef<mlir::AffineMap> maps,
          llvm::ArrayRef<unsigned> reductionDims,
          llvm::function_ref<void(mlir::OpBuilder &, mlir::Location,
                                  mlir::ValueRange)>
              body);

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
};

/// Element type used for arithmetic on `type`'s elements: f32 for
/// low-precision floats, the type itself otherwise.
mlir::Type computeType(mlir::Type type);

} // namespace seqc

#endif // SEQC_UTILS_LOOPBUILDER_H
