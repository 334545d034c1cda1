//===- ReferenceTest.cpp - the reference interpreter on closed forms ------===//
//
// Each case has an answer computed by hand or in closed form, independent
// of the loops under test.
//
//===----------------------------------------------------------------------===//
#include "seqc/Reference/Reference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace seqc::ref;

namespace {

Tensor filled(std::vector<int64_t> shape, double value) {
  return Tensor(std::move(shape), value);
}

/// A deterministic, non-trivial fill: value i -> sin(i * seed).
Tensor wave(std::vector<int64_t> shape, double seed) {
  Tensor t(std::move(shape));
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = std::sin(double(i + 1) * seed);
  return t;
}

TEST(Reference, ConstantDecayGivesAGeometricSeries) {
  // h_t = 0.5 h_{t-1} + 1, h_{-1} = 4  =>  h_t = 2 + 2 * 0.5^(t+1)
  Tensor a = filled({2, 12, 3}, 0.5), b = filled({2, 12, 3}, 1.0);
  ScanResult r = linearScan(a, b, filled({2, 3}, 4.0));
  for (int64_t t = 0; t < 12; ++t)
    EXPECT_DOUBLE_EQ(r.outputs[0].at({1, t, 2}), 2.0 + 2.0 * std::pow(0.5, t + 1));
  EXPECT_DOUBLE_EQ(r.finalStates[0].at({0, 1}), 2.0 + 2.0 * std::pow(0.5, 12));
}

TEST(Reference, NegativeDecayAlternatesSign) {
  // a = -1, b = 0, h0 = 1: the state flips every step.
  ScanResult r = linearScan(filled({1, 5, 1}, -1.0), filled({1, 5, 1}, 0.0),
                            filled({1, 1}, 1.0));
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{-1, 1, -1, 1, -1}));
}

TEST(Reference, EmptySequenceKeepsTheInitialState) {
  ScanResult r = linearScan(Tensor({2, 0, 3}), Tensor({2, 0, 3}),
                            wave({2, 3}, 0.7));
  EXPECT_EQ(r.finalStates[0].data, wave({2, 3}, 0.7).data);
}

TEST(Reference, ScanModes) {
  Tensor x({1, 4, 1}, {1, 2, 3, 4});
  Combiner add = [](const double *l, const double *r, double *o) {
    o[0] = l[0] + r[0];
  };
  EXPECT_EQ(scan({x}, {}, false, false, add).outputs[0].data,
            (std::vector<double>{1, 3, 6, 10}));
  ScanResult exclusive = scan({x}, {Tensor({1, 1}, {10})}, false, true, add);
  EXPECT_EQ(exclusive.outputs[0].data, (std::vector<double>{10, 11, 13, 16}));
  EXPECT_EQ(exclusive.finalStates[0].data, (std::vector<double>{20}));
  EXPECT_EQ(scan({x}, {}, true, false, add).outputs[0].data,
            (std::vector<double>{10, 9, 7, 4}));
}

TEST(Reference, ScanKeepsTheCombinerOrder) {
  // String concatenation as a non-commutative combiner: encode the sequence
  // 1, 2, 3 as digits; lhs * 10 + rhs keeps earlier elements on the left.
  Tensor x({1, 3, 1}, {1, 2, 3});
  Combiner concat = [](const double *l, const double *r, double *o) {
    o[0] = l[0] * 10 + r[0];
  };
  EXPECT_EQ(scan({x}, {}, false, false, concat).outputs[0].data,
            (std::vector<double>{1, 12, 123}));
  EXPECT_EQ(scan({x}, {}, true, false, concat).outputs[0].data,
            (std::vector<double>{321, 32, 3}));
}

TEST(Reference, RecurrenceRunsTheStepInOrder) {
  // h_t = 2 h_{t-1} + x_t, output h_t + 100.
  Tensor x({1, 3, 1}, {1, 1, 1});
  ScanResult r = recurrence(
      {x}, {}, {{1, 1}}, 1,
      [](const std::vector<Tensor> &in, const std::vector<Tensor> &st) {
        Tensor next({1, 1}, {2 * st[0].data[0] + in[0].data[0]});
        Tensor out({1, 1}, {next.data[0] + 100});
        return std::vector<Tensor>{next, out};
      });
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{101, 103, 107}));
  EXPECT_EQ(r.finalStates[0].data, (std::vector<double>{7}));
}

TEST(Reference, UngatedLinearAttentionSumsOuterProducts) {
  // S_T = sum_t k_t v_t^T; o_t = S_t^T q_t * scale.
  Tensor q = wave({1, 5, 2, 3}, 0.3), k = wave({1, 5, 2, 3}, 0.9),
         v = wave({1, 5, 2, 4}, 1.7);
  ScanResult r = linearAttention(q, k, v, GateKind::none, std::nullopt,
                                 std::nullopt, 0.5);
  for (int64_t h = 0; h < 2; ++h)
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 4; ++j) {
        double expected = 0;
        for (int64_t t = 0; t < 5; ++t)
          expected += k.at({0, t, h, i}) * v.at({0, t, h, j});
        EXPECT_NEAR(r.finalStates[0].at({0, h, i, j}), expected, 1e-12);
      }
  // At t = 0 the state is k_0 v_0^T, so o_0 = (q_0 . k_0) v_0 * scale.
  double qk = 0;
  for (int64_t i = 0; i < 3; ++i)
    qk += q.at({0, 0, 1, i}) * k.at({0, 0, 1, i});
  for (int64_t j = 0; j < 4; ++j)
    EXPECT_NEAR(r.outputs[0].at({0, 0, 1, j}), 0.5 * qk * v.at({0, 0, 1, j}),
                1e-12);
}

TEST(Reference, GatedLinearAttentionDecaysTheState) {
  // dk = dv = 1, k = v = q = 1, scalar log gate g: S_t = e^g S_{t-1} + 1.
  double g = std::log(0.25);
  Tensor ones = filled({1, 3, 1, 1}, 1.0);
  ScanResult scalar = linearAttention(ones, ones, ones, GateKind::scalar,
                                      filled({1, 3, 1}, g),
                                      filled({1, 1, 1, 1}, 8.0), 1.0);
  EXPECT_NEAR(scalar.outputs[0].data[0], 3.0, 1e-12);    // 8/4 + 1
  EXPECT_NEAR(scalar.outputs[0].data[1], 1.75, 1e-12);   // 3/4 + 1
  EXPECT_NEAR(scalar.outputs[0].data[2], 1.4375, 1e-12); // 1.75/4 + 1
  // The vector gate with one key channel is the same recurrence.
  ScanResult vector = linearAttention(ones, ones, ones, GateKind::vector,
                                      filled({1, 3, 1, 1}, g),
                                      filled({1, 1, 1, 1}, 8.0), 1.0);
  EXPECT_EQ(vector.outputs[0].data, scalar.outputs[0].data);
}

TEST(Reference, DeltaRuleWithZeroBetaKeepsTheState) {
  Tensor q = wave({2, 6, 2, 3}, 0.4), k = wave({2, 6, 2, 3}, 1.1),
         v = wave({2, 6, 2, 2}, 0.2), s0 = wave({2, 2, 3, 2}, 2.3);
  ScanResult r = deltaRule(q, k, v, filled({2, 6, 2}, 0.0), std::nullopt, s0,
                           1.0);
  EXPECT_EQ(r.finalStates[0].data, s0.data);
  // o_t = S0^T q_t
  double expected = 0;
  for (int64_t i = 0; i < 3; ++i)
    expected += s0.at({1, 0, i, 1}) * q.at({1, 4, 0, i});
  EXPECT_NEAR(r.outputs[0].at({1, 4, 0, 1}), expected, 1e-12);
}

TEST(Reference, DeltaRuleWithUnitBetaWritesTheValue) {
  // With a unit-norm key and beta = 1, S_t^T k_t = v_t exactly: the delta
  // rule replaces what the key retrieves.
  Tensor k({1, 2, 1, 2}, {0.6, 0.8, 0.8, -0.6});
  Tensor v = wave({1, 2, 1, 3}, 0.5);
  ScanResult r = deltaRule(k, k, v, filled({1, 2, 1}, 1.0), std::nullopt,
                           wave({1, 1, 2, 3}, 0.9), 1.0);
  for (int64_t j = 0; j < 3; ++j)
    EXPECT_NEAR(r.outputs[0].at({0, 1, 0, j}), v.at({0, 1, 0, j}), 1e-12);
}

TEST(Reference, SoftmaxAttentionOverOneKeyReturnsItsValue) {
  Tensor q = wave({1, 1, 2, 4}, 0.3), k = wave({1, 1, 2, 4}, 0.8),
         v = wave({1, 1, 2, 5}, 1.3);
  ScanResult r = softmaxAttention(q, k, v, {}, std::nullopt);
  EXPECT_EQ(r.outputs[0].data, v.data);
  EXPECT_EQ(r.finalStates[0].data, k.data);
  EXPECT_EQ(r.finalStates[1].data, v.data);
}

TEST(Reference, SoftmaxAttentionOfEqualScoresAverages) {
  // q = 0: every visible key gets the same weight; o_t is the mean of v_0..t.
  Tensor q = filled({1, 4, 1, 2}, 0.0), k = wave({1, 4, 1, 2}, 0.7);
  Tensor v({1, 4, 1, 1}, {4, 8, 0, 4});
  ScanResult r = softmaxAttention(q, k, v, {}, std::nullopt);
  EXPECT_EQ(r.outputs[0].data, (std::vector<double>{4, 6, 4, 4}));
}

TEST(Reference, LearnedQueryMatchesAPerStepQueryRepeated) {
  Tensor q3 = wave({2, 3, 4}, 0.45), k = wave({2, 9, 3, 4}, 0.8),
         v = wave({2, 9, 3, 5}, 1.9);
  Tensor q4({2, 9, 3, 4});
  for (int64_t b = 0; b < 2; ++b)
    for (int64_t t = 0; t < 9; ++t)
      for (int64_t h = 0; h < 3; ++h)
        for (int64_t i = 0; i < 4; ++i)
          q4.at({b, t, h, i}) = q3.at({b, h, i});
  ScanResult scanForm = softmaxAttention(q3, k, v, {}, 0.7);
  ScanResult direct = softmaxAttention(q4, k, v, {}, 0.7);
  for (size_t i = 0; i < direct.outputs[0].data.size(); ++i)
    EXPECT_NEAR(scanForm.outputs[0].data[i], direct.outputs[0].data[i], 1e-12);
  // Continuing from the (m, u, w) state after 4 steps gives the outputs and
  // final state of one call over all 9.
  auto steps = [](const Tensor &x, int64_t begin, int64_t end) {
    std::vector<int64_t> shape = x.shape;
    shape[1] = end - begin;
    Tensor part(shape);
    for (int64_t s = begin; s < end; ++s)
      part.setTimeSlice(s - begin, x.timeSlice(s));
    return part;
  };
  ScanResult head = softmaxAttention(q3, steps(k, 0, 4), steps(v, 0, 4), {}, 0.7);
  ScanResult tail = softmaxAttention(q3, steps(k, 4, 9), steps(v, 4, 9),
                                     head.finalStates, 0.7);
  Tensor expectedTail = steps(scanForm.outputs[0], 4, 9);
  for (size_t i = 0; i < expectedTail.data.size(); ++i)
    EXPECT_NEAR(tail.outputs[0].data[i], expectedTail.data[i], 1e-12);
  for (size_t s = 0; s < 3; ++s)
    for (size_t i = 0; i < tail.finalStates[s].data.size(); ++i)
      EXPECT_NEAR(tail.finalStates[s].data[i], scanForm.finalStates[s].data[i],
                  1e-9);
}

TEST(Reference, KeyValueCacheContinuesASequence) {
  // Two calls of 3 and 4 steps give the same outputs as one of 7 steps.
  Tensor q = wave({1, 7, 2, 3}, 0.3), k = wave({1, 7, 2, 3}, 0.6),
         v = wave({1, 7, 2, 2}, 0.9);
  auto split = [](const Tensor &t, int64_t begin, int64_t end) {
    std::vector<int64_t> shape = t.shape;
    shape[1] = end - begin;
    Tensor out(shape);
    for (int64_t s = begin; s < end; ++s)
      out.setTimeSlice(s - begin, t.timeSlice(s));
    return out;
  };
  ScanResult whole = softmaxAttention(q, k, v, {}, std::nullopt);
  ScanResult head = softmaxAttention(split(q, 0, 3), split(k, 0, 3),
                                     split(v, 0, 3), {}, std::nullopt);
  ScanResult tail = softmaxAttention(split(q, 3, 7), split(k, 3, 7),
                                     split(v, 3, 7), head.finalStates,
                                     std::nullopt);
  Tensor expectedTail = split(whole.outputs[0], 3, 7);
  for (size_t i = 0; i < expectedTail.data.size(); ++i)
    EXPECT_NEAR(tail.outputs[0].data[i], expectedTail.data[i], 1e-12);
  EXPECT_EQ(tail.finalStates[0].data, whole.finalStates[0].data);
}

TEST(Reference, FloatAccumulationStaysCloseToDouble) {
  Tensor a = filled({1, 1000, 4}, 0.999), b = wave({1, 1000, 4}, 0.37);
  ScanResult exact = linearScan(a, b, std::nullopt, Accumulator::f64);
  ScanResult single = linearScan(a, b, std::nullopt, Accumulator::f32);
  double worst = 0;
  for (size_t i = 0; i < exact.outputs[0].data.size(); ++i)
    worst = std::max(worst, std::fabs(exact.outputs[0].data[i] -
                                      single.outputs[0].data[i]));
  EXPECT_GT(worst, 0.0);  // f32 really is used
  EXPECT_LT(worst, 1e-3); // and still close
}

TEST(Reference, RoundingToLowPrecision) {
  // bf16 keeps 8 significant bits: 1 + 2^-8 is a tie and rounds to even.
  EXPECT_EQ(roundToBF16(1.0 + std::ldexp(1.0, -8)), 1.0);
  EXPECT_EQ(roundToBF16(1.0 + 3 * std::ldexp(1.0, -8)), 1.0 + std::ldexp(1.0, -6));
  EXPECT_EQ(roundToBF16(-2.5), -2.5);
  // f16: 11 significant bits, max 65504, subnormals down to 2^-24.
  EXPECT_EQ(roundToF16(1.0 + std::ldexp(1.0, -11)), 1.0);
  EXPECT_EQ(roundToF16(65504.0), 65504.0);
  EXPECT_TRUE(std::isinf(roundToF16(70000.0)));
  EXPECT_EQ(roundToF16(std::ldexp(1.0, -24)), std::ldexp(1.0, -24));
  EXPECT_EQ(roundToF32(0.1), static_cast<double>(0.1f));
}

} // namespace
