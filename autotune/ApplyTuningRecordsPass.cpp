//===- ApplyTuningRecordsPass.cpp - seq-apply-tuning-records --------------===//
#include "autotune/Passes.h"
#include "autotune/TilingProblem.h"
#include "autotune/WorkloadKey.h"
#include "dialects/Seq/IR/SeqDialect.h"

#include "mlir/IR/Diagnostics.h"

namespace seqc::autotune {
#define GEN_PASS_DEF_SEQAPPLYTUNINGRECORDS
#include "autotune/Passes.h.inc"
} // namespace seqc::autotune

using namespace mlir;
using namespace seqc::autotune;

namespace {

struct SeqApplyTuningRecordsPass
    : seqc::autotune::impl::SeqApplyTuningRecordsBase<
          SeqApplyTuningRecordsPass> {
  using SeqApplyTuningRecordsBase::SeqApplyTuningRecordsBase;

  void runOnOperation() override {
    if (database.empty())
      return;
    std::string error;
    std::optional<HardwareModel> hw = lookupTarget(target, error);
    if (!hw) {
      getOperation()->emitError() << "seq-apply-tuning-records: " << error;
      return signalPassFailure();
    }
    // A database that cannot be read costs the tuned forms, not the
    // compilation: every op falls back to the cost model.
    std::unique_ptr<TuningDatabase> db =
        TuningDatabase::open(database, /*create=*/false, error);
    if (!db) {
      getOperation()->emitWarning()
          << error << "; forms come from the cost model";
      return;
    }
    getOperation()->walk([&](seqc::seq::FormOpInterface op) {
      if (op.getFormAttr())
        return;
      std::string lookupError;
      std::optional<TuningRecord> best =
          db->best(workloadKeyOf(op, *hw), lookupError);
      if (!lookupError.empty()) {
        op->emitWarning() << "tuning database '" << database
                          << "': " << lookupError
                          << "; the form comes from the cost model";
        return;
      }
      if (!best)
        return;
      std::optional<TileConfig> config = fromRecord(*best);
      if (!config)
        return;
      // A record holds what was tuned; the prefix form's workers (how many
      // cores share one sequence) follow from the machine and the shape,
      // and come from the model's configuration of the same form.
      if (config->kind == seqc::seq::FormKind::prefix && !config->workers)
        for (const TileConfig &c : chooseForm(op, *hw).best)
          if (c.kind == config->kind)
            config->workers = c.workers;
      op->setAttr("form", config->toAttr(op->getContext()));
      seqc::seq::TunedMarker::set(op);
    });
  }
};

} // namespace
