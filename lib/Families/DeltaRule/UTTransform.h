//===- UTTransform.h - the chunk pieces of the delta rule's WY/UT form -*- C++ -*-===//
//
// What the chunkwise forward (Chunkwise.cpp) and the chunkwise backward
// (ChunkwiseAdjoint.cpp) of seq.delta_rule both compute: every chunk's UT
// transform, the corrected values V' and the state entering every chunk
// (the formulas are in Chunkwise.cpp's header).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_DELTARULE_UTTRANSFORM_H
#define SEQC_FAMILIES_DELTARULE_UTTRANSFORM_H

#include "lib/Conversion/SeqToLoops/ChunkSupport.h"

#include "dialects/Seq/IR/SeqOps.h"

namespace seqc::families {

/// The pieces of the WY/UT form for every chunk of every head (M chunks of
/// C steps; f32 unless said).
struct DeltaRuleChunks {
  ChunkLayout layout;
  int64_t DK, DV;
  mlir::Value q;    ///< [M, C, DK], times the op's scale
  mlir::Value k;    ///< [M, C, DK]
  mlir::Value v;    ///< [M, C, DV]
  mlir::Value beta; ///< [M, C]
  mlir::Value L;    ///< [M, C] f64: in-chunk cumulative log gate (null: none)
  mlir::Value gram; ///< [M, C, C]: K K^T
  mlir::Value A;    ///< [M, C, C]: tril(diag(beta) K K^T * Gamma, -1)
  mlir::Value Tinv; ///< [M, C, C]: (I + A)^{-1}
  mlir::Value negBetaKeys; ///< [M, C, DK]: -diag(beta) K exp(L)
  mlir::Value betaValues;  ///< [M, C, DV]: diag(beta) V
  mlir::Value negW;        ///< [M, C, DK]: -W = Tinv negBetaKeys
  mlir::Value U;           ///< [M, C, DV]: Tinv betaValues
  StateDecays decays;      ///< q exp(L), k exp(L_C - L), exp(L_C)
  mlir::Value statesIn;    ///< [M, DK, DV]: the state entering each chunk
  mlir::Value corrected;   ///< [M, C, DV]: V' = U - W S
  mlir::Value finalState;  ///< [B * H, DK, DV]
};

/// The pieces of `op` in chunks of `C` steps, the products with the state
/// and K K^T on `operands` (the UT transform's always in f32).
DeltaRuleChunks computeDeltaRuleChunks(LoopBuilder &lb, seq::DeltaRuleOp op,
                                       int64_t C, mlir::Type operands);

} // namespace seqc::families

#endif // SEQC_FAMILIES_DELTARULE_UTTRANSFORM_H
