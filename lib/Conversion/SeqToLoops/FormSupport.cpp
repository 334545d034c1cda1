//===- FormSupport.cpp - which forms seq-lower-forms can lower ------------===//
//
// One place that knows what the lowerings accept: the patterns check it
// before touching the IR, seq-lower-forms reports it for what is left, and
// the cost model offers only forms that can be lowered. What each op
// accepts comes from its family (FormLoweringOpInterface); what holds for
// every op (the parallel forms need static shapes) is here.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/FormLoweringInterface.h"
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

using namespace mlir;
using namespace seqc::seq;

namespace {

bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

} // namespace

bool seqc::hasFormLowering(Operation *op, FormKind kind) {
  auto lowering = dyn_cast<FormLoweringOpInterface>(op);
  return lowering && lowering.hasFormLowering(kind);
}

std::string seqc::formLoweringBlocker(Operation *op) {
  if (!isa<FormLoweringOpInterface>(op))
    return "has no form lowerings registered (its family is not registered: "
           "call seqc::registerSeqFamilies on the context's registry)";
  FormAttr form = cast<FormOpInterface>(op).getFormAttr();
  FormKind kind = form ? form.getKind() : FormKind::sequential;
  std::string name = stringifyFormKind(kind).str();
  if (!hasFormLowering(op, kind))
    return "has no lowering for the '" + name +
           "' form yet; use #seq.form<sequential>";
  if (kind == FormKind::sequential)
    return cast<FormLoweringOpInterface>(op).getSequentialFormBlocker();
  return formShapeBlocker(op, kind);
}

std::string seqc::formShapeBlocker(Operation *op, FormKind kind) {
  if (kind == FormKind::sequential || hasStaticShapes(op))
    return "";
  if (auto lowering = dyn_cast<FormLoweringOpInterface>(op))
    if (lowering.hasDynamicShapeLowering(kind))
      return "";
  return "the '" + stringifyFormKind(kind).str() + "' form needs static shapes";
}

bool seqc::hasSequentialForm(Operation *op) {
  auto formOp = dyn_cast<FormOpInterface>(op);
  if (!formOp)
    return false;
  FormAttr form = formOp.getFormAttr();
  return (!form || form.getKind() == FormKind::sequential) &&
         formLoweringBlocker(op).empty();
}

void seqc::populateFormLoweringPatterns(Operation *root,
                                        RewritePatternSet &patterns) {
  // One op of each kind contributes its family's patterns.
  llvm::SmallDenseSet<OperationName> seen;
  root->walk([&](FormLoweringOpInterface op) {
    if (seen.insert(op->getName()).second)
      op.populateFormLoweringPatterns(patterns);
  });
}

bool seqc::isFusedTimeLoop(Operation *op) {
  FormAttr form = TimeLoopOf::get(op);
  return form && form.getVariant() == SequentialVariant::fused;
}

void seqc::dropFusedVariant(Operation *loop) {
  if (FormAttr form = TimeLoopOf::get(loop))
    TimeLoopOf::set(loop, form.withVariant(std::nullopt));
}

void seqc::clampChunkSizes(Operation *root) {
  root->walk([](FormOpInterface op) {
    FormAttr form = op.getFormAttr();
    if (!form || !form.getChunkSize() || op->getNumResults() == 0)
      return;
    // Every op with a chunked form returns its sequence first, [B, T, ...].
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || type.getRank() < 2 || type.isDynamicDim(1))
      return;
    int64_t T = type.getDimSize(1), C = *form.getChunkSize();
    if (C <= T || T < 1)
      return;
    op->emitRemark() << "chunk_size " << C
                     << " is longer than the sequence (T = " << T
                     << "); lowered with chunk_size = " << T;
    op->setAttr("form", form.withChunkSize(T));
  });
}
