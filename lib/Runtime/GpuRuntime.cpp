//===- GpuRuntime.cpp - CUDA driver loaded with dlopen --------------------===//
//
// No CUDA header is needed: the handful of driver types are opaque handles
// and ints, declared here, and every driver entry point is looked up by
// name. That keeps the runtime buildable (and its no-driver path testable)
// on machines with no CUDA at all.
//
//===----------------------------------------------------------------------===//
#include "seqc/Runtime/GpuRuntime.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <string>

namespace {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using Handle = void *;

constexpr int kAttrMultiprocessorCount = 16;
constexpr int kAttrComputeCapabilityMajor = 75;
constexpr int kAttrComputeCapabilityMinor = 76;
constexpr int kFuncAttrMaxDynamicSharedBytes = 8;
constexpr int kStaticSharedLimit = 48 * 1024;

/// The driver entry points seqc uses, resolved once.
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetName)(char *, int, CUdevice);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(Handle *, CUdevice);
  CUresult (*cuCtxSetCurrent)(Handle);
  CUresult (*cuModuleLoadData)(Handle *, const void *);
  CUresult (*cuModuleUnload)(Handle);
  CUresult (*cuModuleGetFunction)(Handle *, Handle, const char *);
  CUresult (*cuFuncSetAttribute)(Handle, int, int);
  CUresult (*cuLaunchKernel)(Handle, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, Handle, void **,
                             void **);
  CUresult (*cuLaunchCooperativeKernel)(Handle, unsigned, unsigned, unsigned,
                                        unsigned, unsigned, unsigned,
                                        unsigned, Handle, void **);
  CUresult (*cuStreamSynchronize)(Handle);
  CUresult (*cuStreamWaitEvent)(Handle, Handle, unsigned);
  CUresult (*cuCtxSynchronize)();
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, Handle);
  CUresult (*cuMemFreeAsync)(CUdeviceptr, Handle);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, Handle);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, Handle);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, Handle);
  CUresult (*cuMemsetD32)(CUdeviceptr, unsigned, size_t);
  CUresult (*cuEventCreate)(Handle *, unsigned);
  CUresult (*cuEventRecord)(Handle, Handle);
  CUresult (*cuEventSynchronize)(Handle);
  CUresult (*cuEventElapsedTime)(float *, Handle, Handle);
  CUresult (*cuEventDestroy)(Handle);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
};

struct State {
  std::once_flag once;
  int status = SEQC_RT_NO_DRIVER;
  std::string statusMessage;
  Driver driver{};
  CUdevice device = 0;
  Handle context = nullptr;
};

State &state() {
  static State s;
  return s;
}

/// Per thread: the stream of the call in flight and its first error.
thread_local Handle callStream = nullptr;
thread_local int firstError = SEQC_RT_SUCCESS;
thread_local std::string errorMessage;

int record(int code, const std::string &message) {
  if (firstError == SEQC_RT_SUCCESS) {
    firstError = code;
    errorMessage = message;
  }
  return code;
}

std::string describe(CUresult result) {
  const Driver &d = state().driver;
  const char *name = nullptr, *text = nullptr;
  if (d.cuGetErrorName)
    d.cuGetErrorName(result, &name);
  if (d.cuGetErrorString)
    d.cuGetErrorString(result, &text);
  std::string out = name ? name : "CUDA error " + std::to_string(result);
  if (text)
    out += std::string(" (") + text + ")";
  return out;
}

/// Records a failed driver call as "what: CUDA_ERROR_X (text)".
int check(CUresult result, const char *what) {
  if (result == 0)
    return SEQC_RT_SUCCESS;
  return record(SEQC_RT_DRIVER_ERROR, std::string(what) + ": " +
                                          describe(result));
}

template <typename F> bool resolve(void *library, F &slot, const char *name) {
  slot = reinterpret_cast<F>(dlsym(library, name));
  return slot != nullptr;
}

void load() {
  State &s = state();
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    s.status = SEQC_RT_NO_DRIVER;
    s.statusMessage = "no CUDA driver: libcuda.so.1 could not be loaded";
    return;
  }
  Driver &d = s.driver;
  bool ok = true;
#define SEQC_RESOLVE(field, symbol) ok &= resolve(library, d.field, symbol)
  SEQC_RESOLVE(cuInit, "cuInit");
  SEQC_RESOLVE(cuDeviceGetCount, "cuDeviceGetCount");
  SEQC_RESOLVE(cuDeviceGet, "cuDeviceGet");
  SEQC_RESOLVE(cuDeviceGetName, "cuDeviceGetName");
  SEQC_RESOLVE(cuDeviceGetAttribute, "cuDeviceGetAttribute");
  SEQC_RESOLVE(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  SEQC_RESOLVE(cuCtxSetCurrent, "cuCtxSetCurrent");
  SEQC_RESOLVE(cuModuleLoadData, "cuModuleLoadData");
  SEQC_RESOLVE(cuModuleUnload, "cuModuleUnload");
  SEQC_RESOLVE(cuModuleGetFunction, "cuModuleGetFunction");
  SEQC_RESOLVE(cuFuncSetAttribute, "cuFuncSetAttribute");
  SEQC_RESOLVE(cuLaunchKernel, "cuLaunchKernel");
  SEQC_RESOLVE(cuLaunchCooperativeKernel, "cuLaunchCooperativeKernel");
  SEQC_RESOLVE(cuStreamSynchronize, "cuStreamSynchronize");
  SEQC_RESOLVE(cuStreamWaitEvent, "cuStreamWaitEvent");
  SEQC_RESOLVE(cuCtxSynchronize, "cuCtxSynchronize");
  SEQC_RESOLVE(cuMemAlloc, "cuMemAlloc_v2");
  SEQC_RESOLVE(cuMemFree, "cuMemFree_v2");
  SEQC_RESOLVE(cuMemcpyAsync, "cuMemcpyAsync");
  SEQC_RESOLVE(cuMemcpyHtoD, "cuMemcpyHtoD_v2");
  SEQC_RESOLVE(cuMemcpyDtoH, "cuMemcpyDtoH_v2");
  SEQC_RESOLVE(cuMemsetD32Async, "cuMemsetD32Async");
  SEQC_RESOLVE(cuMemsetD16Async, "cuMemsetD16Async");
  SEQC_RESOLVE(cuMemsetD32, "cuMemsetD32_v2");
  SEQC_RESOLVE(cuEventCreate, "cuEventCreate");
  SEQC_RESOLVE(cuEventRecord, "cuEventRecord");
  SEQC_RESOLVE(cuEventSynchronize, "cuEventSynchronize");
  SEQC_RESOLVE(cuEventElapsedTime, "cuEventElapsedTime");
  SEQC_RESOLVE(cuEventDestroy, "cuEventDestroy_v2");
  SEQC_RESOLVE(cuGetErrorName, "cuGetErrorName");
  SEQC_RESOLVE(cuGetErrorString, "cuGetErrorString");
#undef SEQC_RESOLVE
  // Stream-ordered allocation is optional (CUDA 11.2+).
  resolve(library, d.cuMemAllocAsync, "cuMemAllocAsync");
  resolve(library, d.cuMemFreeAsync, "cuMemFreeAsync");
  if (!ok) {
    s.status = SEQC_RT_NO_DRIVER;
    s.statusMessage = "no usable CUDA driver: libcuda.so.1 lacks entry "
                      "points seqc needs (driver too old?)";
    return;
  }
  int count = 0;
  CUresult r = d.cuInit(0);
  if (r == 0)
    r = d.cuDeviceGetCount(&count);
  if (r != 0 || count == 0) {
    s.status = SEQC_RT_NO_DEVICE;
    s.statusMessage = "no CUDA device: " +
                      (r != 0 ? "cuInit: " + describe(r)
                              : std::string("the driver reports 0 devices"));
    return;
  }
  r = d.cuDeviceGet(&s.device, 0);
  if (r == 0)
    r = d.cuDevicePrimaryCtxRetain(&s.context, s.device);
  if (r != 0) {
    s.status = SEQC_RT_DRIVER_ERROR;
    s.statusMessage = "creating a context on device 0: " + describe(r);
    return;
  }
  s.status = SEQC_RT_SUCCESS;
}

/// Ready to issue driver calls on this thread, or records why not.
bool ready() {
  State &s = state();
  std::call_once(s.once, load);
  if (s.status != SEQC_RT_SUCCESS) {
    record(s.status, s.statusMessage);
    return false;
  }
  if (check(s.driver.cuCtxSetCurrent(s.context), "cuCtxSetCurrent"))
    return false;
  return true;
}

const Driver &drv() { return state().driver; }

/// Why the module of a bundle could not be loaded at library load time;
/// reported again by every call that needs one of its kernels.
std::mutex moduleErrorMutex;
std::string moduleLoadError;

} // namespace

extern "C" {

int seqc_rt_init(void) {
  // Not inside a call: this thread's error is the initialization's.
  firstError = SEQC_RT_SUCCESS;
  errorMessage.clear();
  return ready() ? SEQC_RT_SUCCESS : firstError;
}

const char *seqc_rt_last_message(void) { return errorMessage.c_str(); }

const char *seqc_rt_code_name(int code) {
  switch (code) {
  case SEQC_RT_SUCCESS:
    return "success";
  case SEQC_RT_NO_DRIVER:
    return "no CUDA driver";
  case SEQC_RT_NO_DEVICE:
    return "no CUDA device";
  case SEQC_RT_DRIVER_ERROR:
    return "CUDA driver error";
  case SEQC_RT_INVALID_ARGUMENT:
    return "invalid argument";
  }
  return "unknown error";
}

int seqc_rt_begin(void *stream) {
  firstError = SEQC_RT_SUCCESS;
  errorMessage.clear();
  callStream = stream;
  if (!ready())
    return firstError;
  return SEQC_RT_SUCCESS;
}

int seqc_rt_end(void) {
  callStream = nullptr;
  return firstError;
}

int seqc_rt_reject(int code, const char *message) {
  firstError = SEQC_RT_SUCCESS;
  errorMessage.clear();
  callStream = nullptr;
  return record(code, message);
}

int seqc_rt_device_info(char *name, int nameSize, int *major, int *minor,
                        int *multiprocessors) {
  if (!ready())
    return firstError;
  const Driver &d = drv();
  CUdevice dev = state().device;
  if (check(d.cuDeviceGetName(name, nameSize, dev), "cuDeviceGetName") ||
      check(d.cuDeviceGetAttribute(major, kAttrComputeCapabilityMajor, dev),
            "cuDeviceGetAttribute") ||
      check(d.cuDeviceGetAttribute(minor, kAttrComputeCapabilityMinor, dev),
            "cuDeviceGetAttribute") ||
      check(d.cuDeviceGetAttribute(multiprocessors, kAttrMultiprocessorCount,
                                   dev),
            "cuDeviceGetAttribute"))
    return firstError;
  return SEQC_RT_SUCCESS;
}

int seqc_rt_malloc(void **devicePointer, size_t bytes) {
  *devicePointer = nullptr;
  if (!ready())
    return firstError;
  CUdeviceptr p = 0;
  if (check(drv().cuMemAlloc(&p, bytes ? bytes : 1), "cuMemAlloc"))
    return firstError;
  *devicePointer = reinterpret_cast<void *>(p);
  return SEQC_RT_SUCCESS;
}

int seqc_rt_free(void *devicePointer) {
  if (!devicePointer)
    return SEQC_RT_SUCCESS;
  if (!ready())
    return firstError;
  return check(drv().cuMemFree(reinterpret_cast<CUdeviceptr>(devicePointer)),
               "cuMemFree");
}

int seqc_rt_copy_to_device(void *devicePointer, const void *host,
                           size_t bytes) {
  if (!ready())
    return firstError;
  return check(drv().cuMemcpyHtoD(reinterpret_cast<CUdeviceptr>(devicePointer),
                                  host, bytes),
               "cuMemcpyHtoD");
}

int seqc_rt_copy_to_host(void *host, const void *devicePointer,
                         size_t bytes) {
  if (!ready())
    return firstError;
  return check(drv().cuMemcpyDtoH(
                   host, reinterpret_cast<CUdeviceptr>(devicePointer), bytes),
               "cuMemcpyDtoH");
}

int seqc_rt_fill32(void *devicePointer, uint32_t value, size_t bytes) {
  if (bytes % 4)
    return record(SEQC_RT_INVALID_ARGUMENT,
                  "seqc_rt_fill32: size is not a multiple of 4 bytes");
  if (!ready())
    return firstError;
  return check(drv().cuMemsetD32(reinterpret_cast<CUdeviceptr>(devicePointer),
                                 value, bytes / 4),
               "cuMemsetD32");
}

int seqc_rt_synchronize(void) {
  if (!ready())
    return firstError;
  return check(drv().cuCtxSynchronize(), "cuCtxSynchronize");
}

int seqc_rt_event_create(void **event) {
  if (!ready())
    return firstError;
  return check(drv().cuEventCreate(event, 0), "cuEventCreate");
}

int seqc_rt_event_record(void *event, void *stream) {
  if (!ready())
    return firstError;
  return check(drv().cuEventRecord(event, stream), "cuEventRecord");
}

int seqc_rt_event_elapsed_ms(float *milliseconds, void *start, void *stop) {
  if (!ready())
    return firstError;
  if (check(drv().cuEventSynchronize(stop), "cuEventSynchronize"))
    return firstError;
  return check(drv().cuEventElapsedTime(milliseconds, start, stop),
               "cuEventElapsedTime");
}

int seqc_rt_event_destroy(void *event) {
  if (!ready())
    return firstError;
  return check(drv().cuEventDestroy(event), "cuEventDestroy");
}

//===----------------------------------------------------------------------===//
// The ABI of MLIR's CUDA runtime wrappers, called by the host code that
// gpu-to-llvm generates. None of these can return an error: failures are
// recorded and surface through seqc_rt_end().
//===----------------------------------------------------------------------===//

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  // Runs from a global constructor when a bundle is loaded: no call is in
  // flight, so the error is kept for the calls that need the module.
  firstError = SEQC_RT_SUCCESS;
  Handle module = nullptr;
  if (ready())
    check(drv().cuModuleLoadData(&module, data), "cuModuleLoadData");
  if (firstError != SEQC_RT_SUCCESS) {
    std::lock_guard<std::mutex> lock(moduleErrorMutex);
    moduleLoadError = "loading the bundle's GPU module: " + errorMessage;
  }
  firstError = SEQC_RT_SUCCESS;
  errorMessage.clear();
  return module;
}

void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return mgpuModuleLoad(data, 0);
}

void mgpuModuleUnload(void *module) {
  if (module && state().status == SEQC_RT_SUCCESS)
    drv().cuModuleUnload(module);
}

/// Kernels to launch cooperatively (SEQC_RT_COOPERATIVE_SUFFIX in the name):
/// their grid barriers need every block resident.
std::mutex cooperativeMutex;
std::set<void *> cooperativeFunctions;

bool isCooperative(void *function) {
  std::lock_guard<std::mutex> lock(cooperativeMutex);
  return cooperativeFunctions.count(function) != 0;
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  if (firstError != SEQC_RT_SUCCESS)
    return nullptr;
  if (!module) {
    std::lock_guard<std::mutex> lock(moduleErrorMutex);
    record(state().status != SEQC_RT_SUCCESS ? state().status
                                             : SEQC_RT_DRIVER_ERROR,
           moduleLoadError.empty() ? "the bundle's GPU module is not loaded"
                                   : moduleLoadError);
    return nullptr;
  }
  Handle function = nullptr;
  check(drv().cuModuleGetFunction(&function, module, name),
        (std::string("cuModuleGetFunction(") + name + ")").c_str());
  if (function && seqc_rt_is_cooperative_kernel(name)) {
    std::lock_guard<std::mutex> lock(cooperativeMutex);
    cooperativeFunctions.insert(function);
  }
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void ** /*extra*/,
                      size_t /*paramCount*/) {
  if (firstError != SEQC_RT_SUCCESS || !function)
    return;
  if (sharedBytes > kStaticSharedLimit &&
      check(drv().cuFuncSetAttribute(function, kFuncAttrMaxDynamicSharedBytes,
                                     sharedBytes),
            "cuFuncSetAttribute(max dynamic shared memory)"))
    return;
  if (isCooperative(function)) {
    // CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE when the blocks cannot all be
    // resident: an error, never a deadlocked grid barrier.
    check(drv().cuLaunchCooperativeKernel(function, gridX, gridY, gridZ,
                                          blockX, blockY, blockZ, sharedBytes,
                                          stream, params),
          "cuLaunchCooperativeKernel");
    return;
  }
  check(drv().cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                             blockZ, sharedBytes, stream, params, nullptr),
        "cuLaunchKernel");
}

void *mgpuStreamCreate() { return callStream; }

void mgpuStreamDestroy(void * /*stream*/) {
  // The stream belongs to the caller of the compiled function.
}

void mgpuStreamSynchronize(void *stream) {
  // Every op of a call is queued on the one call stream in program order,
  // the host code never reads device memory (seq-device-buffers rejects
  // it) and frees are stream-ordered: nothing needs the host to wait. A
  // call returns with its work queued, like any CUDA library call.
  (void)stream;
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  if (firstError != SEQC_RT_SUCCESS)
    return;
  check(drv().cuStreamWaitEvent(stream, event, 0), "cuStreamWaitEvent");
}

void *mgpuEventCreate() {
  Handle event = nullptr;
  if (firstError == SEQC_RT_SUCCESS)
    check(drv().cuEventCreate(&event, 0), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  if (event)
    drv().cuEventDestroy(event);
}

void mgpuEventSynchronize(void *event) {
  if (firstError != SEQC_RT_SUCCESS)
    return;
  check(drv().cuEventSynchronize(event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  if (firstError != SEQC_RT_SUCCESS)
    return;
  check(drv().cuEventRecord(event, stream), "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t bytes, void *stream, bool /*isHostShared*/) {
  if (firstError != SEQC_RT_SUCCESS)
    return nullptr;
  CUdeviceptr p = 0;
  size_t size = bytes ? bytes : 1;
  // Stream-ordered: temporaries of a call need no device-wide sync.
  if (drv().cuMemAllocAsync)
    check(drv().cuMemAllocAsync(&p, size, stream), "cuMemAllocAsync");
  else
    check(drv().cuMemAlloc(&p, size), "cuMemAlloc");
  return reinterpret_cast<void *>(p);
}

void mgpuMemFree(void *ptr, void *stream) {
  if (!ptr || state().status != SEQC_RT_SUCCESS)
    return;
  CUdeviceptr p = reinterpret_cast<CUdeviceptr>(ptr);
  if (drv().cuMemFreeAsync)
    drv().cuMemFreeAsync(p, stream);
  else
    drv().cuMemFree(p);
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  if (firstError != SEQC_RT_SUCCESS)
    return;
  check(drv().cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                            reinterpret_cast<CUdeviceptr>(src), bytes, stream),
        "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream) {
  if (firstError != SEQC_RT_SUCCESS)
    return;
  check(drv().cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                               count, stream),
        "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream) {
  if (firstError != SEQC_RT_SUCCESS)
    return;
  check(drv().cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                               count, stream),
        "cuMemsetD16Async");
}

} // extern "C"
