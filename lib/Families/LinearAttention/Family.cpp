//===- Family.cpp - the seq.linear_attention family, registered -----------===//
//
// The external models that make seq.linear_attention lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearAttention/LinearAttention.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Families/FamilyModels.h"
#include "seqc/Conversion/FormLoweringInterface.h"

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
    return attentionScaleBlocker(attention.getScaleAttr(), attention.getK());
  }

  void populateFormLoweringPatterns(Operation *,
                                    RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateLinearAttentionSequentialPatterns(patterns);
    populateLinearAttentionChunkwisePatterns(patterns);
  }
};

} // namespace

void seqc::families::registerLinearAttentionFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    using namespace seqc::families;
    LinearAttentionOp::attachInterface<
        Lowering, CostModelOf<LinearAttentionOp, addLinearAttentionFormModels>,
        ReferenceOf<LinearAttentionOp, evaluateLinearAttention,
                    linearAttentionInputRole>,
        AdjointOf<LinearAttentionOp, buildLinearAttentionAdjoint>>(*context);
  });
}
