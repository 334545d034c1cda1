//===- Family.cpp - the seq.delta_rule family, registered -----------------===//
//
// The external models that make seq.delta_rule lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/DeltaRule/DeltaRule.h"

#include "autotune/FormCostModelInterface.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct Lowering
    : FormLoweringOpInterface::ExternalModel<Lowering, DeltaRuleOp> {
  bool hasFormLowering(Operation *op, FormKind kind) const {
  return kind == FormKind::sequential || kind == FormKind::chunkwise;
  }

  std::string getSequentialFormBlocker(Operation *op) const {
  auto attention = cast<DeltaRuleOp>(op);
  if (!attention.getScaleAttr() && attention.getK().getType().isDynamicDim(3))
    return "needs an explicit 'scale' when dk is dynamic";
  return "";
  }

  void populateFormLoweringPatterns(Operation *, RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateDeltaRuleSequentialPatterns(patterns);
    populateDeltaRuleChunkwisePatterns(patterns);
  }
};

struct Costs
    : autotune::FormCostModelOpInterface::ExternalModel<Costs, DeltaRuleOp> {
  void addFormModels(Operation *op, const autotune::HardwareModel &target,
                     autotune::FormModels &models) const {
    families::addDeltaRuleFormModels(cast<DeltaRuleOp>(op), target, models);
  }
};

struct Reference
    : eval::ReferenceOpInterface::ExternalModel<Reference, DeltaRuleOp> {
  LogicalResult evaluateReference(Operation *op,
                                  eval::ReferenceEvaluator &evaluator) const {
    return families::evaluateDeltaRule(cast<DeltaRuleOp>(op), evaluator);
  }
  eval::InputRole getInputRole(Operation *op, OpOperand &operand) const {
    return families::deltaRuleInputRole(cast<DeltaRuleOp>(op), operand);
  }
};

} // namespace

void seqc::families::registerDeltaRuleFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    DeltaRuleOp::attachInterface<Lowering, Costs, Reference>(*context);
  });
}
