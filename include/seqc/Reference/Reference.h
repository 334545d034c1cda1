//===- Reference.h - the reference interpreter of the seq ops --*- C++ -*-===//
//
// A deliberately plain implementation of the exact semantics of every seq
// primitive (docs/DESIGN.md section 3): loops over batch, time, heads and
// channels, in the order the equations are written, with no reassociation.
// It is the oracle every compiled form is checked against, so it shares no
// code with the compiler and has no MLIR dependency: it links into
// standalone runners that are carried to GPU machines.
//
// Values are stored as double. `Accumulator` selects the precision of the
// arithmetic: double (the default oracle) or float (to see what an f32
// implementation of the same order of operations produces).
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_REFERENCE_REFERENCE_H
#define SEQC_REFERENCE_REFERENCE_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace seqc::ref {

/// A dense row-major tensor.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  explicit Tensor(std::vector<int64_t> shape, double fill = 0.0);
  Tensor(std::vector<int64_t> shape, std::vector<double> data);

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  int64_t dim(int64_t i) const { return shape[i]; }
  int64_t numElements() const;

  /// Element at a multi-index, e.g. at({b, t, d}).
  double &at(std::initializer_list<int64_t> index);
  double at(std::initializer_list<int64_t> index) const;
  int64_t offset(std::initializer_list<int64_t> index) const;

  /// The slice at `index` of dimension 1 (a time step of [B, T, ...]).
  Tensor timeSlice(int64_t t) const;
  /// Writes `slice` ([B, ...]) at time step t of this [B, T, ...] tensor.
  void setTimeSlice(int64_t t, const Tensor &slice);
};

enum class Accumulator { f64, f32 };

/// Rounds to the nearest bf16 / f16 / f32 value (round to nearest even).
double roundToBF16(double value);
double roundToF16(double value);
double roundToF32(double value);

//===----------------------------------------------------------------------===//
// The primitives. Shapes as in the seq dialect; every op takes an optional
// initial state (zero when absent) and returns the final state.
//===----------------------------------------------------------------------===//

struct ScanResult {
  std::vector<Tensor> outputs;
  std::vector<Tensor> finalStates;
};

/// seq.scan: `combine(lhs, rhs, out)` on one tuple of N scalars, lhs the
/// aggregate of the earlier elements.
using Combiner = std::function<void(const double *lhs, const double *rhs,
                                    double *out)>;
ScanResult scan(const std::vector<Tensor> &inputs,
                const std::vector<Tensor> &init, bool reverse, bool exclusive,
                const Combiner &combine);

/// seq.linear_scan: h_t = a_t * h_{t-1} + b_t. Returns {h}, {final}.
ScanResult linearScan(const Tensor &a, const Tensor &b,
                      const std::optional<Tensor> &init,
                      Accumulator acc = Accumulator::f64);

/// seq.recurrence: `step(inputSlices, states)` returns the next states
/// followed by the per-step outputs. `stateShapes` gives the zero initial
/// states when `init` is empty.
using RecurrenceStep = std::function<std::vector<Tensor>(
    const std::vector<Tensor> &inputSlices, const std::vector<Tensor> &states)>;
ScanResult recurrence(const std::vector<Tensor> &inputs,
                      const std::vector<Tensor> &init,
                      const std::vector<std::vector<int64_t>> &stateShapes,
                      int64_t numOutputs, const RecurrenceStep &step);

enum class GateKind { none, scalar, vector };

/// seq.linear_attention. q, k [B, T, H, dk], v [B, T, H, dv], gate
/// [B, T, H] (scalar) or [B, T, H, dk] (vector) in log space.
ScanResult linearAttention(const Tensor &q, const Tensor &k, const Tensor &v,
                           GateKind gateKind, const std::optional<Tensor> &gate,
                           const std::optional<Tensor> &init,
                           std::optional<double> scale,
                           Accumulator acc = Accumulator::f64);

/// seq.delta_rule. beta and gate [B, T, H].
ScanResult deltaRule(const Tensor &q, const Tensor &k, const Tensor &v,
                     const Tensor &beta, const std::optional<Tensor> &gate,
                     const std::optional<Tensor> &init,
                     std::optional<double> scale,
                     Accumulator acc = Accumulator::f64);

/// seq.softmax_attention. q [B, T, H, dk] (state: key/value cache, init
/// empty or {keys, values}) or [B, H, dk] (state: m, u, w; init empty or
/// all three).
ScanResult softmaxAttention(const Tensor &q, const Tensor &k, const Tensor &v,
                            const std::vector<Tensor> &init,
                            std::optional<double> scale,
                            Accumulator acc = Accumulator::f64);

} // namespace seqc::ref

#endif // SEQC_REFERENCE_REFERENCE_H
