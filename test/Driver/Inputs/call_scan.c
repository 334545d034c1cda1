/* Calls the seqc-compiled linear scan through its C ABI and compares with a
 * plain loop. */
#include "scan.h"

#include <math.h>
#include <stdio.h>

int main(void) {
  float a[2][5][3], b[2][5][3], h[2][5][3], last[2][3];
  for (int n = 0; n < 2; ++n)
    for (int t = 0; t < 5; ++t)
      for (int c = 0; c < 3; ++c) {
        a[n][t][c] = 0.5f + 0.1f * c;
        b[n][t][c] = (float)(n + t - c);
      }
  if (seqc_scan(&a[0][0][0], &b[0][0][0], &h[0][0][0], &last[0][0]) != 0)
    return 2;
  float worst = 0;
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 3; ++c) {
      float state = 0;
      for (int t = 0; t < 5; ++t) {
        state = a[n][t][c] * state + b[n][t][c];
        worst = fmaxf(worst, fabsf(state - h[n][t][c]));
      }
      worst = fmaxf(worst, fabsf(state - last[n][c]));
    }
  printf("max error %g: %s\n", worst, worst < 1e-5f ? "OK" : "MISMATCH");
  return worst < 1e-5f ? 0 : 1;
}
