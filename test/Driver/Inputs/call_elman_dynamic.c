/* Calls the dynamic-shape Elman layer at several (batch, time) and checks
 * each against a plain C evaluation of h_t = tanh(x_t W + b + h_{t-1} R +
 * rb); then checks that invalid sizes are refused with status 2. */
#include "elman_dynamic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static float value(unsigned *state) {
  *state = *state * 1664525u + 1013904223u;
  return (float)((*state >> 8) & 0xffff) / 65536.0f - 0.5f;
}

int main(void) {
  const int64_t shapes[][2] = {{1, 1}, {3, 7}, {2, 33}, {5, 2}};
  unsigned seed = 7;
  float w[6], r[9], b[3], rb[3];
  for (int i = 0; i < 6; ++i) w[i] = value(&seed);
  for (int i = 0; i < 9; ++i) r[i] = value(&seed);
  for (int i = 0; i < 3; ++i) { b[i] = value(&seed); rb[i] = value(&seed); }
  double worst = 0;
  for (int s = 0; s < 4; ++s) {
    int64_t B = shapes[s][0], T = shapes[s][1];
    float *x = malloc(sizeof(float) * B * T * 2), *h0 = malloc(sizeof(float) * B * 3);
    float *y = malloc(sizeof(float) * B * T * 3), *h = malloc(sizeof(float) * B * 3);
    for (int64_t i = 0; i < B * T * 2; ++i) x[i] = 2 * value(&seed);
    for (int64_t i = 0; i < B * 3; ++i) h0[i] = value(&seed);
    int status = seqc_elman(B, T, x, w, r, b, rb, h0, y, h);
    if (status != 0) { printf("status %d at B=%lld T=%lld\n", status, (long long)B, (long long)T); return 1; }
    for (int64_t n = 0; n < B; ++n) {
      double prev[3] = {h0[n * 3], h0[n * 3 + 1], h0[n * 3 + 2]}, next[3];
      for (int64_t t = 0; t < T; ++t) {
        const float *xt = x + (n * T + t) * 2;
        for (int j = 0; j < 3; ++j) {
          double a = b[j] + rb[j];
          for (int i = 0; i < 2; ++i) a += xt[i] * w[i * 3 + j];
          for (int i = 0; i < 3; ++i) a += prev[i] * r[i * 3 + j];
          next[j] = tanh(a);
        }
        for (int j = 0; j < 3; ++j) {
          prev[j] = next[j];
          double e = fabs(y[(n * T + t) * 3 + j] - next[j]);
          worst = e > worst ? e : worst;
        }
      }
      for (int j = 0; j < 3; ++j) {
        double e = fabs(h[n * 3 + j] - prev[j]);
        worst = e > worst ? e : worst;
      }
    }
    printf("B=%lld T=%lld: OK\n", (long long)B, (long long)T);
    free(x); free(h0); free(y); free(h);
  }
  printf("max error %.3g: %s\n", worst, worst < 1e-5 ? "OK" : "MISMATCH");
  float dummy[8];
  printf("batch 0: status %d\n", seqc_elman(0, 4, dummy, w, r, b, rb, dummy, dummy, dummy));
  printf("time -1: status %d\n", seqc_elman(1, -1, dummy, w, r, b, rb, dummy, dummy, dummy));
  printf("overflowing sizes: status %d\n",
         seqc_elman(INT64_C(1) << 40, INT64_C(1) << 30, dummy, w, r, b, rb, dummy, dummy, dummy));
  return 0;
}
