//===- CheckpointPlan.h - checkpoint intervals under a memory budget -*- C++ -*-===//
//
// Which states the recurrences of a function keep for its backward, chosen
// for a memory budget: every step's (no recomputation), or the state before
// every K-th step (the backward recomputes each segment of K steps from its
// checkpoint, one extra forward pass of that recurrence). A Z3 problem, like
// the tiling ones: one variable per recurrence over its intervals (1 and the
// divisors of its length), the named constraint `memory_budget`
//
//   other residuals + sum_r kept_r(K_r) + max_r K_r S_r <= budget
//
// (kept_r = T_r S_r / K_r bytes of states outliving the forward; K_r S_r a
// segment's states, live while its backward runs), and the objective, in
// order: the least recomputation (each checkpointed recurrence costs its
// forward, from the cost model on the host CPU), then the least memory,
// then the fewest segments.
// The choice is written on each recurrence as seq.checkpoint_every.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_DIFFERENTIATION_CHECKPOINTPLAN_H
#define SEQC_DIFFERENTIATION_CHECKPOINTPLAN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace seqc::ad {

struct CheckpointChoice {
  mlir::Operation *recurrence;
  int64_t steps;
  int64_t stateBytes;  ///< every state of one step
  /// The recurrent products of one step the backward reads when every
  /// step's state is kept (seq.kept_products); checkpointed segments
  /// recompute them.
  int64_t productBytes = 0;
  int64_t every;       ///< K: 1 keeps every step's state
  int64_t keptBytes;   ///< states outliving the forward
  double recomputeSeconds; ///< the recurrence's forward (cost model)
};

struct CheckpointPlan {
  int64_t budgetBytes = 0;
  int64_t otherResidualBytes = 0; ///< residuals that are not recurrence states
  int64_t residualBytes = 0;      ///< all residuals under the plan
  int64_t peakBytes = 0;          ///< plus the largest segment's states
  std::vector<CheckpointChoice> choices;
  double solveMs = 0;
};

/// Chooses checkpoint intervals for `function`'s recurrences under
/// `budgetBytes` and writes them on the recurrences (seq.checkpoint_every).
/// The residuals other than recurrence states are measured by
/// differentiating a copy. An infeasible budget is an error on the function
/// naming the constraint and the least memory any plan needs.
llvm::FailureOr<CheckpointPlan> planCheckpoints(mlir::func::FuncOp function,
                                                int64_t budgetBytes);

/// The plan as a table for `seqc explain --grad`.
std::string describeCheckpointPlan(const CheckpointPlan &plan);

/// Bytes of the residuals `forward` returns after its first `numOutputs`
/// results.
int64_t residualBytes(mlir::func::FuncOp forward, unsigned numResiduals);

} // namespace seqc::ad

#endif // SEQC_DIFFERENTIATION_CHECKPOINTPLAN_H
