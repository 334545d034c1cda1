//===- Family.cpp - the seq.linear_scan family, registered ----------------===//
//
// The external models that make seq.linear_scan lowerable, costed and
// evaluable by the generic passes and tools.
//
//===----------------------------------------------------------------------===//
#include "lib/Families/LinearScan/LinearScan.h"

#include "lib/Families/FamilyModels.h"
#include "seqc/Conversion/FormLoweringInterface.h"

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

  // The prefix form computes its chunk count, rounds and chunk bounds from
  // the batch and length at run time; its channels stay static.
  bool hasDynamicShapeLowering(Operation *op, FormKind kind) const {
    ArrayRef<int64_t> shape =
        cast<LinearScanOp>(op).getA().getType().getShape();
    return kind == FormKind::sequential ||
           (kind == FormKind::prefix &&
            llvm::none_of(shape.drop_front(2), ShapedType::isDynamic));
  }

  // Every linear scan is offered to the kernels; they decline complex and
  // dynamic ones and the chunkwise form, which take the loop-nest path.
  bool hasGpuKernelLowering(Operation *) const { return true; }
  void populateGpuKernelPatterns(Operation *,
                                 RewritePatternSet &patterns) const {
    families::populateLinearScanGpuKernelPatterns(patterns);
  }
  void populateFormLoweringPatterns(Operation *,
                                    RewritePatternSet &patterns) const {
    using namespace seqc::families;
    populateLinearScanSequentialPatterns(patterns);
    populateLinearScanPrefixPatterns(patterns);
    populateLinearScanChunkwisePatterns(patterns);
  }
};

} // namespace

void seqc::families::registerLinearScanFamily(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, SeqDialect *) {
    using namespace seqc::families;
    LinearScanOp::attachInterface<
        Lowering, CostModelOf<LinearScanOp, addLinearScanFormModels>,
        ReferenceOf<LinearScanOp, evaluateLinearScan, linearScanInputRole>,
        AdjointOf<LinearScanOp, buildLinearScanAdjoint>>(
        *context);
  });
}
