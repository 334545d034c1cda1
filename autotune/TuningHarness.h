//===- TuningHarness.h - measuring candidates in child processes -*- C++ -*-===//
//
// Each candidate is compiled, checked and timed in a child process of its
// own (fork), so that a candidate that crashes or hangs costs its own
// measurement, not the tuning run. The child compiles and reports "R"
// (ready), waits for the parent's go, checks its outputs against the
// reference, times `timedRuns` runs and reports "T median spread n" (or
// "E ..." for a compile error, "M ..." for a mismatch).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_TUNINGHARNESS_H
#define SEQC_AUTOTUNE_TUNINGHARNESS_H

#include "autotune/Tuner.h"

#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <chrono>
#include <optional>
#include <sys/types.h>

namespace seqc::autotune {

using Clock = std::chrono::steady_clock;

inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A running child and the pipes to and from it.
struct Child {
  pid_t pid = -1;
  int fromChild = -1, toChild = -1;
  std::string buffered;
};

/// A child compiling `moduleText` (in a context of `registry`'s dialects)
/// for the host and measuring it on `work`'s inputs against its reference
/// outputs, `timedRuns` timed runs.
Child spawn(const mlir::DialectRegistry &registry,
            const std::string &moduleText, const OpWork &work,
            unsigned timedRuns);

/// Waits until the child has compiled its candidate. Returns the failure
/// (and reaps the child) when it could not.
std::optional<Measurement> waitUntilReady(Child &child);

/// Lets a ready child check and time its candidate within
/// `candidateTimeout` seconds; collects the result.
Measurement measureReady(Child &child, double candidateTimeout);

/// waitUntilReady, then measureReady.
Measurement measure(Child &child, double candidateTimeout);

struct HostTuningOptions {
  unsigned topK = 8;
  unsigned jobs = 1;          // candidates compiled at once
  unsigned timedRuns = 7;
  double budgetSeconds = 120; // no new candidates after this
  double candidateTimeout = 30;
};

/// Measures the `topK` configurations Z3 proposes for each op on this host,
/// `jobs` compiling at once, then timed one at a time (a timing must not
/// share the cores with a compilation), the cost model's pick re-measured
/// after every batch (the machine's drift); each op's records go to `db`
/// in one transaction. `progress` is told of every measured candidate.
/// Sets `budgetHit` when the budget stopped it early.
llvm::Error tuneOnHost(
    std::vector<OpWork> &ops, const HardwareModel &hw,
    const mlir::DialectRegistry &registry, const HostTuningOptions &options,
    TuningDatabase &db, std::vector<OpReport> &reports, bool &budgetHit,
    llvm::function_ref<void(size_t more)> grow,
    llvm::function_ref<void(const std::string &what, const Measurement &)>
        progress);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_TUNINGHARNESS_H
