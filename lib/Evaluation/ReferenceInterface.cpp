//===- ReferenceInterface.cpp - a seq op on the reference -----------------===//
#include "seqc/Evaluation/ReferenceInterface.h"

#include "lib/Evaluation/ReferenceInterface.cpp.inc"
