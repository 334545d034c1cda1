/* Calls a GPU bundle's function with a buffer that is not 16-byte aligned:
 * the call is refused before any work (SEQC_RT_INVALID_ARGUMENT), driver or
 * not, and says which buffer. */
#include "selective_scan.h"

#include <stdint.h>
#include <stdio.h>

int main(void) {
  const void *misaligned = (const void *)(uintptr_t)0x1008;
  int status = seqc_selective_scan(NULL, NULL, misaligned, NULL, NULL, NULL);
  printf("status %d: %s\n", status, seqc_last_error());
  return status == 4 ? 0 : 1;
}
