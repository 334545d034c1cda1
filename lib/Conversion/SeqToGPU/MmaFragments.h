//===- MmaFragments.h - mma.sync m16n8k16 fragments -------------*- C++ -*-===//
//
// What the tensor-core kernels (seq-contractions-to-mma's tiled matmul and
// seq-weight-stationary-steps' fused recurrent step) share: packing two
// 16-bit floats into a fragment register, one mma.sync.m16n8k16 with f32
// accumulators, loads guarded to zero and the alignment of vector loads.
// Fragment layouts: PTX ISA, "Matrix Fragments for mma.m16n8k16 with floating
// point type" (groupID g = lane / 4, t = lane % 4):
//   A: a0a1 (g, 2t..2t+1), a2a3 (g+8, 2t..), a4a5 (g, 2t+8..), a6a7 (g+8,
//      2t+8..);  B: b0b1 (2t..2t+1, g), b2b3 (2t+8.., g);
//   C/D: c0c1 (g, 2t..2t+1), c2c3 (g+8, 2t..2t+1).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_LIB_CONVERSION_SEQTOGPU_MMAFRAGMENTS_H
#define SEQC_LIB_CONVERSION_SEQTOGPU_MMAFRAGMENTS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace seqc {

/// `then()` where `condition` holds, else 0 of `type` (an scf.if: what
/// `then` builds runs only where it holds, e.g. a load in bounds).
mlir::Value valueOrZero(mlir::ImplicitLocOpBuilder &b, mlir::Value condition,
                        mlir::Type type,
                        llvm::function_ref<mlir::Value()> then);

/// Whether every run of `elements` elements along the innermost dimension
/// of `type` that starts at a multiple of `elements` starts as aligned as
/// the run (buffers start 16-byte aligned: the bundle's entry points refuse
/// others): unit innermost stride, a static offset and static other
/// strides that are multiples of `elements`.
bool runsAligned(mlir::MemRefType type, int64_t elements);

/// Two 16-bit floats in one 32-bit word, `low` in the low half (element
/// order of the .bf16x2/.f16x2 fragment registers).
mlir::Value packHalves(mlir::ImplicitLocOpBuilder &b, mlir::Value low,
                       mlir::Value high);

/// Two f32 values (k and k + 1 of an operand) as `terms` packed words of
/// bf16 terms, smallest first: x = t0 + t1 + t2 where each term is the
/// bf16 rounding of what the larger ones leave (the subtraction is exact),
/// so that summing the terms' products reproduces f32's precision with
/// three terms (|x - t0 - t1 - t2| <= 2^-24 |x|), bf16's with one.
llvm::SmallVector<mlir::Value, 3> bf16TermWords(mlir::ImplicitLocOpBuilder &b,
                                                mlir::Value low,
                                                mlir::Value high,
                                                int64_t terms);

/// A packed word as mma.sync takes an operand register of `type` (i32 for
/// bf16, vector<2xf16> for f16).
mlir::Value mmaRegister(mlir::ImplicitLocOpBuilder &b, mlir::Value word,
                        mlir::FloatType type);

/// c = a b + c for one m16n8k16 tile (row-major A, column-major B, f32
/// accumulators): `a` four registers, `bFragment` two, `c` four f32 values,
/// replaced by the result's.
void mmaM16N8K16(mlir::ImplicitLocOpBuilder &b, mlir::FloatType type,
                 mlir::ArrayRef<mlir::Value> a,
                 mlir::ArrayRef<mlir::Value> bFragment,
                 mlir::MutableArrayRef<mlir::Value> c);

} // namespace seqc

#endif // SEQC_LIB_CONVERSION_SEQTOGPU_MMAFRAGMENTS_H
