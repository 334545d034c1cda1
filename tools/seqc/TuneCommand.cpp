//===- TuneCommand.cpp - seqc tune ----------------------------------------===//
//
//   seqc tune FILE --target=cpu --db tune.db [--top-k N] [--budget SECONDS]
//
// Each seq op (after expanding the layers) is tuned on its own: it is
// extracted into a function of its operands, so that a record measures
// exactly the workload its key names and equal layers share it. Z3
// proposes the op's k best configurations over all forms; each is
// compiled in a child process (up to --jobs at once), then, one child at a
// time, checked against the reference interpreter on seeded inputs and
// timed (warm-up, repeats, median and spread). A child that crashes or
// runs past --candidate-timeout is killed and recorded as such; the
// tuner goes on. The cost model's pick (the baseline) is re-measured
// after every batch, so drift of the machine shows in the report. Each
// op's records are written to the database in one transaction.
// The extraction and the harness are autotune's (Tuner.h,
// TuningHarness.h, GpuCandidates.h); this file holds the options, the
// order of the steps and the report.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "autotune/GpuCandidates.h"
#include "autotune/TuningHarness.h"
#include "autotune/WorkloadKey.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <dlfcn.h>
#include <unistd.h>

using namespace mlir;
using namespace seqc;
using namespace seqc::autotune;
namespace cl = llvm::cl;

static cl::opt<unsigned> topK("top-k", cl::init(8),
                              cl::desc("Configurations per op that Z3 "
                                       "proposes and the tuner measures"),
                              cl::sub(driver::tuneCommand));
static cl::opt<double> budgetSeconds(
    "budget", cl::init(120),
    cl::desc("Stop starting new candidates after this many seconds"),
    cl::sub(driver::tuneCommand));
static cl::opt<unsigned> timedRuns("repeats", cl::init(7),
                                   cl::desc("Timed runs per candidate"),
                                   cl::sub(driver::tuneCommand));
static cl::opt<double> candidateTimeout(
    "candidate-timeout", cl::init(30),
    cl::desc("Seconds a candidate may take to check and time before it is "
             "killed"),
    cl::sub(driver::tuneCommand));
static cl::opt<unsigned> jobs("jobs", cl::init(0),
                              cl::desc("Candidates compiled at once "
                                       "(default: the host's cores)"),
                              cl::sub(driver::tuneCommand));
static cl::opt<std::string> emitCandidates(
    "emit-candidates",
    cl::desc("GPU targets: write each candidate as a bundle under DIR (with "
             "candidates.json) to be measured on a GPU machine by "
             "`seqc-gpu-check DIR/* --csv DIR/measurements.csv`"),
    cl::value_desc("DIR"), cl::sub(driver::tuneCommand));
static cl::opt<bool> emitCheckVectors(
    "emit-check-vectors", cl::init(true),
    cl::desc("With --emit-candidates: carry the op's inputs and reference "
             "outputs (false: seqc-gpu-check --synthetic checks the "
             "candidates against each other, for sizes too large to carry)"),
    cl::sub(driver::tuneCommand));
static cl::opt<std::string> importMeasurements(
    "import",
    cl::desc("GPU targets: record the measurements of the candidates in DIR "
             "(DIR/measurements.csv from seqc-gpu-check) in the database"),
    cl::value_desc("DIR"), cl::sub(driver::tuneCommand));

namespace seqc::driver {
namespace {

/// Progress: a bar that redraws itself on a terminal, plain lines elsewhere.
class Progress {
public:
  explicit Progress(size_t total) : total(total) {}
  void step(const std::string &what, const Measurement &m) {
    ++done;
    std::string result =
        m.status == RecordStatus::ok
            ? llvm::formatv("{0:F3} ms", m.median * 1e3).str()
            : recordStatusName(m.status);
    if (isatty(STDOUT_FILENO)) {
      size_t width = 30, filled = total ? width * done / total : width;
      llvm::outs() << "\r\x1b[K[" << std::string(filled, '#')
                   << std::string(width - filled, ' ') << "] " << done << "/"
                   << total << " " << what << ": " << result;
      if (done == total)
        llvm::outs() << "\n";
    } else {
      llvm::outs() << "seqc tune: [" << done << "/" << total << "] " << what
                   << ": " << result << "\n";
    }
    llvm::outs().flush();
  }
  void grow(size_t more) { total += more; }

private:
  size_t total, done = 0;
};

/// The program expanded, and every seq op without a form made ready to
/// tune. Returns non-zero after printing an error.
int prepareTuning(MLIRContext &context, Program &program,
                  std::vector<OpWork> &ops) {
  if (int rc = loadProgram(context, inputFile, functionName, program))
    return rc;
  // Inputs by role need the layers (a weight is a weight of seqnn.lstm).
  std::vector<HostTensor> programInputs;
  bool programRuns = checkStaticSignature(program, /*withReference=*/true) == 0 &&
                     makeInputs(program, {}, seed, programInputs) == 0;
  if (int rc = expandLayers(program))
    return rc;
  ops = extractTunableOps(program.function,
                          programRuns ? &programInputs : nullptr, seed);
  return 0;
}

/// The final table per op: rank, candidate, predicted, measured, spread,
/// status; the model's pick against the measured best.
void printReports(const std::vector<OpReport> &reports, unsigned k) {
  for (const OpReport &report : reports) {
    std::string location;
    llvm::raw_string_ostream ls(location);
    report.op->getLoc().print(ls);
    llvm::outs() << "\n" << report.op->getName() << " at " << location << " ("
                 << shapeBucketOf(report.op) << ")\n";
    if (!report.skipped.empty()) {
      llvm::outs() << "  not tuned: " << report.skipped << "\n";
      continue;
    }
    auto ok = [](const Candidate &c) {
      return c.tried && c.measured.status == RecordStatus::ok;
    };
    std::vector<size_t> order;
    for (size_t i = 0; i < report.candidates.size(); ++i)
      if (ok(report.candidates[i]))
        order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return report.candidates[a].measured.median <
             report.candidates[b].measured.median;
    });
    llvm::outs() << llvm::format("  %-4s %-44s %12s %12s %9s  %s\n", "rank",
                                 "candidate", "predicted", "measured",
                                 "spread", "status");
    for (size_t i = 0; i < report.candidates.size(); ++i) {
      const Candidate &c = report.candidates[i];
      auto rank = std::find(order.begin(), order.end(), i);
      std::string rankText =
          rank == order.end() ? "-" : std::to_string(rank - order.begin() + 1);
      std::string measured =
          ok(c) ? llvm::formatv("{0:F3} ms", c.measured.median * 1e3).str()
                : "-";
      std::string spread =
          ok(c) ? llvm::formatv("{0:F1}%",
                                100 * c.measured.spread / c.measured.median)
                      .str()
                : "";
      std::string status = !c.tried ? "not run (budget)"
                                    : recordStatusName(c.measured.status);
      if (c.tried && !c.measured.detail.empty())
        status += ": " + c.measured.detail.substr(0, 100);
      llvm::outs() << llvm::format(
          "  %-4s %-44s %9.3f ms %12s %9s  %s%s\n", rankText.c_str(),
          c.config.str().c_str(), c.config.cost.seconds * 1e3,
          measured.c_str(), spread.c_str(), status.c_str(),
          i == 0 ? "  (cost model's pick)" : "");
    }
    if (!order.empty() && ok(report.candidates.front())) {
      const Candidate &best = report.candidates[order.front()];
      double ratio =
          report.candidates.front().measured.median / best.measured.median;
      llvm::outs() << llvm::format(
          "  best: %s; the cost model's pick takes %.2fx its time\n",
          best.config.str().c_str(), ratio);
      llvm::outs() << llvm::format(
          "  summary: %s model/best %.3f\n",
          report.op->getName().getStringRef().str().c_str(), ratio);
    }
    if (report.baseline.size() > 1) {
      auto [lo, hi] = std::minmax_element(report.baseline.begin(),
                                          report.baseline.end());
      llvm::outs() << llvm::format(
          "  baseline re-measured %zu times: drift %.1f%%\n",
          report.baseline.size(), 100 * (*hi - *lo) / *lo);
    }
    if (report.solveMs > 0)
      llvm::outs() << llvm::format("  Z3: %.1f ms for the top %u\n",
                                   report.solveMs, k);
  }
}

} // namespace

int tuneMain(MLIRContext &context) {
  std::string error;
  std::optional<HardwareModel> hw = lookupTarget(targetName, error);
  if (!hw)
    return fail(error);
  if (!hw->isGpu && (!emitCandidates.empty() || !importMeasurements.empty()))
    return fail("--emit-candidates and --import are for GPU targets; on the "
                "CPU seqc tune measures in place");
  bool emitOnly = !emitCandidates.empty();
  if (tuningDatabase.empty() && !emitOnly)
    return fail("seqc tune needs a database to write: --db FILE");
  // Children are forked: no MLIR worker threads may hold locks then.
  context.disableMultithreading();
  Program program;
  std::vector<OpWork> ops;
  if (int rc = prepareTuning(context, program, ops))
    return rc;

  if (emitOnly) {
    if (llvm::Error err =
            emitGpuCandidates(ops, *hw, inputFile, emitCandidates, topK,
                              emitCheckVectors, seed, llvm::outs()))
      return fail(llvm::toString(std::move(err)));
    return 0;
  }

  std::string measurements;
  if (hw->isGpu && importMeasurements.empty()) {
    // Measuring needs the device; without one the model's choice stands.
    void *driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!driver) {
      llvm::outs() << "seqc tune: cannot measure on " << hw->name
                   << ": no CUDA driver (libcuda.so.1 could not be loaded); "
                      "keeping the cost model's choice:\n";
      for (const OpWork &work : ops)
        if (std::optional<TileConfig> pick =
                chooseForm(work.op, *hw).cheapest())
          llvm::outs() << "  " << work.op->getName() << ": " << pick->str()
                       << "\n";
      llvm::outs() << "seqc tune: nothing written to " << tuningDatabase
                   << " (to measure elsewhere: --emit-candidates DIR here, "
                      "seqc-gpu-check DIR/* --csv DIR/measurements.csv on "
                      "the GPU machine, then --import DIR)\n";
      return 0;
    }
  }

  std::unique_ptr<TuningDatabase> db =
      TuningDatabase::open(tuningDatabase, /*create=*/true, error);
  if (!db)
    return fail(error + "; nothing was tuned (move the file away to start "
                        "a new database)");
  auto start = Clock::now();
  if (hw->isGpu) {
    std::string directory = importMeasurements;
    if (directory.empty()) {
      // A device here: emit, measure with seqc-gpu-check, import.
      llvm::SmallString<128> temp;
      if (std::error_code ec =
              llvm::sys::fs::createUniqueDirectory("seqc-tune", temp))
        return fail("cannot create a temporary directory: " + ec.message());
      directory = temp.str().str();
      if (llvm::Error err = emitGpuCandidates(ops, *hw, inputFile, directory,
                                              topK, true, seed, llvm::outs()))
        return fail(llvm::toString(std::move(err)));
      std::string self = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
      std::string checker =
          (llvm::sys::path::parent_path(self) + "/seqc-gpu-check").str();
      std::vector<std::string> argv = {checker};
      std::error_code ec;
      for (llvm::sys::fs::directory_iterator it(directory, ec), end;
           it != end && !ec; it.increment(ec))
        if (llvm::sys::fs::is_directory(it->path()))
          argv.push_back(it->path());
      argv.push_back("--csv");
      argv.push_back(directory + "/measurements.csv");
      std::vector<llvm::StringRef> args(argv.begin(), argv.end());
      int rc = llvm::sys::ExecuteAndWait(checker, args);
      if (rc == 2 || rc < 0)
        return fail("seqc-gpu-check could not run the candidates (exit " +
                    std::to_string(rc) + ")");
    }
    std::string csv = directory + "/measurements.csv";
    std::vector<OpReport> reports;
    auto recorded = importGpuMeasurements(ops, *hw, inputFile, directory, csv,
                                          *db, reports);
    if (!recorded)
      return fail(llvm::toString(recorded.takeError()));
    printReports(reports, topK);
    std::string countError;
    llvm::outs() << "\nseqc tune: recorded " << *recorded
                 << " measurements from " << csv << "; " << db->path()
                 << " holds " << db->countRecords(countError) << " records\n";
    return 0;
  }

  HostTuningOptions options;
  options.topK = topK;
  options.jobs = jobs ? unsigned(jobs) : unsigned(std::max(1, hw->cores));
  options.timedRuns = timedRuns;
  options.budgetSeconds = budgetSeconds;
  options.candidateTimeout = candidateTimeout;
  llvm::outs() << "seqc tune: " << ops.size() << " op(s) on " << hw->name
               << ", top " << topK << " configurations each, " << options.jobs
               << " compiling at once, budget "
               << llvm::format("%.0f", double(budgetSeconds)) << " s\n";
  DialectRegistry registry;
  registerEverything(registry);
  Progress progress(0);
  std::vector<OpReport> reports;
  bool budgetHit = false;
  if (llvm::Error err = tuneOnHost(
          ops, *hw, registry, options, *db, reports, budgetHit,
          [&](size_t more) { progress.grow(more); },
          [&](const std::string &what, const Measurement &m) {
            progress.step(what, m);
          }))
    return fail(llvm::toString(std::move(err)));
  printReports(reports, topK);
  std::string countError;
  llvm::outs() << llvm::format("\nseqc tune: done in %.1f s%s; ",
                               secondsSince(start),
                               budgetHit ? " (budget reached: some "
                                           "candidates were not run)"
                                         : "")
               << tuningDatabase << " holds " << db->countRecords(countError)
               << " records\n";
  return 0;
}

} // namespace seqc::driver
