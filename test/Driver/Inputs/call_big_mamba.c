/* Calls the big_mamba bundle once on zero inputs; prints its return code. */
#include "big_mamba.h"

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  float *u = calloc(4096 * 512, sizeof(float));
  float *a_log = calloc(512 * 64, sizeof(float));
  float *x_proj = calloc(512 * 136, sizeof(float));
  float *dt_proj = calloc(8 * 512, sizeof(float));
  float *dt_bias = calloc(512, sizeof(float));
  float *d = calloc(512, sizeof(float));
  float *y = calloc(4096 * 512, sizeof(float));
  float *h = calloc(512 * 64, sizeof(float));
  int status = seqc_big_mamba(u, a_log, x_proj, dt_proj, dt_bias, d, y, h);
  printf("seqc_big_mamba returned %d\n", status);
  return status;
}
