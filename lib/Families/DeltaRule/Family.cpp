//===- Family.cpp - the seq.delta_rule family, registered -----------------===//
//
// The external models that make seq.delta_rule lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/DeltaRule/DeltaRule.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Families/FamilyModels.h"
#include "seqc/Conversion/FormLoweringInterface.h"

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
    return attentionScaleBlocker(attention.getScaleAttr(), attention.getK());
  }

  void populateFormLoweringPatterns(Operation *,
                                    RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateDeltaRuleSequentialPatterns(patterns);
    populateDeltaRuleChunkwisePatterns(patterns);
  }
};

} // namespace

void seqc::families::registerDeltaRuleFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    using namespace seqc::families;
    DeltaRuleOp::attachInterface<
        Lowering, CostModelOf<DeltaRuleOp, addDeltaRuleFormModels>,
        ReferenceOf<DeltaRuleOp, evaluateDeltaRule, deltaRuleInputRole>,
        AdjointOf<DeltaRuleOp, buildDeltaRuleAdjoint>>(
        *context);
  });
}
