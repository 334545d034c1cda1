//===- SelectFormPass.cpp - seq-select-form -------------------------------===//
#include "autotune/Passes.h"
#include "autotune/TilingProblem.h"
#include "dialects/Seq/IR/SeqOps.h"

#include "mlir/IR/Diagnostics.h"

namespace seqc::autotune {
#define GEN_PASS_DEF_SEQSELECTFORM
#include "autotune/Passes.h.inc"
} // namespace seqc::autotune

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;
using seqc::seq::FormKind;

namespace {

/// Checks a form written in the IR against the target's constraints. One
/// that makes the configuration impossible (a block over the thread limit,
/// registers over an SM's) is an error naming it; one that only makes it
/// slow (a block that is not a warp multiple, a chunk tile beyond L2) is a
/// warning: the form is kept, as promised, but not silently.
LogicalResult checkWrittenForm(seq::FormOpInterface op,
                               const HardwareModel &hw) {
  TileConfig written = TileConfig::fromAttr(op.getFormAttr());
  for (const FormModel &model : formModels(op, hw).candidates) {
    if (model.kind != written.kind)
      continue;
    TilingProblem problem(model);
    std::vector<TilingProblem::Reason> broken = problem.violations(written);
    if (broken.empty())
      return success();
    std::vector<TilingProblem::Reason> hard;
    for (const TilingProblem::Reason &reason : broken)
      if (reason.isHard())
        hard.push_back(reason);
    if (!hard.empty()) {
      InFlightDiagnostic error =
          op->emitError() << "the form written here cannot run on target '"
                          << hw.name << "': it breaks " << hard.size()
                          << " hard constraint" << (hard.size() == 1 ? "" : "s");
      for (const TilingProblem::Reason &reason : hard)
        error.attachNote() << reason.str();
      return failure();
    }
    InFlightDiagnostic warning =
        op->emitWarning() << "the form written here breaks " << broken.size()
                          << " constraint" << (broken.size() == 1 ? "" : "s")
                          << " of target '" << hw.name << "'; it is kept";
    for (const TilingProblem::Reason &reason : broken)
      warning.attachNote() << reason.str();
    return success();
  }
  return success();
}

struct SeqSelectFormPass
    : seqc::autotune::impl::SeqSelectFormBase<SeqSelectFormPass> {
  using SeqSelectFormBase::SeqSelectFormBase;

  void runOnOperation() override {
    std::string error;
    std::optional<HardwareModel> hw = lookupTarget(target, error);
    if (!hw) {
      getOperation()->emitError() << "seq-select-form: " << error;
      return signalPassFailure();
    }
    std::optional<FormKind> forced;
    std::optional<int64_t> forcedChunk;
    if (!force.empty()) {
      StringRef text(force);
      auto [kindText, chunkText] = text.split(':');
      forced = seq::symbolizeFormKind(kindText);
      int64_t chunk = 0;
      if (!forced || (!chunkText.empty() &&
                      (chunkText.getAsInteger(10, chunk) || chunk <= 0))) {
        getOperation()->emitError()
            << "seq-select-form: cannot parse force='" << force
            << "' (expected sequential, prefix, chunkwise[:C] or parallel)";
        return signalPassFailure();
      }
      if (!chunkText.empty())
        forcedChunk = chunk;
    }
    std::optional<seq::SequentialVariant> variant;
    if (!sequentialVariant.empty()) {
      variant = seq::symbolizeSequentialVariant(sequentialVariant);
      if (!variant) {
        getOperation()->emitError()
            << "seq-select-form: unknown sequential-variant '"
            << sequentialVariant << "' (expected fused or alternating)";
        return signalPassFailure();
      }
    }
    if (stateTerms && (stateTerms < 1 || stateTerms > 3)) {
      getOperation()->emitError()
          << "seq-select-form: state-terms must be 1, 2 or 3";
      return signalPassFailure();
    }
    bool impossibleForm = false;
    getOperation()->walk([&](seq::FormOpInterface op) {
      if (op.getFormAttr()) {
        impossibleForm |= failed(checkWrittenForm(op, *hw));
        return; // never override a form someone wrote
      }
      FormChoice choice = chooseForm(op, *hw);
      std::optional<TileConfig> pick;
      if (forced) {
        for (const TileConfig &c : choice.best)
          if (c.kind == *forced &&
              (!pick || c.cost.seconds < pick->cost.seconds))
            pick = c;
        if (!pick)
          return; // the forced form does not apply to this op
        if (forcedChunk && pick->chunkSize)
          pick->chunkSize = forcedChunk;
      } else {
        pick = choice.cheapest();
      }
      if (pick && variant && pick->kind == FormKind::sequential &&
          op.hasSequentialVariants()) {
        // The variant asked for: its model's configuration where the
        // target has one (a GPU), else the pick with the variant written.
        for (const TileConfig &c : choice.best)
          if (c.kind == FormKind::sequential &&
              c.variant.value_or(seq::SequentialVariant::alternating) ==
                  *variant)
            pick = c;
        pick->variant = variant;
      }
      if (pick && stateTerms && pick->kind == FormKind::sequential &&
          op.hasSequentialVariants())
        pick->stateTerms = stateTerms;
      if (pick)
        op->setAttr("form", pick->toAttr(op->getContext()));
    });
    if (impossibleForm)
      signalPassFailure();
  }
};

} // namespace
