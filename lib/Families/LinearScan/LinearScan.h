//===- LinearScan.h - the seq.linear_scan family --------------------------===//
//
// h_t = a_t h_{t-1} + b_t, elementwise (LRU, S4D, Mamba S6, HGRN).
//
// Everything about this primitive besides its definition in the dialect:
// its form lowerings (one file per form), its cost models (CostModel.cpp),
// its reference evaluation and input roles (Reference.cpp); Family.cpp
// attaches them to the op as external models of the generic interfaces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_LINEARSCAN_H
#define SEQC_FAMILIES_LINEARSCAN_H

#include "autotune/CostModel.h"
#include "seqc/Evaluation/InputRole.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"

#include "dialects/Seq/IR/SeqOps.h"

namespace seqc::ad {
class AdjointBuilder;
} // namespace seqc::ad

namespace mlir {
class DialectRegistry;
class RewritePatternSet;
} // namespace mlir

namespace seqc::families {

/// The form lowerings, one pattern each (seq-lower-forms).
void populateLinearScanSequentialPatterns(mlir::RewritePatternSet &patterns);
void populateLinearScanPrefixPatterns(mlir::RewritePatternSet &patterns);
void populateLinearScanChunkwisePatterns(mlir::RewritePatternSet &patterns);
/// Its sequential and prefix forms as hand-written GPU kernels on buffers
/// (seq-lower-to-gpu-kernels), for real element types.
void populateLinearScanGpuKernelPatterns(mlir::RewritePatternSet &patterns);

/// The models of its forms on a target (seq-select-form, explain, tune).
void addLinearScanFormModels(seq::LinearScanOp op,
                             const autotune::HardwareModel &target,
                             autotune::FormModels &models);

/// Its value on the reference interpreter, and its operands' input roles.
llvm::LogicalResult evaluateLinearScan(seq::LinearScanOp op,
                                       eval::ReferenceEvaluator &evaluator);
eval::InputRole linearScanInputRole(seq::LinearScanOp op,
                                    mlir::OpOperand &operand);

/// Its derivative rule (Adjoint.cpp; seq-differentiate).
llvm::LogicalResult buildLinearScanAdjoint(seq::LinearScanOp op, ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.linear_scan (lib/Families/Families.cpp).
void registerLinearScanFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_LINEARSCAN_H
