//===- TuneHarness.h - the tuner's measuring child processes -*- C++ -*-===//
//
// Each candidate is compiled, checked and timed in a child process of its
// own (fork), so that a candidate that crashes or hangs costs its own
// measurement, not the tuning run. The child compiles and reports "R"
// (ready), waits for the parent's go, checks its outputs against the
// reference, times `timedRuns` runs and reports "T median spread n" (or
// "E ..." for a compile error, "M ..." for a mismatch).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_TOOLS_SEQC_TUNEHARNESS_H
#define SEQC_TOOLS_SEQC_TUNEHARNESS_H

#include "Tune.h"

#include <chrono>
#include <sys/types.h>

namespace seqc::driver {

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

/// Reaps the child; describes how it ended when it did not exit cleanly.
std::string reap(Child &child, bool kill);

/// A child compiling `moduleText` and measuring it on `work`'s inputs
/// against its reference outputs, `timedRuns` timed runs.
Child spawn(const std::string &moduleText, const OpWork &work,
            unsigned timedRuns);

/// Waits until the child has compiled its candidate. Returns the failure
/// (and reaps the child) when it could not.
std::optional<Measurement> waitUntilReady(Child &child);

/// Lets a ready child check and time its candidate within
/// `candidateTimeout` seconds; collects the result.
Measurement measureReady(Child &child, double candidateTimeout);

/// waitUntilReady, then measureReady.
Measurement measure(Child &child, double candidateTimeout);

} // namespace seqc::driver

#endif // SEQC_TOOLS_SEQC_TUNEHARNESS_H
