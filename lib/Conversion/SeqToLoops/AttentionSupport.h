//===- AttentionSupport.h - pieces shared by attention forms ----*- C++ -*-===//
#ifndef SEQC_CONVERSION_SEQTOLOOPS_ATTENTIONSUPPORT_H
#define SEQC_CONVERSION_SEQTOLOOPS_ATTENTIONSUPPORT_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <string>

namespace seqc {

/// The `scale` attribute, or 1/sqrt(dk) (static, see formLoweringBlocker).
double attentionScale(mlir::FloatAttr scale, mlir::Value key);

/// Why an attention op's sequential lowering cannot take it: no `scale`
/// and a dynamic dk (the default 1/sqrt(dk) is a compile-time constant).
/// Empty when it can.
std::string attentionScaleBlocker(mlir::FloatAttr scale, mlir::Value key);

} // namespace seqc

#endif // SEQC_CONVERSION_SEQTOLOOPS_ATTENTIONSUPPORT_H
