//===- Family.cpp - the seq.softmax_attention family, registered ----------===//
//
// The external models that make seq.softmax_attention lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/SoftmaxAttention/SoftmaxAttention.h"

#include "lib/Conversion/SeqToLoops/AttentionSupport.h"
#include "lib/Families/FamilyModels.h"
#include "seqc/Conversion/FormLoweringInterface.h"

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
    return attentionScaleBlocker(attention.getScaleAttr(), attention.getK());
  }

  void populateFormLoweringPatterns(Operation *,
                                    RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateSoftmaxAttentionSequentialPatterns(patterns);
    populateSoftmaxAttentionPrefixPatterns(patterns);
    populateSoftmaxAttentionChunkwisePatterns(patterns);
  }
};

} // namespace

void seqc::families::registerSoftmaxAttentionFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    using namespace seqc::families;
    SoftmaxAttentionOp::attachInterface<
        Lowering,
        CostModelOf<SoftmaxAttentionOp, addSoftmaxAttentionFormModels>,
        ReferenceOf<SoftmaxAttentionOp, evaluateSoftmaxAttention,
                    softmaxAttentionInputRole>,
        AdjointOf<SoftmaxAttentionOp, buildSoftmaxAttentionAdjoint>>(*context);
  });
}
