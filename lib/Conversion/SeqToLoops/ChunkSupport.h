//===- ChunkSupport.h - tensors in chunks, and matmuls over them -*- C++
//-*-===//
//
// The chunkwise forms (linear attention, delta rule) work on every chunk of
// every head at once: a [B, T, H, d] sequence becomes [M, C, d] with
// M = B * H * N (N = ceil(T / C) chunks; the padded tail steps are zeros),
// so that the work inside chunks is batched matmuls over M, and only the
// carry of the state from chunk to chunk is sequential.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_CONVERSION_SEQTOLOOPS_CHUNKSUPPORT_H
#define SEQC_CONVERSION_SEQTOLOOPS_CHUNKSUPPORT_H

#include "dialects/Utils/LoopBuilder.h"

namespace seqc {

using Dims = llvm::SmallVector<unsigned>;

/// Sizes of a chunked sequence op.
struct ChunkLayout {
  int64_t B, T, H, C;
  int64_t N;  ///< chunks: ceil(T / C)
  int64_t TP; ///< padded steps: N * C

  ChunkLayout(int64_t B, int64_t T, int64_t H, int64_t C)
      : B(B), T(T), H(H), C(C), N((T + C - 1) / C), TP(N * C) {}
  /// Heads: B * H.
  int64_t heads() const { return B * H; }
  /// Chunks of all heads: B * H * N.
  int64_t chunks() const { return B * H * N; }
};

/// `shape` of f32 (or `element`).
mlir::RankedTensorType tensorOf(mlir::OpBuilder &b,
                                llvm::ArrayRef<int64_t> shape,
                                mlir::Type element = {});
mlir::Value zerosOf(LoopBuilder &lb, llvm::ArrayRef<int64_t> shape,
                    mlir::Type element = {});
/// An uninitialized tensor, for outputs every element of which is written.
mlir::Value emptyOf(LoopBuilder &lb, llvm::ArrayRef<int64_t> shape,
                    mlir::Type element = {});

/// {0, 1, ..., rank - 1}: the loops of an op that indexes by position.
Dims identityDims(unsigned rank);

/// `source[offsets : offsets + sizes]` with static offsets and sizes.
mlir::Value staticSlice(LoopBuilder &lb, mlir::Value source,
                        llvm::ArrayRef<int64_t> offsets,
                        llvm::ArrayRef<int64_t> sizes);
/// `dest` with `source` written at static `offsets`.
mlir::Value staticInsert(LoopBuilder &lb, mlir::Value source, mlir::Value dest,
                         llvm::ArrayRef<int64_t> offsets);

/// `value` viewed with `shape` (same elements, row-major): a collapse, an
/// expand, or both.
mlir::Value reshape(LoopBuilder &lb, mlir::Value value,
                    llvm::ArrayRef<int64_t> shape);

/// A sequence [B, T, H, d] (or per-step scalars [B, T, H]) as f32 chunks
/// [M, C, d] (or [M, C]), times `scale`; padded steps are 0.
mlir::Value packChunks(LoopBuilder &lb, mlir::Value sequence,
                       const ChunkLayout &layout, double scale = 1.0);

/// Chunks [M, C, d] back to the first T steps of [B, T, H, d] in `type`.
mlir::Value unpackChunks(LoopBuilder &lb, mlir::Value chunks,
                         const ChunkLayout &layout,
                         mlir::RankedTensorType type);

/// Per-step chunks [M, C] back to the first T steps of [B, T, H] in `type`.
mlir::Value unpackStepChunks(LoopBuilder &lb, mlir::Value chunks,
                             const ChunkLayout &layout,
                             mlir::RankedTensorType type);

/// A matrix state [B, H, dk, dv] (or zeros without one) as f32 [B*H, dk, dv].
mlir::Value packState(LoopBuilder &lb, mlir::Value init,
                      const ChunkLayout &layout, int64_t dk, int64_t dv);
/// [B*H, dk, dv] f32 back to `type` [B, H, dk, dv].
mlir::Value unpackState(LoopBuilder &lb, mlir::Value state,
                        mlir::RankedTensorType type);

/// The element type of the chunked forms' matmul operands for a sequence
/// op whose output is of `element`s: that type when it is a 16-bit float
/// (bf16, f16), f32 otherwise (an f32 output asks for f32 precision, even
/// from 16-bit inputs). Products of 16-bit operands are exact in the f32
/// accumulator, which is what tensor cores compute (mma.sync with f32
/// accumulation) and what fla does in its chunk kernels; the states and
/// everything elementwise stay f32. Deciding it here, in the IR's types,
/// gives the CPU and the GPU the same numerics.
mlir::Type matmulOperandType(mlir::Type element);

/// acc + lhs rhs as linalg.batch_matmul over [batch, m, k] x [batch, k, n];
/// `transposeLhs`: lhs is [batch, k, m]. Layouts are chosen so that the
/// output's last dimension is the rhs's contiguous one (what the CPU loop
/// order wants, seq-contraction-loop-order). With `operands`, lhs and rhs
/// are first converted to it (nothing is done for one already of it).
mlir::Value batchMatmul(LoopBuilder &lb, mlir::Value lhs, mlir::Value rhs,
                        mlir::Value acc, bool transposeLhs = false,
                        mlir::Type operands = {});

/// The causal intra-chunk scores, transposed: A^T[m, j, i] =
/// (k_j . q_i) exp(L_i - L_j) for j <= i, else 0, from one batched matmul
/// K Q^T on `operands` (f32 by default); `L` [M, C] (f64, per-step log
/// decay) or null for no decay.
mlir::Value causalScoresT(LoopBuilder &lb, mlir::Value q, mlir::Value k,
                          mlir::Value L, mlir::Type operands = {});

/// The inclusive cumulative sum over the steps of each chunk of log gates
/// [M, C, d] (or [M, C]), in f64: exponents are differences of these sums,
/// which f32 would cancel away in long chunks. `reverse`: summed from the
/// chunk's end (sum over j >= i), what the gates' cotangents need.
mlir::Value inChunkCumsum(LoopBuilder &lb, mlir::Value logGates,
                          bool reverse = false);

/// An elementwise generic over `shape` (loops in the result's dimension
/// order; f32 or `element` results) whose body maps the inputs' elements to
/// the result's. Everything it reads is an input and its output starts
/// empty: the GPU pipeline's elementwise fusion mis-fuses a producer that
/// reads its own `outs` into a consumer with reductions (the producer's
/// read-modify-write is repeated per reduction iteration).
mlir::Value elementwise(
    LoopBuilder &lb, mlir::ValueRange ins, llvm::ArrayRef<Dims> inDims,
    llvm::ArrayRef<int64_t> shape,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::ValueRange)>
        body,
    mlir::Type element = {});

mlir::Value mulF(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                 mlir::Value y);
/// exp in f32 of an f64 value.
mlir::Value expF(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x64);

/// A seq.scan combiner applied to scalars: lhs (the earlier aggregate) o
/// rhs, its body cloned at `b`'s insertion point.
llvm::SmallVector<mlir::Value> applyCombiner(mlir::OpBuilder &b,
                                             mlir::Block &combiner,
                                             mlir::ValueRange lhs,
                                             mlir::ValueRange rhs);

/// `value` with its elements converted to `element` (extf / truncf), read
/// through `dims` (a permutation of the result's loops; identity by
/// default).
mlir::Value convertElements(LoopBuilder &lb, mlir::Value value,
                            mlir::Type element, Dims dims = {});

/// What the chunked linear-attention-like forms need for their state terms,
/// from the in-chunk cumulative log decay L ([M, C] or [M, C, dk], f64; null
/// for no decay): queries q exp(L), keys k exp(L_C - L), and exp(L_C) ([M]
/// or [M, dk]; null without decay).
struct StateDecays {
  mlir::Value queries, keys, gamma;
};
StateDecays stateDecays(LoopBuilder &lb, mlir::Value q, mlir::Value k,
                        mlir::Value L);

/// linalg.index(a) <= linalg.index(b) inside a generic body.
mlir::Value indexAtMost(mlir::OpBuilder &b, mlir::Location loc, unsigned a,
                        unsigned c);
/// exp(x - y) in f32 for f64 x, y.
mlir::Value expOfDifference(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x, mlir::Value y);

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_CHUNKSUPPORT_H
