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

/// On the time loop of a recurrence in the sequential form's `fused`
/// variant: the GPU pipeline makes the whole loop one persistent kernel with
/// a grid barrier between the kernels of a step (seq-persistent-time-loops).
constexpr llvm::StringLiteral kPersistentLoopAttr = "seq.persistent";

/// On a sequential time loop whose form says `state_terms`: how many
/// bf16 terms the step's tensor-core product splits the f32 state into
/// (seq-weight-stationary-steps, seq-contractions-to-mma).
constexpr llvm::StringLiteral kStateTermsAttr = "seq.state_terms";

/// Whether `op` is a seq op to be computed in the sequential form (its form
/// is `sequential`, or it has none) that the sequential lowering accepts.
bool hasSequentialForm(mlir::Operation *op);

/// Whether seq-lower-forms has a lowering of `op` in form `kind` (shapes
/// aside).
bool hasFormLowering(mlir::Operation *op, seq::FormKind kind);

/// Why seq-lower-forms cannot lower `op` in the form it carries (no
/// lowering for that form, dynamic shapes, ...), or an empty string. The
/// patterns check it before building IR; the pass reports it.
std::string formLoweringBlocker(mlir::Operation *op);

/// Sequential form of seq.scan, seq.linear_scan and seq.recurrence: an
/// scf.for over time, parallel over batch and channels in each step.
void populateSequentialScanPatterns(mlir::RewritePatternSet &patterns);

/// Sequential form of seq.linear_attention, seq.delta_rule and
/// seq.softmax_attention.
void populateSequentialAttentionPatterns(mlir::RewritePatternSet &patterns);

/// Chunkwise form of seq.linear_attention (all gate kinds).
void populateChunkwiseFormPatterns(mlir::RewritePatternSet &patterns);

/// Chunkwise (WY/UT) form of seq.delta_rule (gated or not).
void populateChunkwiseDeltaRulePatterns(mlir::RewritePatternSet &patterns);

/// Chunkwise form of seq.linear_scan (log-space decay matrix per chunk,
/// sign- and zero-safe).
void populateChunkwiseLinearScanPatterns(mlir::RewritePatternSet &patterns);

/// Prefix form (reduce-then-scan with the op's combiner) of a generic
/// seq.scan.
void populatePrefixScanPatterns(mlir::RewritePatternSet &patterns);

/// Prefix form (reduce-then-scan over chunks) of seq.linear_scan.
void populatePrefixFormPatterns(mlir::RewritePatternSet &patterns);

/// The chunkwise (flash) and parallel (one chunk of all keys) forms of
/// softmax_attention with a per-step query.
void populateSoftmaxAttentionFormPatterns(mlir::RewritePatternSet &patterns);

/// All sequential-form lowerings.
void populateSequentialFormPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_DECL
#include "lib/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Conversion/Passes.h.inc"

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_H
