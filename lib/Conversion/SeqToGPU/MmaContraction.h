//===- MmaContraction.h - a contraction on tensor cores ------*- C++ -*-===//
//
// seq-contractions-to-mma in three parts: which 16-bit contractions go on
// tensor cores and how they tile (MmaContractionAnalysis.cpp), the kernel
// that computes one (MmaKernel.cpp), and the pass
// (ContractionsToMmaPass.cpp), which says what the whole does.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_SEQTOGPU_MMACONTRACTION_H
#define SEQC_CONVERSION_SEQTOGPU_MMACONTRACTION_H

#include "lib/Conversion/SeqToGPU/MmaFragments.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/FormatVariadic.h"

namespace seqc::mma {

using namespace mlir;

constexpr int64_t kWarp = 32;
/// Padding words per shared-memory row: with rows of KS / 2 + 4 words
/// (KS = 16, 32 or 64), the 8 rows x 4 words a fragment read touches fall
/// in 32 distinct banks.
constexpr int64_t kRowPadWords = 4;
/// 16-bit elements in one 16-byte global load.
constexpr int64_t kVectorElements = 8;

/// A contraction's loops by role, each list in linearization order
/// (row-major: the last varies fastest).
struct Contraction {
  SmallVector<unsigned> batch, m, n, k;
  SmallVector<int64_t> ranges; ///< every loop's trip count
  int64_t B = 1, M = 1, N = 1, K = 1;
  /// The fragments' type (bf16 or f16).
  FloatType operandType;
  /// An f32 operand (0: A, 1: B) that enters as `terms` bf16 terms, one
  /// product each, against a bf16 other operand; -1: none.
  int splitOperand = -1;
  int64_t terms = 1;
  int64_t termsOf(unsigned operand) const {
    return int(operand) == splitOperand ? terms : 1;
  }
};

/// Why `op` is not a tensor-core contraction, or its loops by role. Its
/// operands: two bf16 (or two f16) widened to f32, or one f32 and one bf16
/// widened (the f32 one split into `f32Terms` bf16 terms).
FailureOr<Contraction> analyze(linalg::GenericOp op, int64_t f32Terms,
                               std::string &why);

/// The op right before `op` if it only fills `op`'s output with 0.0 (what
/// bufferization leaves before a contraction into a fresh buffer, e.g. each
/// RNN step's gates): the kernel writes every element of the output, so it
/// can start its accumulators from 0 and take the fill's place (a launch
/// and a pass over the output fewer).
linalg::GenericOp zeroFillOfOutput(linalg::GenericOp op);

/// The kernel's tiling, recorded on the launch.
struct MmaTiling {
  int64_t blockM, blockN, depth; ///< BM, BN, KS
  int64_t warpsM, warpsN;        ///< warps along m (BM / 16) and n
  int64_t warpN() const { return blockN / warpsN; }
  int64_t fragments() const { return warpN() / 8; }
  int64_t threads() const { return kWarp * warpsM * warpsN; }
  int64_t rowWords() const { return depth / 2 + kRowPadWords; }
};

MmaTiling chooseTiling(const Contraction &con, int64_t multiprocessors);

/// Replaces nothing: builds, at `b`'s insertion point, the gpu.launch that
/// computes `op` as `con` tiled by `tiling` (`fromZero`: the accumulators
/// start at 0, for a zero fill of the output that the caller erases).
gpu::LaunchOp buildMmaKernel(ImplicitLocOpBuilder &b, linalg::GenericOp op,
                             const Contraction &con, const MmaTiling &tiling,
                             bool fromZero);

} // namespace seqc::mma

#endif // SEQC_CONVERSION_SEQTOGPU_MMACONTRACTION_H
