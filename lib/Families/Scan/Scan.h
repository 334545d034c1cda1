//===- Scan.h - the seq.scan family ---------------------------------------===//
//
// A generic associative scan with a combiner region.
//
// Everything about this primitive besides its definition in the dialect:
// its form lowerings (one file per form), its cost models (CostModel.cpp),
// its reference evaluation and input roles (Reference.cpp); Family.cpp
// attaches them to the op as external models of the generic interfaces.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_FAMILIES_SCAN_H
#define SEQC_FAMILIES_SCAN_H

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
void populateScanSequentialPatterns(mlir::RewritePatternSet &patterns);
void populateScanPrefixPatterns(mlir::RewritePatternSet &patterns);

/// The models of its forms on a target (seq-select-form, explain, tune).
void addScanFormModels(seq::ScanOp op, const autotune::HardwareModel &target,
                       autotune::FormModels &models);

/// Its value on the reference interpreter (every operand's input role is
/// generic).
llvm::LogicalResult evaluateScan(seq::ScanOp op,
                                 eval::ReferenceEvaluator &evaluator);

/// Its derivative rule (Adjoint.cpp; seq-differentiate).
llvm::LogicalResult buildScanAdjoint(seq::ScanOp op, ad::AdjointBuilder &adjoints);

/// Attaches the above to seq.scan (lib/Families/Families.cpp).
void registerScanFamily(mlir::DialectRegistry &registry);

} // namespace seqc::families

#endif // SEQC_FAMILIES_SCAN_H
