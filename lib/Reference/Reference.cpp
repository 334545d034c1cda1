//===- Reference.cpp - the reference interpreter of the seq ops -----------===//
#include "seqc/Reference/Reference.h"

#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <cstdio>
#include <cstdlib>

namespace seqc::ref {

/// Inputs reach the reference after the op verifiers, so a violated
/// precondition is a bug in the caller: say which, and stop.
[[noreturn]] static void preconditionFailed(const char *message) {
  std::fprintf(stderr, "seqc reference interpreter: %s\n", message);
  std::abort();
}

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

static int64_t product(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor::Tensor(std::vector<int64_t> shape, double fill)
    : shape(std::move(shape)), data(product(this->shape), fill) {}

Tensor::Tensor(std::vector<int64_t> shape, std::vector<double> data)
    : shape(std::move(shape)), data(std::move(data)) {
  if (static_cast<int64_t>(this->data.size()) != product(this->shape))
    preconditionFailed("tensor data does not match its shape");
}

int64_t Tensor::numElements() const { return product(shape); }

int64_t Tensor::offset(std::initializer_list<int64_t> index) const {
  assert(static_cast<int64_t>(index.size()) == rank());
  int64_t linear = 0, i = 0;
  for (int64_t idx : index)
    linear = linear * shape[i++] + idx;
  return linear;
}

double &Tensor::at(std::initializer_list<int64_t> index) {
  return data[offset(index)];
}
double Tensor::at(std::initializer_list<int64_t> index) const {
  return data[offset(index)];
}

Tensor Tensor::timeSlice(int64_t t) const {
  std::vector<int64_t> sliceShape = shape;
  sliceShape.erase(sliceShape.begin() + 1);
  Tensor slice(sliceShape);
  int64_t inner = product(std::vector<int64_t>(shape.begin() + 2, shape.end()));
  for (int64_t b = 0; b < shape[0]; ++b)
    for (int64_t i = 0; i < inner; ++i)
      slice.data[b * inner + i] = data[(b * shape[1] + t) * inner + i];
  return slice;
}

void Tensor::setTimeSlice(int64_t t, const Tensor &slice) {
  int64_t inner = product(std::vector<int64_t>(shape.begin() + 2, shape.end()));
  for (int64_t b = 0; b < shape[0]; ++b)
    for (int64_t i = 0; i < inner; ++i)
      data[(b * shape[1] + t) * inner + i] = slice.data[b * inner + i];
}

//===----------------------------------------------------------------------===//
// Rounding
//===----------------------------------------------------------------------===//

double roundToF32(double value) { return static_cast<float>(value); }

double roundToBF16(double value) {
  float f = static_cast<float>(value);
  if (std::isnan(f))
    return f;
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  // Round to nearest even on the 16 bits that are dropped.
  uint32_t rounding = 0x7FFF + ((bits >> 16) & 1);
  bits = (bits + rounding) & 0xFFFF0000u;
  std::memcpy(&f, &bits, sizeof(bits));
  return f;
}

double roundToF16(double value) {
  if (std::isnan(value) || std::isinf(value))
    return value;
  double magnitude = std::fabs(value);
  if (magnitude >= 65520.0)
    return std::copysign(std::numeric_limits<double>::infinity(), value);
  // Spacing of f16 values around `magnitude`: 2^(e - 10), subnormals 2^-24.
  int exponent = magnitude > 0 ? std::ilogb(magnitude) : -25;
  double spacing = std::ldexp(1.0, std::max(exponent, -14) - 10);
  return std::copysign(std::nearbyint(magnitude / spacing) * spacing, value);
}

//===----------------------------------------------------------------------===//
// seq.scan and seq.recurrence
//===----------------------------------------------------------------------===//

static std::vector<int64_t> withoutTime(const std::vector<int64_t> &shape) {
  std::vector<int64_t> result = shape;
  result.erase(result.begin() + 1);
  return result;
}

ScanResult scan(const std::vector<Tensor> &inputs,
                const std::vector<Tensor> &init, bool reverse, bool exclusive,
                const Combiner &combine) {
  size_t n = inputs.size();
  if (n == 0)
    preconditionFailed("scan needs at least one input");
  if (exclusive && init.empty())
    preconditionFailed("an exclusive scan needs init values");
  const std::vector<int64_t> &shape = inputs[0].shape;
  int64_t batch = shape[0], steps = shape[1];
  int64_t inner = product(std::vector<int64_t>(shape.begin() + 2, shape.end()));

  ScanResult result;
  for (size_t i = 0; i < n; ++i) {
    result.outputs.emplace_back(shape);
    result.finalStates.emplace_back(withoutTime(shape));
  }
  std::vector<double> acc(n), element(n), combined(n);
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t c = 0; c < inner; ++c) {
      bool haveAcc = !init.empty();
      for (size_t i = 0; i < n && haveAcc; ++i)
        acc[i] = init[i].data[b * inner + c];
      for (int64_t step = 0; step < steps; ++step) {
        int64_t t = reverse ? steps - 1 - step : step;
        int64_t offset = (b * steps + t) * inner + c;
        for (size_t i = 0; i < n; ++i)
          element[i] = inputs[i].data[offset];
        if (exclusive)
          for (size_t i = 0; i < n; ++i)
            result.outputs[i].data[offset] = acc[i];
        if (haveAcc) {
          combine(acc.data(), element.data(), combined.data());
          acc = combined;
        } else {
          acc = element;
          haveAcc = true;
        }
        if (!exclusive)
          for (size_t i = 0; i < n; ++i)
            result.outputs[i].data[offset] = acc[i];
      }
      // With neither init nor any step there is no aggregate: it stays 0.
      for (size_t i = 0; i < n && haveAcc; ++i)
        result.finalStates[i].data[b * inner + c] = acc[i];
    }
  }
  return result;
}

ScanResult recurrence(const std::vector<Tensor> &inputs,
                      const std::vector<Tensor> &init,
                      const std::vector<std::vector<int64_t>> &stateShapes,
                      int64_t numOutputs, const RecurrenceStep &step) {
  if (inputs.empty())
    preconditionFailed("recurrence needs at least one input");
  int64_t steps = inputs[0].dim(1);
  std::vector<Tensor> states;
  if (init.empty())
    for (const auto &shape : stateShapes)
      states.emplace_back(shape);
  else
    states = init;

  ScanResult result;
  for (int64_t t = 0; t < steps; ++t) {
    std::vector<Tensor> slices;
    for (const Tensor &input : inputs)
      slices.push_back(input.timeSlice(t));
    std::vector<Tensor> next = step(slices, states);
    if (static_cast<int64_t>(next.size()) !=
        static_cast<int64_t>(states.size()) + numOutputs)
      preconditionFailed("recurrence step returned the wrong number of "
                               "values");
    for (size_t s = 0; s < states.size(); ++s)
      states[s] = next[s];
    for (int64_t o = 0; o < numOutputs; ++o) {
      const Tensor &value = next[states.size() + o];
      if (t == 0) {
        std::vector<int64_t> shape = value.shape;
        shape.insert(shape.begin() + 1, steps);
        result.outputs.emplace_back(shape);
      }
      result.outputs[o].setTimeSlice(t, value);
    }
  }
  result.finalStates = states;
  return result;
}

//===----------------------------------------------------------------------===//
// seq.linear_scan
//===----------------------------------------------------------------------===//

template <typename A>
static ScanResult linearScanImpl(const Tensor &a, const Tensor &b,
                                 const std::optional<Tensor> &init) {
  int64_t batch = a.dim(0), steps = a.dim(1);
  int64_t inner = product(std::vector<int64_t>(a.shape.begin() + 2, a.shape.end()));
  ScanResult result;
  result.outputs.emplace_back(a.shape);
  result.finalStates.emplace_back(withoutTime(a.shape));
  Tensor &h = result.outputs[0];
  Tensor &last = result.finalStates[0];
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < inner; ++c) {
      A state = init ? static_cast<A>(init->data[n * inner + c]) : A(0);
      for (int64_t t = 0; t < steps; ++t) {
        int64_t offset = (n * steps + t) * inner + c;
        state = static_cast<A>(a.data[offset]) * state +
                static_cast<A>(b.data[offset]);
        h.data[offset] = state;
      }
      last.data[n * inner + c] = state;
    }
  }
  return result;
}

ScanResult linearScan(const Tensor &a, const Tensor &b,
                      const std::optional<Tensor> &init, Accumulator acc) {
  if (a.shape != b.shape)
    preconditionFailed("linear_scan: a and b differ in shape");
  return acc == Accumulator::f64 ? linearScanImpl<double>(a, b, init)
                                 : linearScanImpl<float>(a, b, init);
}

//===----------------------------------------------------------------------===//
// The attention family
//===----------------------------------------------------------------------===//

namespace {
struct HeadShape {
  int64_t batch, steps, heads, keyDim, valueDim;
};
HeadShape headShape(const Tensor &k, const Tensor &v) {
  return {k.dim(0), k.dim(1), k.dim(2), k.dim(3), v.dim(3)};
}

/// Copies the [dk, dv] state of batch b, head h into S (row-major).
template <typename A>
void loadHeadState(const Tensor &state, int64_t b, int64_t h,
                   const HeadShape &s, std::vector<A> &S) {
  for (int64_t i = 0; i < s.keyDim; ++i)
    for (int64_t j = 0; j < s.valueDim; ++j)
      S[i * s.valueDim + j] = static_cast<A>(state.at({b, h, i, j}));
}

template <typename A>
void storeHeadState(const std::vector<A> &S, int64_t b, int64_t h,
                    const HeadShape &s, Tensor &state) {
  for (int64_t i = 0; i < s.keyDim; ++i)
    for (int64_t j = 0; j < s.valueDim; ++j)
      state.at({b, h, i, j}) = S[i * s.valueDim + j];
}

/// o_t = S_t^T (scale q_t) for batch b, head h, step t.
template <typename A>
void readOut(const std::vector<A> &S, const Tensor &q, int64_t b, int64_t t,
             int64_t h, const HeadShape &s, double scale, Tensor &o) {
  for (int64_t j = 0; j < s.valueDim; ++j) {
    A sum = A(0);
    for (int64_t i = 0; i < s.keyDim; ++i)
      sum += S[i * s.valueDim + j] *
             (static_cast<A>(scale) * static_cast<A>(q.at({b, t, h, i})));
    o.at({b, t, h, j}) = sum;
  }
}
} // namespace

template <typename A>
static ScanResult linearAttentionImpl(const Tensor &q, const Tensor &k,
                                      const Tensor &v, GateKind gateKind,
                                      const std::optional<Tensor> &gate,
                                      const std::optional<Tensor> &init,
                                      double scale) {
  HeadShape s = headShape(k, v);
  ScanResult result;
  result.outputs.emplace_back(std::vector<int64_t>{s.batch, s.steps, s.heads,
                                                   s.valueDim});
  Tensor state = init ? *init
                      : Tensor({s.batch, s.heads, s.keyDim, s.valueDim});
  Tensor &o = result.outputs[0];
  std::vector<A> S(s.keyDim * s.valueDim);
  for (int64_t b = 0; b < s.batch; ++b) {
    for (int64_t h = 0; h < s.heads; ++h) {
      loadHeadState(state, b, h, s, S);
      for (int64_t t = 0; t < s.steps; ++t) {
        // S_t = diag(exp(g_t)) S_{t-1} + k_t v_t^T
        for (int64_t i = 0; i < s.keyDim; ++i) {
          A alpha = A(1);
          if (gateKind == GateKind::scalar)
            alpha = std::exp(static_cast<A>(gate->at({b, t, h})));
          else if (gateKind == GateKind::vector)
            alpha = std::exp(static_cast<A>(gate->at({b, t, h, i})));
          A key = static_cast<A>(k.at({b, t, h, i}));
          for (int64_t j = 0; j < s.valueDim; ++j)
            S[i * s.valueDim + j] = alpha * S[i * s.valueDim + j] +
                                    key * static_cast<A>(v.at({b, t, h, j}));
        }
        readOut(S, q, b, t, h, s, scale, o);
      }
      storeHeadState(S, b, h, s, state);
    }
  }
  result.finalStates.push_back(std::move(state));
  return result;
}

ScanResult linearAttention(const Tensor &q, const Tensor &k, const Tensor &v,
                           GateKind gateKind, const std::optional<Tensor> &gate,
                           const std::optional<Tensor> &init,
                           std::optional<double> scale, Accumulator acc) {
  if (gateKind != GateKind::none && !gate)
    preconditionFailed("linear_attention: gate kind needs a gate");
  double factor = scale ? *scale : 1.0 / std::sqrt(double(k.dim(3)));
  return acc == Accumulator::f64
             ? linearAttentionImpl<double>(q, k, v, gateKind, gate, init,
                                           factor)
             : linearAttentionImpl<float>(q, k, v, gateKind, gate, init,
                                          factor);
}

template <typename A>
static ScanResult deltaRuleImpl(const Tensor &q, const Tensor &k,
                                const Tensor &v, const Tensor &beta,
                                const std::optional<Tensor> &gate,
                                const std::optional<Tensor> &init,
                                double scale) {
  HeadShape s = headShape(k, v);
  ScanResult result;
  result.outputs.emplace_back(std::vector<int64_t>{s.batch, s.steps, s.heads,
                                                   s.valueDim});
  Tensor state = init ? *init
                      : Tensor({s.batch, s.heads, s.keyDim, s.valueDim});
  Tensor &o = result.outputs[0];
  std::vector<A> S(s.keyDim * s.valueDim), kS(s.valueDim);
  for (int64_t b = 0; b < s.batch; ++b) {
    for (int64_t h = 0; h < s.heads; ++h) {
      loadHeadState(state, b, h, s, S);
      for (int64_t t = 0; t < s.steps; ++t) {
        A alpha = gate ? std::exp(static_cast<A>(gate->at({b, t, h}))) : A(1);
        A strength = static_cast<A>(beta.at({b, t, h}));
        // (k_t^T S_{t-1})_j
        for (int64_t j = 0; j < s.valueDim; ++j) {
          A sum = A(0);
          for (int64_t i = 0; i < s.keyDim; ++i)
            sum += static_cast<A>(k.at({b, t, h, i})) * S[i * s.valueDim + j];
          kS[j] = sum;
        }
        // S_t = alpha (S - beta k (k^T S)) + beta k v^T
        for (int64_t i = 0; i < s.keyDim; ++i) {
          A key = static_cast<A>(k.at({b, t, h, i}));
          for (int64_t j = 0; j < s.valueDim; ++j) {
            A &entry = S[i * s.valueDim + j];
            entry = alpha * (entry - strength * key * kS[j]) +
                    strength * key * static_cast<A>(v.at({b, t, h, j}));
          }
        }
        readOut(S, q, b, t, h, s, scale, o);
      }
      storeHeadState(S, b, h, s, state);
    }
  }
  result.finalStates.push_back(std::move(state));
  return result;
}

ScanResult deltaRule(const Tensor &q, const Tensor &k, const Tensor &v,
                     const Tensor &beta, const std::optional<Tensor> &gate,
                     const std::optional<Tensor> &init,
                     std::optional<double> scale, Accumulator acc) {
  double factor = scale ? *scale : 1.0 / std::sqrt(double(k.dim(3)));
  return acc == Accumulator::f64
             ? deltaRuleImpl<double>(q, k, v, beta, gate, init, factor)
             : deltaRuleImpl<float>(q, k, v, beta, gate, init, factor);
}

/// Causal softmax attention with a query per step: every query sees the P
/// cached keys and the keys of this call up to its own step.
template <typename A>
static ScanResult softmaxPerStepQuery(const Tensor &q, const Tensor &k,
                                      const Tensor &v,
                                      const std::vector<Tensor> &init,
                                      double scale) {
  HeadShape s = headShape(k, v);
  int64_t prefix = init.empty() ? 0 : init[0].dim(1);
  int64_t total = prefix + s.steps;
  // The extended caches are the final states.
  Tensor keys({s.batch, total, s.heads, s.keyDim});
  Tensor values({s.batch, total, s.heads, s.valueDim});
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t p = 0; p < total; ++p)
      for (int64_t h = 0; h < s.heads; ++h) {
        for (int64_t i = 0; i < s.keyDim; ++i)
          keys.at({b, p, h, i}) = p < prefix ? init[0].at({b, p, h, i})
                                             : k.at({b, p - prefix, h, i});
        for (int64_t j = 0; j < s.valueDim; ++j)
          values.at({b, p, h, j}) = p < prefix
                                        ? init[1].at({b, p, h, j})
                                        : v.at({b, p - prefix, h, j});
      }
  ScanResult result;
  result.outputs.emplace_back(std::vector<int64_t>{s.batch, s.steps, s.heads,
                                                   s.valueDim});
  Tensor &o = result.outputs[0];
  std::vector<A> scores(total), acc(s.valueDim);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.heads; ++h)
      for (int64_t t = 0; t < s.steps; ++t) {
        int64_t visible = prefix + t + 1;
        A maximum = -std::numeric_limits<A>::infinity();
        for (int64_t p = 0; p < visible; ++p) {
          A dot = A(0);
          for (int64_t i = 0; i < s.keyDim; ++i)
            dot += static_cast<A>(q.at({b, t, h, i})) *
                   static_cast<A>(keys.at({b, p, h, i}));
          scores[p] = static_cast<A>(scale) * dot;
          maximum = std::max(maximum, scores[p]);
        }
        A denominator = A(0);
        std::fill(acc.begin(), acc.end(), A(0));
        for (int64_t p = 0; p < visible; ++p) {
          A weight = std::exp(scores[p] - maximum);
          denominator += weight;
          for (int64_t j = 0; j < s.valueDim; ++j)
            acc[j] += weight * static_cast<A>(values.at({b, p, h, j}));
        }
        for (int64_t j = 0; j < s.valueDim; ++j)
          o.at({b, t, h, j}) = acc[j] / denominator;
      }
  result.finalStates.push_back(std::move(keys));
  result.finalStates.push_back(std::move(values));
  return result;
}

/// Softmax attention of a time-invariant query (Aaren): the state is the
/// running max m, denominator u and numerator w over the steps seen so far.
template <typename A>
static ScanResult softmaxTimeInvariantQuery(const Tensor &q, const Tensor &k,
                                            const Tensor &v,
                                            const std::vector<Tensor> &init,
                                            double scale) {
  HeadShape s = headShape(k, v);
  Tensor m({s.batch, s.heads}, -std::numeric_limits<double>::infinity());
  Tensor u({s.batch, s.heads});
  Tensor w({s.batch, s.heads, s.valueDim});
  if (!init.empty()) {
    m = init[0];
    u = init[1];
    w = init[2];
  }
  ScanResult result;
  result.outputs.emplace_back(std::vector<int64_t>{s.batch, s.steps, s.heads,
                                                   s.valueDim});
  Tensor &o = result.outputs[0];
  std::vector<A> numer(s.valueDim);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.heads; ++h) {
      A runMax = static_cast<A>(m.at({b, h}));
      A denom = static_cast<A>(u.at({b, h}));
      for (int64_t j = 0; j < s.valueDim; ++j)
        numer[j] = static_cast<A>(w.at({b, h, j}));
      for (int64_t t = 0; t < s.steps; ++t) {
        A dot = A(0);
        for (int64_t i = 0; i < s.keyDim; ++i)
          dot += static_cast<A>(q.at({b, h, i})) *
                 static_cast<A>(k.at({b, t, h, i}));
        A score = static_cast<A>(scale) * dot;
        A newMax = std::max(runMax, score);
        // exp(-inf - finite) is 0: the identity state contributes nothing.
        A keep = std::exp(runMax - newMax);
        A weight = std::exp(score - newMax);
        denom = denom * keep + weight;
        for (int64_t j = 0; j < s.valueDim; ++j) {
          numer[j] = numer[j] * keep + weight * static_cast<A>(v.at({b, t, h, j}));
          o.at({b, t, h, j}) = numer[j] / denom;
        }
        runMax = newMax;
      }
      m.at({b, h}) = runMax;
      u.at({b, h}) = denom;
      for (int64_t j = 0; j < s.valueDim; ++j)
        w.at({b, h, j}) = numer[j];
    }
  result.finalStates = {m, u, w};
  return result;
}

ScanResult softmaxAttention(const Tensor &q, const Tensor &k, const Tensor &v,
                            const std::vector<Tensor> &init,
                            std::optional<double> scale, Accumulator acc) {
  double factor = scale ? *scale : 1.0 / std::sqrt(double(k.dim(3)));
  if (q.rank() == 3)
    return acc == Accumulator::f64
               ? softmaxTimeInvariantQuery<double>(q, k, v, init, factor)
               : softmaxTimeInvariantQuery<float>(q, k, v, init, factor);
  return acc == Accumulator::f64
             ? softmaxPerStepQuery<double>(q, k, v, init, factor)
             : softmaxPerStepQuery<float>(q, k, v, init, factor);
}

} // namespace seqc::ref
