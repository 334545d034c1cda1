//===- TilingProblem.h - Z3 over one form's tile parameters ----*- C++ -*-===//
//
// Each tile variable of a FormModel becomes a Z3 integer restricted to its
// domain; the model's constraints are asserted under tracking literals, so
// that an infeasible problem is explained by the constraints in its unsat
// core; the objective is the model's cost, tabulated over the variables'
// joint domain (exact: no linearization of the cost). Z3 Optimize finds the
// proven cheapest configuration, and blocking clauses enumerate the next
// best ones in order.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_TILINGPROBLEM_H
#define SEQC_AUTOTUNE_TILINGPROBLEM_H

#include "autotune/CostModel.h"

#include <memory>

namespace seqc::autotune {

class TilingProblem {
public:
  explicit TilingProblem(const FormModel &model);
  ~TilingProblem();

  /// The best `k` configurations, cheapest first (fewer when fewer are
  /// feasible; none when the problem is infeasible). With `diverse`, first
  /// the best configuration per value of the first variable (cheapest
  /// first), then the next best of all.
  std::vector<TileConfig> solve(unsigned k, bool diverse = false);

  /// A named constraint in an unsat core.
  struct Reason {
    std::string id;    // warp_multiple, domain_chunk_size, ...
    std::string words; // what it means
    bool isDomain = false;
    /// "words (id)".
    std::string str() const { return words + " (" + id + ")"; }
    /// A configuration breaking it cannot run at all (a block over the
    /// chip's thread limit, or whose registers do not fit an SM), as
    /// opposed to running slowly (spills, caches, partial warps).
    bool isHard() const {
      return id == "block_size_limit" || id == "registers_per_block";
    }
  };

  /// Why no configuration is feasible: the constraints (domains included)
  /// in the unsat core; empty when feasible.
  std::vector<Reason> explainInfeasibility();

  /// The constraints `config` violates (its values pinned, the unsat core
  /// minus the pins). Empty when it satisfies them all.
  std::vector<Reason> violations(const TileConfig &config);

  /// The problem as SMT-LIB 2 (declarations, named assertions, objective).
  std::string toSmtLib();

  /// Wall time of the last solve/explain, in milliseconds.
  double lastSolveMs() const { return solveMs; }

  const FormModel &model() const { return formModel; }

private:
  struct State;
  FormModel formModel;
  std::unique_ptr<State> state;
  double solveMs = 0;
};

/// The best configuration of every candidate form of `op` (each form's
/// cheapest, in form order) and the forms that have none, with why.
struct FormChoice {
  std::vector<TileConfig> best; // one per feasible candidate form
  /// Forms without a feasible configuration or without a lowering.
  std::vector<std::pair<seq::FormKind, std::string>> excluded;
  double solveMs = 0;
  /// The cheapest of `best`, if any.
  std::optional<TileConfig> cheapest() const;
};
FormChoice chooseForm(mlir::Operation *op, const HardwareModel &target);

/// The `k` best configurations of `op` over all candidate forms, cheapest
/// first, diverse in each form's first variable (what a tuner measures).
std::vector<TileConfig> topConfigurations(mlir::Operation *op,
                                          const HardwareModel &target,
                                          unsigned k, double *solveMs = nullptr);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_TILINGPROBLEM_H
