//===- InitAll.cpp - registration of everything seqc defines --------------===//
#include "seqc/InitAll.h"
#include "seqc/Families/Families.h"

#include "autotune/Passes.h"
#include "dialects/Seq/IR/SeqDialect.h"
#include "dialects/Seq/Transforms/Passes.h"
#include "dialects/SeqNN/IR/SeqNNDialect.h"
#include "dialects/SeqNN/Transforms/Passes.h"
#include "seqc/Conversion/SeqToGPU.h"
#include "seqc/Conversion/SeqToLoops.h"
#include "seqc/Differentiation/Differentiate.h"
#include "seqc/Differentiation/Passes.h"
#include "seqc/Pipelines/CpuPipeline.h"
#include "seqc/Pipelines/GpuPipeline.h"

#include "mlir/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"

void seqc::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<seq::SeqDialect, seqnn::SeqNNDialect>();
  registerSeqFamilies(registry);
  ad::registerTensorAdjoints(registry);
}

void seqc::registerAllPasses() {
  // The named pipelines are built from upstream passes by name.
  mlir::registerAllPasses();
  registerSeqcConversionPasses();
  registerSeqcGPUPasses();
  registerSeqcDifferentiationPasses();
  seqnn::registerSeqNNPasses();
  seq::registerSeqPasses();
  autotune::registerSeqcAutotunePasses();
  registerCpuPipeline();
  registerGpuPipeline();
}
