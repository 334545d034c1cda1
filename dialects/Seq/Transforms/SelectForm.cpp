//===- SelectForm.cpp - seq-select-form -----------------------------------===//
#include "CostModel.h"
#include "Passes.h"

namespace seqc::seq {
#define GEN_PASS_DEF_SEQSELECTFORM
#include "dialects/Seq/Transforms/Passes.h.inc"
} // namespace seqc::seq

using namespace mlir;
using namespace seqc::seq;

namespace {

struct SeqSelectFormPass
    : seqc::seq::impl::SeqSelectFormBase<SeqSelectFormPass> {
  using SeqSelectFormBase::SeqSelectFormBase;

  void runOnOperation() override {
    std::optional<HardwareModel> hw = hardwareModel(target);
    if (!hw) {
      getOperation()->emitError()
          << "seq-select-form: unknown target '" << target
          << "' (expected cpu, sm_80, sm_90, h200)";
      return signalPassFailure();
    }
    std::optional<FormKind> forced;
    std::optional<int64_t> forcedChunk;
    if (!force.empty()) {
      StringRef text(force);
      auto [kindText, chunkText] = text.split(':');
      forced = symbolizeFormKind(kindText);
      int64_t chunk = 0;
      if (!forced || (!chunkText.empty() && chunkText.getAsInteger(10, chunk))) {
        getOperation()->emitError()
            << "seq-select-form: cannot parse force='" << force
            << "' (expected sequential, prefix, chunkwise[:C] or parallel)";
        return signalPassFailure();
      }
      if (!chunkText.empty())
        forcedChunk = chunk;
    }
    getOperation()->walk([&](FormOpInterface op) {
      if (op.getFormAttr())
        return; // never override a form someone wrote
      std::vector<FormCost> costs = costForms(op, *hw);
      std::optional<FormCost> choice;
      if (forced) {
        for (const FormCost &c : costs)
          if (c.kind == *forced && c.unavailable.empty()) {
            choice = c;
            if (forcedChunk && c.chunkSize)
              choice->chunkSize = forcedChunk;
            break;
          }
        if (!choice)
          return; // the forced form does not apply to this op
      } else {
        choice = cheapest(costs);
      }
      if (!choice)
        return;
      op->setAttr("form", FormAttr::get(op->getContext(), choice->kind,
                                        std::nullopt, choice->chunkSize,
                                        std::nullopt, std::nullopt,
                                        std::nullopt));
    });
  }
};

} // namespace
