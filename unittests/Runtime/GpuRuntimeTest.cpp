//===- GpuRuntimeTest.cpp - the GPU runtime without a driver --------------===//
//
// Machines that build seqc have no CUDA driver: every entry point must then
// fail cleanly with SEQC_RT_NO_DRIVER and a readable message, and the mgpu*
// ABI that generated host code calls must neither crash nor launch.
//
//===----------------------------------------------------------------------===//
#include "seqc/Runtime/GpuRuntime.h"

#include "gtest/gtest.h"

#include <dlfcn.h>

#include <string>

extern "C" {
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t, intptr_t, intptr_t, intptr_t,
                      intptr_t, intptr_t, int32_t, void *, void **, void **,
                      size_t);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared);
void *mgpuStreamCreate();
}

namespace {

bool driverPresent() {
  void *handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (handle)
    dlclose(handle);
  return handle != nullptr;
}

TEST(GpuRuntime, NoDriverIsACleanError) {
  if (driverPresent())
    GTEST_SKIP() << "a CUDA driver is installed";
  EXPECT_EQ(seqc_rt_init(), SEQC_RT_NO_DRIVER);
  EXPECT_STREQ(seqc_rt_last_message(),
               "no CUDA driver: libcuda.so.1 could not be loaded");
  EXPECT_EQ(seqc_rt_begin(nullptr), SEQC_RT_NO_DRIVER);
  EXPECT_NE(std::string(seqc_rt_last_message()).find("no CUDA driver"),
            std::string::npos);
  EXPECT_EQ(seqc_rt_end(), SEQC_RT_NO_DRIVER);
  EXPECT_STREQ(seqc_rt_code_name(SEQC_RT_NO_DRIVER), "no CUDA driver");
}

TEST(GpuRuntime, GeneratedHostCodeDoesNothingAfterAnError) {
  if (driverPresent())
    GTEST_SKIP() << "a CUDA driver is installed";
  // What a bundle's global constructor does when it is loaded.
  EXPECT_EQ(mgpuModuleLoad(nullptr, 0), nullptr);
  // What a call does: begin fails, every later step is skipped.
  EXPECT_EQ(seqc_rt_begin(nullptr), SEQC_RT_NO_DRIVER);
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  EXPECT_EQ(mgpuMemAlloc(1024, nullptr, false), nullptr);
  EXPECT_EQ(mgpuModuleGetFunction(nullptr, "kernel"), nullptr);
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr,
                   0);
  EXPECT_EQ(seqc_rt_end(), SEQC_RT_NO_DRIVER);
}

TEST(GpuRuntime, MemoryEntryPointsFailWithoutADriver) {
  if (driverPresent())
    GTEST_SKIP() << "a CUDA driver is installed";
  void *pointer = reinterpret_cast<void *>(0x1);
  EXPECT_EQ(seqc_rt_malloc(&pointer, 64), SEQC_RT_NO_DRIVER);
  EXPECT_EQ(pointer, nullptr);
  EXPECT_EQ(seqc_rt_free(nullptr), SEQC_RT_SUCCESS);
  int major = 0, minor = 0, sms = 0;
  char name[64];
  EXPECT_EQ(seqc_rt_device_info(name, sizeof name, &major, &minor, &sms),
            SEQC_RT_NO_DRIVER);
}

TEST(GpuRuntime, ArgumentsAreCheckedBeforeTheDriver) {
  EXPECT_EQ(seqc_rt_fill32(nullptr, 0, 6), SEQC_RT_INVALID_ARGUMENT);
}

} // namespace

// The persistent kernels of seq-persistent-time-loops are named
// <func>_persistent_cooperative; symbol uniquing may append "_<n>".
TEST(GpuRuntime, CooperativeKernelsAreKnownByName) {
  EXPECT_TRUE(seqc_rt_is_cooperative_kernel("lstm_persistent_cooperative"));
  EXPECT_TRUE(seqc_rt_is_cooperative_kernel("lstm_persistent_cooperative_0"));
  EXPECT_FALSE(seqc_rt_is_cooperative_kernel("lstm_kernel_3"));
  EXPECT_FALSE(seqc_rt_is_cooperative_kernel("cooperative"));
  EXPECT_FALSE(seqc_rt_is_cooperative_kernel(""));
}
