//===- ShapeChecks.h - shape diagnostics shared by verifiers ---*- C++ -*-===//
//
// Verifiers of seq and seqnn ops compare many operand shapes against shapes
// derived from other operands. These helpers keep each check one line and
// every message in one format: what was expected, why, and what was found.
// Dynamic dimensions (`?`) are compatible with any size.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIALECTS_SEQ_IR_SHAPECHECKS_H
#define SEQC_DIALECTS_SEQ_IR_SHAPECHECKS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <string>

namespace seqc {

/// A dimension that is not known statically.
constexpr int64_t kAnyDim = mlir::ShapedType::kDynamic;

/// Prints a dimension size, `?` when dynamic.
std::string formatDim(int64_t dim);

/// Prints a shape as `[2, ?, 4]`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Whether two dimension sizes can be equal (either may be dynamic).
bool dimsCompatible(int64_t lhs, int64_t rhs);

/// Whether two shapes have the same rank and compatible dimensions.
bool shapesCompatible(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// The shape with dimension `dim` removed (e.g. the time dimension).
llvm::SmallVector<int64_t> dropDim(llvm::ArrayRef<int64_t> shape, unsigned dim);

/// Emits "<what> must have shape <expected> (<meaning>), got <actual>" on
/// `op` unless `type`'s shape is compatible with `expected`.
mlir::LogicalResult expectShape(mlir::Operation *op, llvm::StringRef what,
                                mlir::Type type,
                                llvm::ArrayRef<int64_t> expected,
                                llvm::StringRef meaning);

/// Emits "<what> must have element type <expected>, got <actual>" unless
/// the element type of `type` is `expected`.
mlir::LogicalResult expectElementType(mlir::Operation *op, llvm::StringRef what,
                                      mlir::Type type, mlir::Type expected);

/// The size of `dim` of a ranked tensor type.
int64_t dimOf(mlir::Type type, unsigned dim);

/// Product of two sizes where either may be dynamic.
int64_t mulDims(int64_t lhs, int64_t rhs);

} // namespace seqc

#endif // SEQC_DIALECTS_SEQ_IR_SHAPECHECKS_H
