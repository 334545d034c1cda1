//===- ScalarAdjoints.h - derivative rules of scalar arith/math -*- C++ -*-===//
//
// The reverse sweep inside an elementwise body (a linalg.generic's region):
// scalar values, their cotangents in a map, one rule per arith/math op.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIFFERENTIATION_SCALARADJOINTS_H
#define SEQC_DIFFERENTIATION_SCALARADJOINTS_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace seqc::ad {

/// Sweeps `ops` (program order, scalar ops of one block) in reverse,
/// reading and adding cotangents in `cotangents`; emits an error on an op
/// a cotangent reaches that has no rule.
llvm::LogicalResult
backpropagateScalars(mlir::OpBuilder &b, llvm::ArrayRef<mlir::Operation *> ops,
                     llvm::DenseMap<mlir::Value, mlir::Value> &cotangents);

/// conj(x) of a complex scalar, as re - i im (complex.conj has no lowering
/// on the CPU path); x itself for a real one.
mlir::Value conjugateScalar(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x);

/// `cotangents[v] += ct` for scalars (float or complex).
void accumulateScalar(mlir::OpBuilder &b, mlir::Location loc,
                      llvm::DenseMap<mlir::Value, mlir::Value> &cotangents,
                      mlir::Value v, mlir::Value ct);

} // namespace seqc::ad

#endif // SEQC_DIFFERENTIATION_SCALARADJOINTS_H
