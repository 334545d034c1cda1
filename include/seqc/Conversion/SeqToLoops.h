//===- SeqToLoops.h - lowering seq ops by form to loops --------*- C++ -*-===//
#ifndef SEQC_CONVERSION_SEQTOLOOPS_H
#define SEQC_CONVERSION_SEQTOLOOPS_H

#include "mlir/Pass/Pass.h"

#include "dialects/Seq/IR/SeqDialect.h"

#include <memory>
#include <string>

namespace mlir {
class RewritePatternSet;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace seqc {

/// Whether `op` is the time loop of a recurrence in the sequential form's
/// `fused` variant: the GPU pipeline makes the whole loop one persistent
/// kernel with a grid barrier between the kernels of a step
/// (seq-persistent-time-loops).
bool isFusedTimeLoop(mlir::Operation *op);

/// Checks a numeric pass option against [least, most]; an error on `op`
/// naming the pass and the option otherwise (a block count of 0 divided by
/// zero, a negative size wrapped).
mlir::LogicalResult checkPassOption(mlir::Operation *op, llvm::StringRef pass,
                                    llvm::StringRef option, int64_t value,
                                    int64_t least,
                                    int64_t most = INT64_MAX);

/// Chunk sizes longer than the op's sequence (a chunk of C > T steps pads T
/// to C and does C^2 work for T^2 of result) are lowered as chunk_size = T,
/// with a remark saying so; seq-lower-forms and seq-lower-to-gpu-kernels
/// call this first.
void clampChunkSizes(mlir::Operation *root);

/// Makes a fused time loop an alternating one (the persistent kernel does
/// not apply): its form without the variant.
void dropFusedVariant(mlir::Operation *loop);

/// Whether `op` is a seq op to be computed in the sequential form (its form
/// is `sequential`, or it has none) that the sequential lowering accepts.
bool hasSequentialForm(mlir::Operation *op);

/// Whether seq-lower-forms has a lowering of `op` in form `kind` (shapes
/// aside).
bool hasFormLowering(mlir::Operation *op, seq::FormKind kind);

/// Why `op`'s shapes keep form `kind` from lowering (the chunked and
/// parallel forms need static shapes; the sequential one takes a dynamic
/// batch and time), or an empty string.
std::string formShapeBlocker(mlir::Operation *op, seq::FormKind kind);

/// Why seq-lower-forms cannot lower `op` in the form it carries (no
/// lowering for that form, dynamic shapes, ...), or an empty string. The
/// patterns check it before building IR; the pass reports it.
std::string formLoweringBlocker(mlir::Operation *op);

/// The form-lowering patterns of every kind of seq op under `root`, each
/// from its family (FormLoweringOpInterface).
void populateFormLoweringPatterns(mlir::Operation *root,
                                  mlir::RewritePatternSet &patterns);

/// Why seq-register-tile-contractions cannot build a microkernel for the
/// contraction `op` (not a matmul or batch_matmul on f32 buffers with the
/// default maps, a dynamic reduction or column size, B or C rows that are
/// not contiguous), or an empty string. With `bf16Pairs`, the bf16 pair
/// kernel's instead: an f32 C, an f32 or bf16 A, and a B of bf16 values
/// (bf16 elements, or f32 ones widened from a bf16 argument).
std::string registerTileBlocker(mlir::Operation *op, bool bf16Pairs = false);

/// Whether the microkernel of the contraction `op` runs the blocks of one
/// column panel consecutively rather than a row block's columns: when its
/// rows are few (at most 64, or a dynamic count inside a recurrence's step
/// loop: a batch), so that a step reads each panel of B once.
bool registerTileColumnsOuter(mlir::Operation *op);

/// Whether the f32 kernel's packed copy of the contraction `op`'s B
/// (`packed_b`) would be made once for many runs of `op`: nothing writes B
/// while the function runs and `op` is nested in an op (a loop) of the block
/// that defines B, before which the copy is made.
bool registerTilePacksOnce(mlir::Operation *op);

#define GEN_PASS_DECL
#include "lib/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Conversion/Passes.h.inc"

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_H
