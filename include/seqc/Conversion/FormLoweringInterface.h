//===- FormLoweringInterface.h - how a seq op is lowered -------*- C++ -*-===//
#ifndef SEQC_CONVERSION_FORMLOWERINGINTERFACE_H
#define SEQC_CONVERSION_FORMLOWERINGINTERFACE_H

#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"

#include <string>

#include "lib/Conversion/FormLoweringInterface.h.inc"

#endif // SEQC_CONVERSION_FORMLOWERINGINTERFACE_H
