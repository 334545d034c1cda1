//===- FormLoweringInterface.cpp - how a seq op is lowered ----------------===//
#include "seqc/Conversion/FormLoweringInterface.h"

#include "lib/Conversion/FormLoweringInterface.cpp.inc"
