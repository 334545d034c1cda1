//===- InitAll.cpp - registration of everything seqc defines --------------===//
#include "seqc/InitAll.h"

#include "dialects/Seq/IR/SeqDialect.h"
#include "dialects/SeqNN/IR/SeqNNDialect.h"

#include "mlir/IR/DialectRegistry.h"

void seqc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<seq::SeqDialect, seqnn::SeqNNDialect>();
}

void seqc::registerAllPasses() {
  // Passes and pipelines register here as they are added (Passes.td of
  // each dialect's Transforms, and lib/Pipelines).
}
