//===- Family.cpp - the seq.scan family, registered -----------------------===//
//
// The external models that make seq.scan lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/Scan/Scan.h"

#include "lib/Families/FamilyModels.h"
#include "seqc/Conversion/FormLoweringInterface.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::seq;

namespace {

struct Lowering : FormLoweringOpInterface::ExternalModel<Lowering, ScanOp> {
  bool hasFormLowering(Operation *op, FormKind kind) const {
    switch (kind) {
    case FormKind::sequential:
      return true;
    case FormKind::prefix: {
      // Chunks need at least one step (a dynamic T is reported as such).
      auto type =
          cast<RankedTensorType>(cast<ScanOp>(op).getInputs()[0].getType());
      return type.isDynamicDim(1) || type.getDimSize(1) > 0;
    }
    case FormKind::chunkwise:
    case FormKind::parallel:
      return false;
    }
    return false;
  }

  void populateFormLoweringPatterns(Operation *,
                                    RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateScanSequentialPatterns(patterns);
    populateScanPrefixPatterns(patterns);
  }
};

} // namespace

void seqc::families::registerScanFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    using namespace seqc::families;
    ScanOp::attachInterface<Lowering, CostModelOf<ScanOp, addScanFormModels>,
                            ReferenceOf<ScanOp, evaluateScan>,
                            AdjointOf<ScanOp, buildScanAdjoint>>(
        *context);
  });
}
