//===- IndexArithmetic.h - index arithmetic for kernel builders -*- C++ -*-===//
//
// What every hand-built GPU kernel computes its addresses with: index
// constants, sums, and products, quotients and remainders by constants
// (unsigned: the indices are never negative), with the trivial cases folded
// as they are built, and loop indices to and from a linear index. The
// kernel builders (seq-contractions-to-mma, seq-weight-stationary-steps,
// seq-persistent-time-loops, the linear scan's kernels) derive from it.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_SEQTOGPU_INDEXARITHMETIC_H
#define SEQC_CONVERSION_SEQTOGPU_INDEXARITHMETIC_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace seqc {

struct IndexArithmetic {
  mlir::ImplicitLocOpBuilder &b;

  mlir::Value index(int64_t v) {
    return mlir::arith::ConstantIndexOp::create(b, v);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return mlir::arith::AddIOp::create(b, x, y);
  }
  mlir::Value add(mlir::Value x, int64_t y) { return y ? add(x, index(y)) : x; }
  mlir::Value mul(mlir::Value x, int64_t y) {
    return y == 1 ? x : mlir::arith::MulIOp::create(b, x, index(y)).getResult();
  }
  mlir::Value div(mlir::Value x, int64_t y) {
    return y == 1 ? x
                  : mlir::arith::DivUIOp::create(b, x, index(y)).getResult();
  }
  mlir::Value rem(mlir::Value x, int64_t y) {
    return y == 1 ? index(0)
                  : mlir::arith::RemUIOp::create(b, x, index(y)).getResult();
  }
  /// x < bound (unsigned).
  mlir::Value ult(mlir::Value x, int64_t bound) {
    return mlir::arith::CmpIOp::create(b, mlir::arith::CmpIPredicate::ult, x,
                                       index(bound));
  }
  mlir::Value both(mlir::Value x, mlir::Value y) {
    return mlir::arith::AndIOp::create(b, x, y);
  }

  /// Sets `indices[d]` for each loop d of `dims` (in linearization order,
  /// the last fastest; trip counts `ranges[d]`) from their linear index.
  void delinearize(mlir::Value linear, llvm::ArrayRef<unsigned> dims,
                   llvm::ArrayRef<int64_t> ranges,
                   llvm::SmallVectorImpl<mlir::Value> &indices) {
    for (int64_t i = int64_t(dims.size()) - 1; i >= 0; --i) {
      indices[dims[i]] = i ? rem(linear, ranges[dims[i]]) : linear;
      if (i)
        linear = div(linear, ranges[dims[i]]);
    }
  }
  /// The linear index of the loops `dims` (trip counts `ranges`) at
  /// `indices`: the inverse of delinearize.
  mlir::Value linearize(llvm::ArrayRef<mlir::Value> indices,
                        llvm::ArrayRef<unsigned> dims,
                        llvm::ArrayRef<int64_t> ranges) {
    mlir::Value linear = index(0);
    for (unsigned d : dims)
      linear = add(mul(linear, ranges[d]), indices[d]);
    return linear;
  }
};

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOGPU_INDEXARITHMETIC_H
