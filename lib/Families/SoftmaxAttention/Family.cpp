//===- Family.cpp - the seq.softmax_attention family, registered ----------===//
//
// The external models that make seq.softmax_attention lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"

#include "autotune/FormCostModelInterface.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct Lowering
    : FormLoweringOpInterface::ExternalModel<Lowering, SoftmaxAttentionOp> {
  bool hasFormLowering(Operation *op, FormKind kind) const {
  bool timeInvariant = cast<SoftmaxAttentionOp>(op).hasTimeInvariantQuery();
  switch (kind) {
  case FormKind::sequential:
    return true;
  case FormKind::prefix:
    return timeInvariant; // Aaren's scan
  case FormKind::chunkwise:
  case FormKind::parallel:
    return !timeInvariant; // flash tiles; one tile of all keys
  }
  return false;
  }

  std::string getSequentialFormBlocker(Operation *op) const {
  auto attention = cast<SoftmaxAttentionOp>(op);
  if (!attention.getScaleAttr() && attention.getK().getType().isDynamicDim(3))
    return "needs an explicit 'scale' when dk is dynamic";
  return "";
  }

  void populateFormLoweringPatterns(Operation *, RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateSoftmaxAttentionSequentialPatterns(patterns);
    populateSoftmaxAttentionPrefixPatterns(patterns);
    populateSoftmaxAttentionChunkwisePatterns(patterns);
  }
};

struct Costs
    : autotune::FormCostModelOpInterface::ExternalModel<Costs, SoftmaxAttentionOp> {
  void addFormModels(Operation *op, const autotune::HardwareModel &target,
                     autotune::FormModels &models) const {
    families::addSoftmaxAttentionFormModels(cast<SoftmaxAttentionOp>(op), target, models);
  }
};

struct Reference
    : eval::ReferenceOpInterface::ExternalModel<Reference, SoftmaxAttentionOp> {
  LogicalResult evaluateReference(Operation *op,
                                  eval::ReferenceEvaluator &evaluator) const {
    return families::evaluateSoftmaxAttention(cast<SoftmaxAttentionOp>(op), evaluator);
  }
  eval::InputRole getInputRole(Operation *op, OpOperand &operand) const {
    return families::softmaxAttentionInputRole(cast<SoftmaxAttentionOp>(op), operand);
  }
};

} // namespace

void seqc::families::registerSoftmaxAttentionFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    SoftmaxAttentionOp::attachInterface<Lowering, Costs, Reference>(*context);
  });
}
