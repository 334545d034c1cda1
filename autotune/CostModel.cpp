//===- CostModel.cpp - configurations and the models of an op's forms -----===//
//
// The per-form models live with their families (lib/Families/<Family>/
// CostModel.cpp), reached through FormCostModelOpInterface.
//
//===----------------------------------------------------------------------===//
#include "autotune/CostModel.h"
#include "autotune/CostModelSupport.h"
#include "autotune/FormCostModelInterface.h"

#include "seqc/Conversion/SeqToLoops.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

using namespace mlir;
using seqc::seq::FormKind;

namespace seqc::autotune {

seq::FormAttr TileConfig::toAttr(MLIRContext *context) const {
  return seq::FormAttr::get(context, kind, variant, chunkSize, blockThreads,
                            itemsPerThread, std::nullopt, stateTerms,
                            std::nullopt, std::nullopt, workers);
}

TileConfig TileConfig::fromAttr(seq::FormAttr form) {
  TileConfig c;
  c.kind = form.getKind();
  c.variant = form.getVariant();
  c.chunkSize = form.getChunkSize();
  c.blockThreads = form.getBlockThreads();
  c.itemsPerThread = form.getItemsPerThread();
  c.stateTerms = form.getStateTerms();
  c.workers = form.getWorkers();
  return c;
}

std::string TileConfig::str() const {
  std::string s = seq::stringifyFormKind(kind).str();
  if (variant)
    s += fmt::format(" variant={}",
                     seq::stringifySequentialVariant(*variant).str());
  if (chunkSize)
    s += fmt::format(" chunk_size={}", *chunkSize);
  if (blockThreads)
    s += fmt::format(" block_threads={}", *blockThreads);
  if (itemsPerThread)
    s += fmt::format(" items_per_thread={}", *itemsPerThread);
  if (stateTerms)
    s += fmt::format(" state_terms={}", *stateTerms);
  if (workers)
    s += fmt::format(" workers={}", *workers);
  return s;
}

bool TileConfig::sameTiles(const TileConfig &o) const {
  return kind == o.kind && variant == o.variant && chunkSize == o.chunkSize &&
         blockThreads == o.blockThreads && itemsPerThread == o.itemsPerThread &&
         stateTerms == o.stateTerms && workers == o.workers;
}

FormModels formModels(Operation *op, const HardwareModel &target) {
  FormModels models;
  if (auto costed = dyn_cast<FormCostModelOpInterface>(op))
    costed.addFormModels(target, models);
  else
    addSequentialOnly(op, target, models);
  // Forms or shapes the lowerings cannot take yet (a dynamic time for the
  // chunked forms) leave only the sequential form.
  llvm::erase_if(models.candidates, [&](const FormModel &m) {
    return !seqc::hasFormLowering(op, m.kind) ||
           !seqc::formShapeBlocker(op, m.kind).empty();
  });
  for (seq::FormKind kind : cast<seq::FormOpInterface>(op).getValidFormKinds())
    if (llvm::none_of(models.candidates,
                      [&](const FormModel &m) { return m.kind == kind; })) {
      std::string shapes = seqc::formShapeBlocker(op, kind);
      models.unavailable.push_back(
          {kind, shapes.empty() ? "no lowering yet" : shapes});
    }
  return models;
}

} // namespace seqc::autotune