//===- Family.cpp - the seq.linear_attention family, registered -----------===//
//
// The external models that make seq.linear_attention lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearAttention/LinearAttention.h"

#include "autotune/FormCostModelInterface.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct Lowering
    : FormLoweringOpInterface::ExternalModel<Lowering, LinearAttentionOp> {
  bool hasFormLowering(Operation *op, FormKind kind) const {
  // The parallel form is one chunk of all T steps (Chunkwise.cpp).
  return kind != FormKind::prefix;
  }

  std::string getSequentialFormBlocker(Operation *op) const {
  auto attention = cast<LinearAttentionOp>(op);
  if (!attention.getScaleAttr() && attention.getK().getType().isDynamicDim(3))
    return "needs an explicit 'scale' when dk is dynamic";
  return "";
  }

  void populateFormLoweringPatterns(Operation *, RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateLinearAttentionSequentialPatterns(patterns);
    populateLinearAttentionChunkwisePatterns(patterns);
  }
};

struct Costs
    : autotune::FormCostModelOpInterface::ExternalModel<Costs, LinearAttentionOp> {
  void addFormModels(Operation *op, const autotune::HardwareModel &target,
                     autotune::FormModels &models) const {
    families::addLinearAttentionFormModels(cast<LinearAttentionOp>(op), target, models);
  }
};

struct Reference
    : eval::ReferenceOpInterface::ExternalModel<Reference, LinearAttentionOp> {
  LogicalResult evaluateReference(Operation *op,
                                  eval::ReferenceEvaluator &evaluator) const {
    return families::evaluateLinearAttention(cast<LinearAttentionOp>(op), evaluator);
  }
  eval::InputRole getInputRole(Operation *op, OpOperand &operand) const {
    return families::linearAttentionInputRole(cast<LinearAttentionOp>(op), operand);
  }
};

} // namespace

void seqc::families::registerLinearAttentionFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    LinearAttentionOp::attachInterface<Lowering, Costs, Reference>(*context);
  });
}
