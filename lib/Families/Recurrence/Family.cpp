//===- Family.cpp - the seq.recurrence family, registered -----------------===//
//
// The external models that make seq.recurrence lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/Recurrence/Recurrence.h"

#include "lib/Families/FamilyModels.h"
#include "seqc/Conversion/FormLoweringInterface.h"

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

  void populateFormLoweringPatterns(Operation *,
                                    RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateRecurrenceSequentialPatterns(patterns);
  }
};

} // namespace

void seqc::families::registerRecurrenceFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    using namespace seqc::families;
    RecurrenceOp::attachInterface<
        Lowering, CostModelOf<RecurrenceOp, addRecurrenceFormModels>,
        ReferenceOf<RecurrenceOp, evaluateRecurrence, recurrenceInputRole>,
        AdjointOf<RecurrenceOp, buildRecurrenceAdjoint>>(
        *context);
  });
}
