//===- FormCostModelInterface.cpp - how a seq op is costed ----------------===//
#include "autotune/FormCostModelInterface.h"

#include "autotune/FormCostModelInterface.cpp.inc"
