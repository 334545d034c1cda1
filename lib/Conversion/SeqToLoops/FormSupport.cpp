//===- FormSupport.cpp - which forms seq-lower-forms can lower ------------===//
//
// One place that knows what the lowerings accept: the patterns check it
// before touching the IR, seq-lower-forms reports it for what is left, and
// the cost model offers only forms that can be lowered.
//
//===----------------------------------------------------------------------===//
#include "seqc/Conversion/SeqToLoops.h"

#include "dialects/Seq/IR/SeqOps.h"

#include "llvm/ADT/TypeSwitch.h"

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

/// Whether a dimension other than those in `allowed` is dynamic.
bool dynamicBeyond(Type type, unsigned allowed) {
  auto shaped = cast<RankedTensorType>(type);
  for (int64_t d = allowed; d < shaped.getRank(); ++d)
    if (shaped.isDynamicDim(d))
      return true;
  return false;
}

/// Why the sequential lowering cannot take `op`, or empty.
std::string sequentialBlocker(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case<LinearAttentionOp, DeltaRuleOp, SoftmaxAttentionOp>(
          [](auto attention) -> std::string {
            if (!attention.getScaleAttr() &&
                attention.getK().getType().isDynamicDim(3))
              return "needs an explicit 'scale' when dk is dynamic";
            return "";
          })
      .Case([](RecurrenceOp recurrence) -> std::string {
        if (recurrence.getInit().empty())
          for (Value state : recurrence.getFinalStates())
            if (dynamicBeyond(state.getType(), 1))
              return "needs 'init' for a state with dynamic sizes other "
                     "than the batch";
        for (Value output : recurrence.getOutputs())
          if (dynamicBeyond(output.getType(), 2))
            return "cannot size an output with dynamic sizes other than "
                   "batch and time";
        return "";
      })
      .Default([](Operation *) { return ""; });
}

} // namespace

bool seqc::hasFormLowering(Operation *op, FormKind kind) {
  switch (kind) {
  case FormKind::sequential:
    return isa<FormOpInterface>(op);
  case FormKind::prefix:
    if (auto scan = dyn_cast<ScanOp>(op)) {
      // Chunks need at least one step (a dynamic T is reported as such).
      auto type = cast<RankedTensorType>(scan.getInputs()[0].getType());
      return type.isDynamicDim(1) || type.getDimSize(1) > 0;
    }
    if (auto scan = dyn_cast<LinearScanOp>(op))
      return isa<FloatType>(scan.getH().getType().getElementType());
    if (auto attention = dyn_cast<SoftmaxAttentionOp>(op))
      return attention.hasTimeInvariantQuery();
    return false;
  case FormKind::chunkwise:
    if (auto attention = dyn_cast<SoftmaxAttentionOp>(op))
      return !attention.hasTimeInvariantQuery();
    if (auto scan = dyn_cast<LinearScanOp>(op))
      return isa<FloatType>(scan.getH().getType().getElementType());
    return isa<LinearAttentionOp, DeltaRuleOp>(op);
  case FormKind::parallel:
    if (auto attention = dyn_cast<SoftmaxAttentionOp>(op))
      return !attention.hasTimeInvariantQuery();
    // One chunk of all T steps (ChunkwiseAttention.cpp).
    return isa<LinearAttentionOp>(op);
  }
  return false;
}

std::string seqc::formLoweringBlocker(Operation *op) {
  FormAttr form = cast<FormOpInterface>(op).getFormAttr();
  FormKind kind = form ? form.getKind() : FormKind::sequential;
  std::string name = stringifyFormKind(kind).str();
  if (!hasFormLowering(op, kind))
    return "has no lowering for the '" + name +
           "' form yet; use #seq.form<sequential>";
  if (kind == FormKind::sequential)
    return sequentialBlocker(op);
  if (!hasStaticShapes(op))
    return "the '" + name + "' form needs static shapes";
  return "";
}
