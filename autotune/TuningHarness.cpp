//===- TuningHarness.cpp - measuring candidates in child processes --------===//
#include "autotune/TuningHarness.h"

#include "autotune/WorkloadKey.h"
#include "seqc/Pipelines/CpuPipeline.h"
#include "seqc/Target/CPU/CpuExecutable.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;

namespace seqc::autotune {
namespace {

void send(int fd, const std::string &line) {
  std::string text = line + "\n";
  (void)!write(fd, text.data(), text.size());
}

[[noreturn]] void childMain(const DialectRegistry &registry,
                            const std::string &moduleText,
                            const std::vector<HostTensor> &inputs,
                            const std::vector<HostTensor> &outputTemplates,
                            const std::vector<ref::Tensor> &expected,
                            unsigned timedRuns, int toParent,
                            int fromParent) {
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  std::string diagnostics;
  ScopedDiagnosticHandler capture(&context, [&](Diagnostic &d) {
    if (d.getSeverity() == DiagnosticSeverity::Error)
      diagnostics += d.str() + "; ";
    return success();
  });
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(moduleText, &context);
  PassManager pm(&context);
  if (!module || failed(buildCpuPipeline(pm)) || failed(pm.run(*module))) {
    send(toParent, "E " + diagnostics);
    _exit(0);
  }
  auto executable = CpuExecutable::create(*module);
  if (!executable) {
    send(toParent, "E JIT: " + llvm::toString(executable.takeError()));
    _exit(0);
  }
  std::vector<HostTensor> in = inputs, outputs = outputTemplates;
  // Poisoned (NaN): an output the candidate does not write fails the check.
  for (HostTensor &t : outputs)
    std::fill(t.bytes.begin(), t.bytes.end(), 0xff);
  std::vector<MemRefArgument> arguments;
  for (HostTensor &t : in)
    arguments.push_back({t.data(), t.shape});
  for (HostTensor &t : outputs)
    arguments.push_back({t.data(), t.shape});
  auto call = (*executable)->prepare("tuned_op", arguments);
  if (!call) {
    send(toParent, "E " + llvm::toString(call.takeError()));
    _exit(0);
  }
  send(toParent, "R");
  char go;
  if (read(fromParent, &go, 1) != 1)
    _exit(0);
  if (!call->run()) {
    send(toParent, "E out of memory: an allocation of " +
                       std::to_string(call->failedAllocationBytes()) +
                       " bytes failed");
    _exit(0);
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    Comparison c = compareToReference(outputs[i], expected[i].data);
    if (!c.pass()) {
      send(toParent,
           llvm::formatv("M output #{0}: max rel err {1:e} (rtol {2:e}), {3} "
                         "NaN/Inf",
                         i, c.maxRel, c.rtol, c.nonFinite)
               .str());
      _exit(0);
    }
  }
  (void)call->run(); // warm-up beyond the checked run (it ran once)
  std::vector<double> times;
  for (unsigned i = 0; i < std::max(1u, unsigned(timedRuns)); ++i) {
    auto start = Clock::now();
    (void)call->run();
    times.push_back(secondsSince(start));
  }
  std::sort(times.begin(), times.end());
  send(toParent, llvm::formatv("T {0:e} {1:e} {2}", times[times.size() / 2],
                               times.back() - times.front(), times.size())
                     .str());
  _exit(0);
}

/// Reads one line from the child within `seconds`; nullopt on timeout,
/// "" on EOF.
std::optional<std::string> readLine(Child &child, double seconds) {
  auto start = Clock::now();
  while (true) {
    size_t newline = child.buffered.find('\n');
    if (newline != std::string::npos) {
      std::string line = child.buffered.substr(0, newline);
      child.buffered.erase(0, newline + 1);
      return line;
    }
    double left = seconds - secondsSince(start);
    if (left <= 0)
      return std::nullopt;
    pollfd p{child.fromChild, POLLIN, 0};
    int ready = poll(&p, 1, int(left * 1000) + 1);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      continue;
    // A result that arrives after the deadline is a timeout too.
    if (secondsSince(start) > seconds)
      return std::nullopt;
    char buffer[512];
    ssize_t n = read(child.fromChild, buffer, sizeof buffer);
    if (n <= 0)
      return std::string();
    child.buffered.append(buffer, n);
  }
}

/// Reaps the child; describes how it ended when it did not exit cleanly.
std::string reap(Child &child, bool kill) {
  if (kill)
    ::kill(child.pid, SIGKILL);
  int status = 0;
  waitpid(child.pid, &status, 0);
  close(child.fromChild);
  close(child.toChild);
  if (WIFSIGNALED(status))
    return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "";
}

std::string printed(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

} // namespace

/// A child compiling `moduleText` and measuring it on `work`'s inputs
/// against its reference outputs.
Child spawn(const DialectRegistry &registry, const std::string &moduleText,
            const OpWork &work, unsigned timedRuns) {
  int up[2], down[2];
  Child child;
  if (pipe(up) || pipe(down))
    return child;
  llvm::outs().flush();
  llvm::errs().flush();
  pid_t pid = fork();
  if (pid == 0) {
    close(up[0]);
    close(down[1]);
    childMain(registry, moduleText, work.inputs, work.outputs, work.expected, timedRuns,
              up[1], down[0]);
  }
  close(up[1]);
  close(down[0]);
  child.pid = pid;
  child.fromChild = up[0];
  child.toChild = down[1];
  return child;
}

/// Waits until the child has compiled its candidate. Returns the failure
/// (and reaps the child) when it could not.
std::optional<Measurement> waitUntilReady(Child &child) {
  Measurement m;
  if (child.pid < 0) {
    m.status = RecordStatus::crash;
    m.detail = "fork failed";
    return m;
  }
  // Compilation has its own, generous limit: it ran in parallel.
  std::optional<std::string> ready = readLine(child, 600);
  if (ready && !ready->empty() && (*ready)[0] == 'R')
    return std::nullopt;
  std::string how = reap(child, /*kill=*/!ready);
  m.status = ready && !ready->empty() && (*ready)[0] == 'E'
                 ? RecordStatus::compileError
                 : RecordStatus::crash;
  m.detail = ready && ready->size() > 2 ? ready->substr(2) : how;
  return m;
}

/// Lets a ready child check and time its candidate; collects the result.
Measurement measureReady(Child &child, double candidateTimeout) {
  Measurement m;
  (void)!write(child.toChild, "g", 1);
  std::optional<std::string> result = readLine(child, candidateTimeout);
  if (!result) {
    reap(child, /*kill=*/true);
    m.status = RecordStatus::timeout;
    m.detail = llvm::formatv("no result within {0} s", double(candidateTimeout));
    return m;
  }
  std::string how = reap(child, /*kill=*/false);
  if (result->empty()) {
    m.status = RecordStatus::crash;
    m.detail = how.empty() ? "ended without a result" : how;
  } else if ((*result)[0] == 'M') {
    m.status = RecordStatus::mismatch;
    m.detail = result->substr(2);
  } else {
    std::sscanf(result->c_str(), "T %lf %lf %d", &m.median, &m.spread,
                &m.repeats);
  }
  return m;
}

Measurement measure(Child &child, double candidateTimeout) {
  if (std::optional<Measurement> failed = waitUntilReady(child))
    return *failed;
  return measureReady(child, candidateTimeout);
}

llvm::Error tuneOnHost(
    std::vector<OpWork> &ops, const HardwareModel &hw,
    const DialectRegistry &registry, const HostTuningOptions &options,
    TuningDatabase &db, std::vector<OpReport> &reports, bool &budgetHit,
    llvm::function_ref<void(size_t more)> grow,
    llvm::function_ref<void(const std::string &, const Measurement &)>
        progress) {
  auto start = Clock::now();
  unsigned parallel = std::max(1u, options.jobs);
  for (OpWork &work : ops) {
    OpReport &report = reports.emplace_back();
    report.op = work.op;
    report.skipped = work.skipped;
    if (!work.skipped.empty())
      continue;
    for (TileConfig &c :
         topConfigurations(work.op, hw, options.topK, &report.solveMs))
      report.candidates.push_back({c, {}, false});
    grow(report.candidates.size());
    auto textOf = [&](const TileConfig &c) {
      work.inner()->setAttr("form", c.toAttr(work.inner()->getContext()));
      return printed(*work.module);
    };
    std::string baselineText = textOf(report.candidates.front().config);
    std::string opName = work.op->getName().getStringRef().str();
    for (size_t first = 0; first < report.candidates.size();
         first += parallel) {
      if (secondsSince(start) > options.budgetSeconds) {
        budgetHit = true;
        break;
      }
      size_t last = std::min(report.candidates.size(), first + parallel);
      std::vector<Child> children;
      for (size_t i = first; i < last; ++i)
        children.push_back(spawn(registry, textOf(report.candidates[i].config),
                                 work, options.timedRuns));
      // Every child of the batch compiles before any is timed: a timing
      // must not share the cores with a compilation (with OpenMP code it
      // ran 2x slow next to one).
      std::vector<std::optional<Measurement>> notReady;
      for (Child &child : children)
        notReady.push_back(waitUntilReady(child));
      for (size_t i = first; i < last; ++i) {
        Candidate &c = report.candidates[i];
        c.measured = notReady[i - first]
                         ? *notReady[i - first]
                         : measureReady(children[i - first],
                                        options.candidateTimeout);
        c.tried = true;
        progress(opName + " " + c.config.str(), c.measured);
      }
      // The baseline again: the spread of its times is the machine's drift.
      Child again = spawn(registry, baselineText, work, options.timedRuns);
      Measurement m = measure(again, options.candidateTimeout);
      if (m.status == RecordStatus::ok)
        report.baseline.push_back(m.median);
    }
    std::vector<TuningRecord> records = recordsOf(report);
    std::string error;
    if (!records.empty() &&
        !db.addRecords(workloadKeyOf(work.op, hw), records, error))
      return llvm::createStringError(error);
    if (budgetHit)
      break;
  }
  return llvm::Error::success();
}

} // namespace seqc::autotune
