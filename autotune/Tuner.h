//===- Tuner.h - ops extracted for tuning, and what was measured -*- C++ -*-===//
//
// `seqc tune` tunes each seq op on its own: the op is extracted into a
// function of its operands (@tuned_op), so that a record measures exactly
// the workload its key names and equal layers share it. Each op is measured
// on the values it sees inside the program, with the reference
// interpreter's outputs to check every candidate against.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_TUNER_H
#define SEQC_AUTOTUNE_TUNER_H

#include "autotune/TilingProblem.h"
#include "autotune/TuningDatabase.h"
#include "seqc/Reference/Reference.h"
#include "seqc/Support/HostTensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace seqc::autotune {

/// A measured candidate (or the kind of its failure).
struct Measurement {
  RecordStatus status = RecordStatus::ok;
  double median = 0, spread = 0;
  int repeats = 0;
  std::string detail;
};

struct Candidate {
  TileConfig config;
  Measurement measured;
  bool tried = false;
};

/// One op to tune: itself as a function of its operands, the values those
/// operands take inside the program, and the reference outputs.
struct OpWork {
  mlir::Operation *op = nullptr; // in the expanded program
  mlir::OwningOpRef<mlir::ModuleOp> module; // holds @tuned_op
  mlir::func::FuncOp function;              // @tuned_op
  std::vector<HostTensor> inputs, outputs;  // outputs: shapes and types
  std::vector<ref::Tensor> expected;
  std::string skipped; // why it cannot be tuned, if so
  /// The op inside @tuned_op, whose form each candidate sets.
  mlir::Operation *inner() const;
};

/// Every seq op of `program` (expanded: the seq level) without a form, made
/// ready to tune. `programInputs` are the inputs of `function` (made from
/// the program before expansion, when argument roles are visible); each
/// op's inputs are the values the reference interpreter gives its operands
/// on them, so that a recurrence's states and weights have the magnitudes
/// the model gives them (an sLSTM normalizer is positive, a weight scaled
/// by its fan-in). Without them (nullptr), inputs are generated for each
/// op by role with `seed`.
std::vector<OpWork> extractTunableOps(mlir::func::FuncOp function,
                                      const std::vector<HostTensor> *programInputs,
                                      uint64_t seed);

/// What was measured for one op.
struct OpReport {
  mlir::Operation *op = nullptr;
  std::vector<Candidate> candidates; // [0] is the cost model's pick
  std::vector<double> baseline;      // the pick re-measured
  double solveMs = 0;
  std::string skipped;
};

/// The database records of an op's tried candidates.
std::vector<TuningRecord> recordsOf(const OpReport &report);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_TUNER_H
