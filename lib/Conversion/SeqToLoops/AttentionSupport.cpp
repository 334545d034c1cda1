//===- AttentionSupport.cpp - pieces shared by attention forms ------------===//
#include "lib/Conversion/SeqToLoops/AttentionSupport.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>

using namespace mlir;

namespace seqc {

double attentionScale(FloatAttr scale, Value key) {
  if (scale)
    return scale.getValueAsDouble();
  int64_t keyDim = cast<RankedTensorType>(key.getType()).getDimSize(3);
  return 1.0 / std::sqrt(static_cast<double>(keyDim));
}

std::string attentionScaleBlocker(FloatAttr scale, Value key) {
  if (!scale && cast<RankedTensorType>(key.getType()).isDynamicDim(3))
    return "needs an explicit 'scale' when dk is dynamic";
  return "";
}

} // namespace seqc
