//===- Tune.h - pieces of seqc tune shared by its CPU and GPU paths -*- C++ -*-===//
#ifndef SEQC_TOOLS_SEQC_TUNE_H
#define SEQC_TOOLS_SEQC_TUNE_H

#include "Driver.h"

#include "autotune/TilingProblem.h"
#include "autotune/WorkloadKey.h"

namespace seqc::driver {

/// A measured candidate (or the kind of its failure).
struct Measurement {
  autotune::RecordStatus status = autotune::RecordStatus::ok;
  double median = 0, spread = 0;
  int repeats = 0;
  std::string detail;
};

struct Candidate {
  autotune::TileConfig config;
  Measurement measured;
  bool tried = false;
};

/// One op to tune: itself as a function of its operands, the values those
/// operands take inside the program, and the reference outputs.
struct OpWork {
  mlir::Operation *op = nullptr; // in the expanded program
  Program standalone;             // @tuned_op
  std::vector<HostTensor> inputs, outputs; // outputs: shapes and types
  std::vector<ref::Tensor> expected;
  std::string skipped; // why it cannot be tuned, if so
  /// The op inside `standalone`, whose form each candidate sets.
  mlir::Operation *inner() const;
};

/// The program expanded, and every seq op without a form made ready to
/// tune. Returns non-zero after printing an error.
int prepareTuning(mlir::MLIRContext &context, Program &program,
                  std::vector<OpWork> &ops);

/// What was measured for one op, for the final table.
struct OpReport {
  mlir::Operation *op = nullptr;
  std::vector<Candidate> candidates; // [0] is the cost model's pick
  std::vector<double> baseline;      // the pick re-measured
  double solveMs = 0;
  std::string skipped;
};

/// The final table per op: rank, candidate, predicted, measured, spread,
/// status; the model's pick against the measured best.
void printReports(const std::vector<OpReport> &reports, unsigned topK);

/// The database records of an op's tried candidates.
std::vector<autotune::TuningRecord> recordsOf(const OpReport &report);

/// GPU targets (TuneGpu.cpp): write every candidate of every op as a
/// bundle under `directory` with candidates.json; read seqc-gpu-check's
/// CSV for them back into the database.
int emitGpuCandidates(std::vector<OpWork> &ops,
                      const autotune::HardwareModel &target,
                      const std::string &directory, unsigned topK,
                      bool checkVectors);
int importGpuMeasurements(std::vector<OpWork> &ops,
                          const autotune::HardwareModel &target,
                          const std::string &directory,
                          const std::string &csv, autotune::TuningDatabase &db,
                          unsigned topK);

} // namespace seqc::driver

#endif // SEQC_TOOLS_SEQC_TUNE_H
