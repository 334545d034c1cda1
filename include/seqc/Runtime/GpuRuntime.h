/*===- GpuRuntime.h - the seqc GPU runtime (C API) ---------------*- C -*-===//
 *
 * The runtime that compiled GPU bundles and seqc-gpu-check link against. It
 * has no MLIR dependency and loads the CUDA driver (libcuda.so.1) with
 * dlopen on first use, so that everything builds and runs on machines
 * without a driver: every entry point then fails cleanly with
 * SEQC_RT_NO_DRIVER ("no CUDA driver").
 *
 * Errors are sticky per thread: the first failing driver call is recorded
 * with a readable message, later device work of the same call is skipped,
 * and seqc_rt_end() returns the code. The host code that MLIR generates for
 * gpu.launch_func / gpu.alloc calls the mgpu* entry points that this
 * library also exports (the ABI of MLIR's CUDA runtime wrappers).
 *
 *===----------------------------------------------------------------------===*/
#ifndef SEQC_RUNTIME_GPURUNTIME_H
#define SEQC_RUNTIME_GPURUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  SEQC_RT_SUCCESS = 0,
  SEQC_RT_NO_DRIVER = 1,     /* libcuda.so.1 could not be loaded */
  SEQC_RT_NO_DEVICE = 2,     /* the driver sees no CUDA device */
  SEQC_RT_DRIVER_ERROR = 3,  /* a driver call failed; see the message */
  SEQC_RT_INVALID_ARGUMENT = 4
};

/* Kernels whose name contains this are launched cooperatively
 * (cuLaunchCooperativeKernel: all blocks resident at once, or an error
 * instead of a deadlock): the persistent kernels with grid barriers of
 * seq-persistent-time-loops. */
#define SEQC_RT_COOPERATIVE_SUFFIX "_cooperative"

/* Whether the kernel `name` is launched cooperatively: it contains the
 * suffix (symbol uniquing may append "_<n>"). Inline, so that the compiler
 * writing manifests shares it without linking the runtime. */
static inline int seqc_rt_is_cooperative_kernel(const char *name) {
  return strstr(name, SEQC_RT_COOPERATIVE_SUFFIX) != NULL;
}

/* Loads the driver and makes the primary context of device 0 current on the
 * calling thread. Idempotent; returns a SEQC_RT_* code, and on failure
 * seqc_rt_last_message() says why. Call it outside compiled calls. */
int seqc_rt_init(void);

/* The message of the last error recorded on this thread ("" if none). */
const char *seqc_rt_last_message(void);

/* A fixed description of a SEQC_RT_* code. */
const char *seqc_rt_code_name(int code);

/* Brackets one call of a compiled function: device work is queued on
 * `stream` (a CUstream, NULL for the default stream); seqc_rt_end returns
 * the first error recorded since seqc_rt_begin. */
int seqc_rt_begin(void *stream);
int seqc_rt_end(void);

/* Fails a call before it starts (an argument the bundle cannot take):
 * records `code` and `message` as the call's error, returns `code`. */
int seqc_rt_reject(int code, const char *message);

/* Device description for reports: name, compute capability, SM count. */
int seqc_rt_device_info(char *name, int nameSize, int *major, int *minor,
                        int *multiprocessors);

/* Memory and timing for tools that drive bundles (seqc-gpu-check). */
int seqc_rt_malloc(void **devicePointer, size_t bytes);
int seqc_rt_free(void *devicePointer);
int seqc_rt_copy_to_device(void *devicePointer, const void *host,
                           size_t bytes);
int seqc_rt_copy_to_host(void *host, const void *devicePointer,
                         size_t bytes);
/* Fills `bytes` (a multiple of 4) with the 32-bit pattern `value`. */
int seqc_rt_fill32(void *devicePointer, uint32_t value, size_t bytes);
int seqc_rt_synchronize(void);
/* Milliseconds between two event records around work on `stream`. */
int seqc_rt_event_create(void **event);
int seqc_rt_event_record(void *event, void *stream);
int seqc_rt_event_elapsed_ms(float *milliseconds, void *start, void *stop);
int seqc_rt_event_destroy(void *event);

#ifdef __cplusplus
}
#endif

#endif /* SEQC_RUNTIME_GPURUNTIME_H */
