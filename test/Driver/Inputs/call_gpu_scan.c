/* Calls a GPU bundle's function on a machine without a CUDA driver: the
 * call must fail cleanly with SEQC_RT_NO_DRIVER and say why. */
#include "selective_scan.h"

#include <stdio.h>

int main(void) {
  int status = seqc_selective_scan(NULL, NULL, NULL, NULL, NULL, NULL);
  printf("status %d: %s\n", status, seqc_last_error());
  return status == 1 ? 0 : 1;
}
