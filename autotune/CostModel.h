//===- CostModel.h - forms, tiles and their predicted cost -----*- C++ -*-===//
//
// For each seq op and each form with a lowering, a FormModel states the
// tile parameters the lowering reads (chunk_size, block_threads,
// items_per_thread), the constraints a configuration must meet on the
// target (divisibility, register and cache capacity, warp multiples,
// masked tails), and a first-order cost:
//
//   seconds = max(bytes / bandwidth, flops / (peak * efficiency))
//           + critical-path steps * step latency + launches * launch latency
//
// with, for the GPU scan kernels, the bandwidth a configuration can reach
// by Little's law (bytes in flight / memory latency). TilingProblem hands a
// FormModel to Z3, which finds the cheapest configuration that meets every
// constraint and the next best ones, or explains why none does.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_COSTMODEL_H
#define SEQC_AUTOTUNE_COSTMODEL_H

#include "autotune/HardwareModel.h"
#include "dialects/Seq/IR/SeqOps.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace z3 {
class expr;
} // namespace z3

namespace seqc::autotune {

/// The predicted cost of one configuration and its terms.
struct Cost {
  double bytes = 0, flops = 0, steps = 0, launches = 0, seconds = 0;
};

/// One configuration of one op: a form and the tile parameters its
/// lowering reads.
struct TileConfig {
  seq::FormKind kind = seq::FormKind::sequential;
  /// FlashRNN's GPU variant of a sequential recurrence (none: alternating).
  std::optional<seq::SequentialVariant> variant;
  std::optional<int64_t> chunkSize, blockThreads, itemsPerThread;
  /// bf16 terms of the f32 state in the step's tensor-core product, either
  /// variant (a precision the user chose; the tuner never lowers it).
  std::optional<int64_t> stateTerms;
  /// Prefix form on a CPU: chunks of one sequence in flight, one per thread.
  std::optional<int64_t> workers;
  Cost cost;

  /// `#seq.form<...>` with these parameters.
  seq::FormAttr toAttr(mlir::MLIRContext *context) const;
  static TileConfig fromAttr(seq::FormAttr form);
  /// "prefix chunk_size=64 block_threads=256".
  std::string str() const;
  bool sameTiles(const TileConfig &other) const;
};

/// A tile parameter with the values worth trying.
struct TileVariable {
  std::string name; // as in #seq.form: chunk_size, block_threads, ...
  std::vector<int64_t> domain;
  std::optional<int64_t> TileConfig::*field;
};

/// Lets a FormModel state constraints over its variables' Z3 constants.
class ConstraintBuilder {
public:
  virtual ~ConstraintBuilder() = default;
  virtual z3::expr var(const std::string &name) = 0;
  /// An integer function of one variable, as a table over its domain.
  virtual z3::expr table(const std::string &name,
                         const std::function<int64_t(int64_t)> &f) = 0;
  virtual z3::expr constant(int64_t value) = 0;
  /// A named constraint; `words` says what it means, for unsat cores.
  virtual void require(const std::string &id, const std::string &words,
                       const z3::expr &formula) = 0;
};

/// The tiling problem of one form of one op on one target.
struct FormModel {
  seq::FormKind kind;
  std::string opName;
  std::vector<TileVariable> variables;
  std::function<void(ConstraintBuilder &)> constrain;
  /// The cost of a configuration whose variables are all set.
  std::function<Cost(const TileConfig &)> cost;
  /// What the lowering would assume about registers per thread, for the
  /// ptxas comparison (GPU scan kernels only).
  std::function<int64_t(const TileConfig &)> registersPerThread;
  /// The GPU variant every configuration of this model has (a
  /// recurrence's sequential form comes as two models, one per variant).
  std::optional<seq::SequentialVariant> variant = std::nullopt;
};

/// The model of every form of `op` that has a lowering, and the other valid
/// forms with why they are not candidates.
struct FormModels {
  std::vector<FormModel> candidates;
  std::vector<std::pair<seq::FormKind, std::string>> unavailable;
};
FormModels formModels(mlir::Operation *op, const HardwareModel &target);

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_COSTMODEL_H
