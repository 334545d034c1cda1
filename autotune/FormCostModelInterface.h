//===- FormCostModelInterface.h - how a seq op is costed -------*- C++ -*-===//
#ifndef SEQC_AUTOTUNE_FORMCOSTMODELINTERFACE_H
#define SEQC_AUTOTUNE_FORMCOSTMODELINTERFACE_H

#include "autotune/CostModel.h"

#include "mlir/IR/OpDefinition.h"

#include "autotune/FormCostModelInterface.h.inc"

#endif // SEQC_AUTOTUNE_FORMCOSTMODELINTERFACE_H
