//===- ReferenceInterface.h - a seq op on the reference --------*- C++ -*-===//
#ifndef SEQC_EVALUATION_REFERENCEINTERFACE_H
#define SEQC_EVALUATION_REFERENCEINTERFACE_H

#include "seqc/Evaluation/InputRole.h"
#include "seqc/Evaluation/ReferenceEvaluator.h"

#include "mlir/IR/OpDefinition.h"

#include "lib/Evaluation/ReferenceInterface.h.inc"

#endif // SEQC_EVALUATION_REFERENCEINTERFACE_H
