//===- ExplainCommand.cpp - seqc explain ----------------------------------===//
//
// Per seq op (after expanding the layers): every valid form with the best
// tiles Z3 finds for it, its predicted cost and terms, the one chosen, the
// Z3 solve time, and where the form comes from (the IR, the tuning
// database or the cost model). --dump-constraints prints each tiling
// problem as SMT-LIB.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "autotune/TilingProblem.h"
#include "autotune/WorkloadKey.h"
#include "dialects/SeqNN/Transforms/Passes.h"
#include "seqc/Differentiation/CheckpointPlan.h"
#include "seqc/Differentiation/Differentiate.h"
#include "seqc/Pipelines/CpuPipeline.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;
namespace cl = llvm::cl;

static cl::opt<bool> explainGradients(
    "grad",
    cl::desc("Explain the gradient functions instead (seq-differentiate): "
             "the forms of @f_fwd's and @f_bwd's ops and the residuals the "
             "forward keeps for the backward, with their bytes"),
    cl::sub(driver::explainCommand));

static cl::opt<bool> dumpConstraints(
    "dump-constraints",
    cl::desc("Print every tiling problem as SMT-LIB (declarations, named "
             "constraints, the cost table, the objective)"),
    cl::sub(driver::explainCommand));

namespace seqc::driver {

int expandLayers(ModuleOp module) {
  PassManager pm(module.getContext());
  pm.addPass(seqnn::createSeqNNExpand());
  addCleanupPasses(pm);
  if (failed(pm.run(module)))
    return fail("expanding the layers failed (see the diagnostics above)");
  return 0;
}

int expandLayers(Program &program) { return expandLayers(*program.module); }

namespace {

/// With --grad: replaces the program's function by its forward and backward
/// functions and returns the residual table to print last.
int differentiateForExplain(Program &program, std::string &table) {
  std::string name = program.function.getSymName().str();
  ad::DifferentiationOptions options;
  if (!gradientOptions(options))
    return 1;
  ad::CheckpointPlan plan;
  auto gradients =
      ad::differentiateFunction(program.function, options, &plan);
  if (failed(gradients))
    return fail("cannot differentiate @" + name +
                " (see the diagnostics above)");
  func::FuncOp fwd = gradients->forward;
  llvm::raw_string_ostream os(table);
  Block &body = fwd.getBody().front();
  auto results = body.getTerminator()->getOperands();
  unsigned numOutputs = results.size() - gradients->numResiduals;
  int64_t total = 0;
  os << "\nresiduals @" << fwd.getSymName() << " keeps for @"
     << gradients->backward.getSymName() << " ("
     << gradients->numResiduals << "):\n";
  for (Value residual : results.drop_front(numOutputs)) {
    auto type = cast<RankedTensorType>(residual.getType());
    Type element = type.getElementType();
    int64_t elementBytes =
        isa<ComplexType>(element)
            ? 2 * cast<ComplexType>(element).getElementType().getIntOrFloatBitWidth() / 8
            : element.getIntOrFloatBitWidth() / 8;
    int64_t bytes = type.getNumElements() * elementBytes;
    total += bytes;
    std::string typeText, location;
    llvm::raw_string_ostream ts(typeText), ls(location);
    type.print(ts);
    Operation *def = residual.getDefiningOp();
    def->getLoc().print(ls);
    os << llvm::format("  %-30s %12lld bytes  from %s at %s\n",
                       typeText.c_str(), (long long)bytes,
                       def->getName().getStringRef().str().c_str(),
                       location.c_str());
  }
  if (options.memoryBudget > 0)
    os << llvm::format("  total %lld bytes (the checkpoint plan below)\n",
                       (long long)total)
       << ad::describeCheckpointPlan(plan);
  else if (gradCheckpoint > 1)
    os << llvm::format("  total %lld bytes (recurrences keep the state "
                       "before every %lld-th step where that divides T)\n",
                       (long long)total, (long long)gradCheckpoint);
  else
    os << llvm::format("  total %lld bytes (every step's state kept; "
                       "--grad-checkpoint=K keeps every K-th)\n",
                       (long long)total);
  program.function.erase();
  return 0;
}

std::string kib(int64_t bytes) {
  return bytes >= (1 << 20) ? std::to_string(bytes >> 20) + " MiB"
                            : std::to_string(bytes >> 10) + " KiB";
}

void printTarget(const HardwareModel &hw) {
  llvm::outs() << "seqc explain: target " << hw.name << " ("
               << llvm::format("%.0f", hw.bandwidth / 1e9) << " GB/s, "
               << llvm::format("%.0f", hw.peakFlops / 1e9)
               << " GFLOP/s peak; ";
  if (hw.isGpu)
    llvm::outs() << hw.sms << " SMs, " << hw.registersPerSM
                 << " registers/SM, " << kib(hw.sharedPerBlock)
                 << " shared/block)\n";
  else
    llvm::outs() << hw.cores << " cores, " << hw.vectorBytes
                 << "-byte vectors, L1 " << kib(hw.l1Bytes) << ", L2 "
                 << kib(hw.l2Bytes) << ", L3 " << kib(hw.l3Bytes) << " from "
                 << hw.cacheSource << ")\n";
}

std::string tilesOf(const TileConfig &c) {
  std::string s = c.str();
  size_t space = s.find(' ');
  return space == std::string::npos ? "-" : s.substr(space + 1);
}

} // namespace

int explainMain(MLIRContext &context) {
  std::string error;
  std::optional<HardwareModel> hw = lookupTarget(targetName, error);
  if (!hw)
    return fail(error);
  Program program;
  if (int rc = loadProgram(context, inputFile, functionName, program))
    return rc;
  if (int rc = expandLayers(program))
    return rc;
  std::string residualTable;
  if (explainGradients) {
    program.function = program.module->lookupSymbol<func::FuncOp>(
        program.function.getSymName());
    if (int rc = differentiateForExplain(program, residualTable))
      return rc;
  }
  std::unique_ptr<TuningDatabase> db;
  if (!tuningDatabase.empty()) {
    db = TuningDatabase::open(tuningDatabase, /*create=*/false, error);
    if (!db)
      llvm::errs() << "seqc: warning: " << error
                   << "; forms come from the cost model\n";
  }
  printTarget(*hw);
  double totalMs = 0;
  program.module->walk([&](seq::FormOpInterface op) {
    std::string location;
    llvm::raw_string_ostream ls(location);
    op->getLoc().print(ls);
    llvm::outs() << "\n" << op->getName() << " at " << location << "\n";
    if (seq::FormAttr form = op.getFormAttr()) {
      llvm::outs() << "  form set in the IR: " << form
                   << " (seq-select-form keeps it)\n";
      return;
    }
    FormChoice choice = chooseForm(op, *hw);
    totalMs += choice.solveMs;
    std::optional<TileConfig> best = choice.cheapest();
    std::optional<TileConfig> tuned;
    std::string tunedNote;
    if (db) {
      std::string lookupError;
      std::optional<TuningRecord> record =
          db->best(workloadKeyOf(op, *hw), lookupError);
      if (record && (tuned = fromRecord(*record)))
        tunedNote = llvm::formatv("{0} (measured {1:F3} ms at {2})",
                                  tuned->str(), record->medianSeconds * 1e3,
                                  record->shape)
                        .str();
    }
    llvm::outs() << llvm::format("  %-11s %-52s %10s %10s %8s %12s\n", "form",
                                 "tiles", "MB moved", "MFLOP", "steps",
                                 "predicted");
    for (const TileConfig &c : choice.best) {
      bool chosen = !tuned && best && best->sameTiles(c);
      std::string kind = seq::stringifyFormKind(c.kind).str();
      llvm::outs() << llvm::format(
          "  %-11s %-52s %10.2f %10.2f %8.0f %9.3f ms%s\n", kind.c_str(),
          tilesOf(c).c_str(), c.cost.bytes / 1e6, c.cost.flops / 1e6,
          c.cost.steps, c.cost.seconds * 1e3, chosen ? "  <- chosen" : "");
    }
    for (const auto &[kind, why] : choice.excluded)
      llvm::outs() << llvm::format("  %-11s (%s)\n",
                                   seq::stringifyFormKind(kind).str().c_str(),
                                   why.c_str());
    bool dynamicShapes = llvm::any_of(op->getOperandTypes(), [](Type t) {
      auto shaped = dyn_cast<ShapedType>(t);
      return shaped && !shaped.hasStaticShape();
    });
    if (dynamicShapes)
      llvm::outs() << "  dynamic sizes: costed at batch 1 and 1024 steps; "
                      "the form holds for every batch and length\n";
    if (tuned)
      llvm::outs() << "  form from the tuning database: " << tunedNote << "\n";
    else
      llvm::outs() << "  form from the cost model"
                   << (db ? " (no record in the tuning database)" : "")
                   << "\n";
    llvm::outs() << llvm::format("  Z3: %zu problem(s) solved in %.1f ms\n",
                                 choice.best.size() + choice.excluded.size(),
                                 choice.solveMs);
    if (!dumpConstraints)
      return;
    for (const FormModel &model : formModels(op, *hw).candidates) {
      TilingProblem problem(model);
      llvm::outs() << problem.toSmtLib();
    }
  });
  llvm::outs() << llvm::format("\nZ3 total: %.1f ms\n", totalMs);
  llvm::outs() << residualTable;
  return 0;
}

} // namespace seqc::driver
