//===- Family.cpp - the seq.linear_scan family, registered ----------------===//
//
// The external models that make seq.linear_scan lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearScan/LinearScan.h"

#include "autotune/FormCostModelInterface.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct Lowering
    : FormLoweringOpInterface::ExternalModel<Lowering, LinearScanOp> {
  bool hasFormLowering(Operation *op, FormKind kind) const {
  switch (kind) {
  case FormKind::sequential:
    return true;
  case FormKind::prefix:
  case FormKind::chunkwise:
    // The chunked forms work in real arithmetic (log-space magnitudes and
    // signs); a complex scan has only the sequential form.
    return isa<FloatType>(
        cast<LinearScanOp>(op).getH().getType().getElementType());
  case FormKind::parallel:
    return false;
  }
  return false;
  }

  void populateFormLoweringPatterns(Operation *, RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateLinearScanSequentialPatterns(patterns);
    populateLinearScanPrefixPatterns(patterns);
    populateLinearScanChunkwisePatterns(patterns);
  }
};

struct Costs
    : autotune::FormCostModelOpInterface::ExternalModel<Costs, LinearScanOp> {
  void addFormModels(Operation *op, const autotune::HardwareModel &target,
                     autotune::FormModels &models) const {
    families::addLinearScanFormModels(cast<LinearScanOp>(op), target, models);
  }
};

struct Reference
    : eval::ReferenceOpInterface::ExternalModel<Reference, LinearScanOp> {
  LogicalResult evaluateReference(Operation *op,
                                  eval::ReferenceEvaluator &evaluator) const {
    return families::evaluateLinearScan(cast<LinearScanOp>(op), evaluator);
  }
  eval::InputRole getInputRole(Operation *op, OpOperand &operand) const {
    return families::linearScanInputRole(cast<LinearScanOp>(op), operand);
  }
};

} // namespace

void seqc::families::registerLinearScanFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    LinearScanOp::attachInterface<Lowering, Costs, Reference>(*context);
  });
}
