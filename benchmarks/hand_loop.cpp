//===- hand_loop.cpp - the hand-written baselines (-O3 -march=native) -----===//

/// h_t = a_t * h_{t-1} + b_t over [B, T, D], state starting at zero: the
/// loop a user writes, reading the previous step from the output.
void handLinearScan(const float *a, const float *b, float *h, float *last,
                    long batch, long steps, long width) {
  for (long n = 0; n < batch; ++n) {
    const float *an = a + n * steps * width, *bn = b + n * steps * width;
    float *hn = h + n * steps * width;
    for (long d = 0; d < width; ++d)
      hn[d] = bn[d]; // a_0 * 0 + b_0
    for (long t = 1; t < steps; ++t)
      for (long d = 0; d < width; ++d)
        hn[t * width + d] =
            an[t * width + d] * hn[(t - 1) * width + d] + bn[t * width + d];
    for (long d = 0; d < width; ++d)
      last[n * width + d] = steps ? hn[(steps - 1) * width + d] : 0.0f;
  }
}

/// STREAM add: the same memory traffic as the scan without its dependence.
void streamAdd(const float *a, const float *b, float *h, long n) {
  for (long i = 0; i < n; ++i)
    h[i] = a[i] + b[i];
}
