//===- Family.cpp - the seq.recurrence family, registered -----------------===//
//
// The external models that make seq.recurrence lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/Recurrence/Recurrence.h"

#include "autotune/FormCostModelInterface.h"
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Evaluation/ReferenceInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct Lowering
    : FormLoweringOpInterface::ExternalModel<Lowering, RecurrenceOp> {
  bool hasFormLowering(Operation *op, FormKind kind) const {
  return kind == FormKind::sequential;
  }

  std::string getSequentialFormBlocker(Operation *op) const {
  auto recurrence = cast<RecurrenceOp>(op);
  auto dynamicBeyond = [](Type type, unsigned allowed) {
    auto shaped = cast<RankedTensorType>(type);
    for (int64_t d = allowed; d < shaped.getRank(); ++d)
      if (shaped.isDynamicDim(d))
        return true;
    return false;
  };
  if (recurrence.getInit().empty())
    for (Value state : recurrence.getFinalStates())
      if (dynamicBeyond(state.getType(), 1))
        return "needs 'init' for a state with dynamic sizes other than the "
               "batch";
  for (Value output : recurrence.getOutputs())
    if (dynamicBeyond(output.getType(), 2))
      return "cannot size an output with dynamic sizes other than batch and "
             "time";
  return "";
  }

  void populateFormLoweringPatterns(Operation *, RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateRecurrenceSequentialPatterns(patterns);
  }
};

struct Costs
    : autotune::FormCostModelOpInterface::ExternalModel<Costs, RecurrenceOp> {
  void addFormModels(Operation *op, const autotune::HardwareModel &target,
                     autotune::FormModels &models) const {
    families::addRecurrenceFormModels(cast<RecurrenceOp>(op), target, models);
  }
};

struct Reference
    : eval::ReferenceOpInterface::ExternalModel<Reference, RecurrenceOp> {
  LogicalResult evaluateReference(Operation *op,
                                  eval::ReferenceEvaluator &evaluator) const {
    return families::evaluateRecurrence(cast<RecurrenceOp>(op), evaluator);
  }
  eval::InputRole getInputRole(Operation *op, OpOperand &operand) const {
    return families::recurrenceInputRole(cast<RecurrenceOp>(op), operand);
  }
};

} // namespace

void seqc::families::registerRecurrenceFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    RecurrenceOp::attachInterface<Lowering, Costs, Reference>(*context);
  });
}
