//===- SeqNNDialect.cpp - seqnn dialect and enum attributes ---------------===//
#include "dialects/SeqNN/IR/SeqNNDialect.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace seqc::seqnn;

#include "dialects/SeqNN/IR/SeqNNDialect.cpp.inc"
#include "dialects/SeqNN/IR/SeqNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/SeqNN/IR/SeqNNAttrs.cpp.inc"

void SeqNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/SeqNN/IR/SeqNNOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/SeqNN/IR/SeqNNAttrs.cpp.inc"
      >();
}
