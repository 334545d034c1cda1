//===- HardwareModel.cpp - built-in chips, host detection, model files ----===//
#include "autotune/HardwareModel.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace seqc::autotune {

namespace {

/// Reads a sysfs cache size ("32K", "1024K", "32M") in bytes.
std::optional<int64_t> readSysfsSize(const std::string &path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty())
    return std::nullopt;
  int64_t scale = 1;
  char unit = text.back();
  if (unit == 'K')
    scale = 1024;
  else if (unit == 'M')
    scale = 1024 * 1024;
  if (scale != 1)
    text.pop_back();
  try {
    return std::stoll(text) * scale;
  } catch (...) {
    return std::nullopt;
  }
}

/// Data/unified cache sizes per level from sysfs; false when absent.
bool cachesFromSysfs(HardwareModel &cpu) {
  bool found = false;
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        fmt::format("/sys/devices/system/cpu/cpu0/cache/index{}/", index);
    std::ifstream levelFile(dir + "level"), typeFile(dir + "type");
    int level = 0;
    std::string type;
    if (!(levelFile >> level) || !(typeFile >> type))
      break;
    if (type == "Instruction")
      continue;
    std::optional<int64_t> size = readSysfsSize(dir + "size");
    if (!size)
      continue;
    found = true;
    (level == 1 ? cpu.l1Bytes : level == 2 ? cpu.l2Bytes : cpu.l3Bytes) =
        *size;
  }
  return found && cpu.l1Bytes > 0 && cpu.l2Bytes > 0;
}

/// Deterministic cache parameters leaf (Intel leaf 4, AMD 0x8000001D:
/// the same register layout).
bool cachesFromCpuid(HardwareModel &cpu) {
#if defined(__x86_64__) || defined(__i386__)
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx))
    return false;
  bool amd = ebx == 0x68747541; // "Auth"enticAMD
  unsigned leaf = amd ? 0x8000001D : 4;
  bool found = false;
  for (unsigned sub = 0; sub < 8; ++sub) {
    if (!__get_cpuid_count(leaf, sub, &eax, &ebx, &ecx, &edx))
      return false;
    unsigned type = eax & 0x1f; // 0 none, 1 data, 2 instruction, 3 unified
    if (type == 0)
      break;
    if (type == 2)
      continue;
    unsigned level = (eax >> 5) & 0x7;
    int64_t ways = ((ebx >> 22) & 0x3ff) + 1,
            partitions = ((ebx >> 12) & 0x3ff) + 1, line = (ebx & 0xfff) + 1,
            sets = int64_t(ecx) + 1;
    int64_t size = ways * partitions * line * sets;
    (level == 1 ? cpu.l1Bytes : level == 2 ? cpu.l2Bytes : cpu.l3Bytes) = size;
    found = true;
  }
  return found && cpu.l1Bytes > 0 && cpu.l2Bytes > 0;
#else
  (void)cpu;
  return false;
#endif
}

int widestVectorBytes() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return 64;
  if (__builtin_cpu_supports("avx2"))
    return 32;
#endif
  return 16;
}

bool hasBf16DotProduct() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512bf16");
#else
  return false;
#endif
}

HardwareModel gpu(const std::string &name, const std::string &arch,
                      int sms, double bandwidth, double peak,
                      int64_t sharedPerBlock, int64_t sharedPerSM,
                      int64_t l2, double memoryLatency) {
  HardwareModel t;
  t.name = name;
  t.isGpu = true;
  t.arch = arch;
  t.sms = sms;
  t.bandwidth = bandwidth;
  t.peakFlops = peak; // dense bf16 tensor cores
  // A dependent step within one kernel, and a launch.
  t.stepLatency = arch == "sm_80" ? 1e-6 : 0.8e-6;
  t.launchLatency = arch == "sm_80" ? 5e-6 : 4e-6;
  t.sequentialEfficiency = 0.05;
  t.prefixEfficiency = 0.5;
  // Measured: the chunkwise form's intra-chunk products are generic loop
  // kernels (no tensor cores yet); GLA B=2 T=4096 H=4 d=64 at C=512 ran
  // 5.1 GFLOP in 3.07 ms on an H200, 0.2% of the bf16 tensor-core peak
  // (benchmarks/results/gpu/tune/import_large_h200.txt).
  t.chunkwiseEfficiency = 0.002;
  t.sharedPerBlock = sharedPerBlock;
  t.sharedPerSM = sharedPerSM;
  t.l2BytesGpu = l2;
  t.memoryLatency = memoryLatency;
  t.threadStepLatency = arch == "sm_80" ? 4 / 1.41e9 : 4 / 1.98e9;
  // Measured on an H200: GLA's chunk loop costs ~0.14 ms a chunk for its
  // seven kernels at chunk sizes 64-512 (import_large_h200.txt).
  t.chunkKernelTime = 20e-6;
  // Measured on an H200, bf16 LSTMs as CUDA graphs
  // (benchmarks/results/gpu/fused/ and variants/, benchmarks/README.md):
  // the fused step of 12 heads x 64 (a block reads 4 KiB of h) took 4.6 us;
  // of B16 H768, B64 H1024 and B256 H512 (every block reads all of h: 6.3,
  // 35 and 69 MB a step) 7.2-7.9, 25.8 and 57.7 us: 1.3-1.9 TB/s beyond the
  // 4.5 us. The alternating step's h R kernel: 537 MFLOP in 122 us at B64
  // H1024 and at B256 H512 (4.4 TFLOP/s), 33.5 MB of weights in 211 us at
  // B16 H2048 (160 GB/s; H768: 4.7 MB in 29.6 us). The fused kernel with
  // weights that do not fit (B16 H2048): 555 us a step, 60 GB/s. The
  // A100's are these scaled by its clock, not measured.
  double clockRatio = arch == "sm_80" ? 1.98 / 1.41 : 1.0;
  t.fusedStepLatency = 4.5e-6 * clockRatio;
  t.fusedStateBandwidth = 1.5e12 / clockRatio;
  t.fusedWeightBandwidth = 60e9 / clockRatio;
  t.stepWeightBandwidth = 160e9 / clockRatio;
  t.stepFlopRate = 4.4e12 / clockRatio;
  // The same step on tensor cores (results/gpu/alternating_mma/, launched
  // times): B16 H2048, B64 H1024 and B256 H512 (1.6 GFLOP of products with
  // three terms each) took 48-53 us a step, 34-39 beyond the launches:
  // 45 TFLOP/s; B16 H768 (14 MB of tile traffic) 23.4 us: 2 TB/s.
  t.stepMmaFlopRate = 45e12 / clockRatio;
  t.stepMmaBandwidth = 2e12 / clockRatio;
  return t;
}

std::optional<HardwareModel> fromModelFile(const std::string &path,
                                               std::string &error) {
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("unknown target '{}': not a built-in name ({}) and "
                        "no model file at that path",
                        path, builtinTargetNames());
    return std::nullopt;
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception &e) {
    error = fmt::format("target model file '{}' is not valid JSON: {}", path,
                        e.what());
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("kind") ||
      (j["kind"] != "cpu" && j["kind"] != "gpu")) {
    error = fmt::format("target model file '{}': needs \"kind\": \"cpu\" or "
                        "\"gpu\"",
                        path);
    return std::nullopt;
  }
  HardwareModel t;
  if (j["kind"] == "gpu") {
    // A GPU file starts from the chip whose code it runs (its "arch").
    std::string arch = j.value("arch", "");
    std::string ignored;
    std::optional<HardwareModel> base =
        arch == "sm_80" || arch == "sm_90" ? lookupTarget(arch, ignored)
                                           : std::nullopt;
    if (!base) {
      error = fmt::format("target model file '{}': a GPU needs \"arch\": "
                          "\"sm_80\" or \"sm_90\" (the code seqc generates)",
                          path);
      return std::nullopt;
    }
    t = *base;
  } else {
    t = detectHostCpu();
  }
  t.cacheSource = t.isGpu ? t.cacheSource : "model file";
  try {
    t.name = j.value("name", path);
    auto read = [&](const char *key, auto &field) {
      if (j.contains(key))
        field = j.at(key).get<std::decay_t<decltype(field)>>();
    };
    read("bandwidth", t.bandwidth);
    read("peak_flops", t.peakFlops);
    read("step_latency", t.stepLatency);
    read("launch_latency", t.launchLatency);
    read("sequential_efficiency", t.sequentialEfficiency);
    read("prefix_efficiency", t.prefixEfficiency);
    read("chunkwise_efficiency", t.chunkwiseEfficiency);
    read("cores", t.cores);
    read("vector_bytes", t.vectorBytes);
    read("vector_registers", t.vectorRegisters);
    read("bf16_dot_product", t.bf16DotProduct);
    read("l1_bytes", t.l1Bytes);
    read("l2_bytes", t.l2Bytes);
    read("l3_bytes", t.l3Bytes);
    read("sms", t.sms);
    read("warp_size", t.warpSize);
    read("max_threads_per_block", t.maxThreadsPerBlock);
    read("max_threads_per_sm", t.maxThreadsPerSM);
    read("max_blocks_per_sm", t.maxBlocksPerSM);
    read("registers_per_sm", t.registersPerSM);
    read("max_registers_per_thread", t.maxRegistersPerThread);
    read("shared_per_block", t.sharedPerBlock);
    read("shared_per_sm", t.sharedPerSM);
    read("gpu_l2_bytes", t.l2BytesGpu);
    read("memory_latency", t.memoryLatency);
    read("thread_step_latency", t.threadStepLatency);
    read("chunk_kernel_time", t.chunkKernelTime);
    read("fused_step_latency", t.fusedStepLatency);
    read("fused_state_bandwidth", t.fusedStateBandwidth);
    read("step_weight_bandwidth", t.stepWeightBandwidth);
    read("fused_weight_bandwidth", t.fusedWeightBandwidth);
    read("step_flop_rate", t.stepFlopRate);
    read("step_mma_flop_rate", t.stepMmaFlopRate);
    read("step_mma_bandwidth", t.stepMmaBandwidth);
    read("efficiency_overrides", t.efficiencyOverrides);
  } catch (const nlohmann::json::exception &e) {
    error = fmt::format("target model file '{}': {}", path, e.what());
    return std::nullopt;
  }
  if (t.bandwidth <= 0 || t.peakFlops <= 0 ||
      (t.isGpu && (t.sms <= 0 || t.warpSize <= 0)) ||
      (!t.isGpu && (t.cores <= 0 || t.l2Bytes <= 0))) {
    error = fmt::format("target model file '{}': bandwidth, peak_flops and "
                        "{} must be positive",
                        path, t.isGpu ? "sms, warp_size" : "cores, l2_bytes");
    return std::nullopt;
  }
  return t;
}

} // namespace

const char *builtinTargetNames() {
  return "cpu, sm_80, a100, sm_90, h100, h200";
}

HardwareModel detectHostCpu() {
  HardwareModel cpu;
  cpu.name = "cpu";
  cpu.cores = std::max(1u, std::thread::hardware_concurrency());
  cpu.vectorBytes = widestVectorBytes();
  // AVX-512 doubles the register file as well as its width.
  cpu.vectorRegisters = cpu.vectorBytes == 64 ? 32 : 16;
  cpu.bf16DotProduct = hasBf16DotProduct();
  if (cachesFromSysfs(cpu)) {
    cpu.cacheSource = "sysfs";
  } else if (cachesFromCpuid(cpu)) {
    cpu.cacheSource = "cpuid";
  } else {
    // The smallest caches of any x86-64 server core of the last decade:
    // a tiling that fits these fits everywhere.
    cpu.l1Bytes = 32 << 10;
    cpu.l2Bytes = 512 << 10;
    cpu.l3Bytes = 8 << 20;
    cpu.cacheSource = "fallback";
  }
  // One thread of this project's machines: bandwidth and the efficiencies
  // of today's (serial) lowerings, measured by the benchmarks.
  cpu.bandwidth = 24e9;
  cpu.peakFlops = 96e9;
  cpu.stepLatency = 2e-9;
  cpu.launchLatency = 0;
  cpu.sequentialEfficiency = 0.05;
  cpu.prefixEfficiency = 0.004;
  cpu.chunkwiseEfficiency = 0.004;
  // Softmax attention's loop nests are not the linear scan's: measured on
  // benchmarks/softmax_forms.py (B=1 H=4 T=4096 d=64, 2 cores).
  cpu.efficiencyOverrides = {{"seq.softmax_attention/sequential", 0.012},
                             {"seq.softmax_attention/chunkwise", 0.030},
                             {"seq.softmax_attention/parallel", 0.026},
  // The matrix-state ops: measured on benchmarks/gla_forms.py and
  // deltanet_forms.py (B=2 H=4 T=4096 d=64, 2 cores, vectorized
  // exponentials): the sequential forms at ~20 GFLOP/s, GLA's chunked form
  // at ~29 (its masked intra-chunk products are loops); the delta rule's
  // chunked form, whose batched matmuls (the UT transform's among them) are
  // register-blocked microkernels since issue 20, at ~42 (re-measured
  // 2026-12-07: sequential 39.7 ms, chunkwise C=16 38.0 ms).
                             {"seq.linear_attention/sequential", 0.21},
                             {"seq.linear_attention/chunkwise", 0.30},
                             {"seq.linear_attention/parallel", 0.30},
                             {"seq.delta_rule/sequential", 0.21},
                             {"seq.delta_rule/chunkwise", 0.44},
  // The chunked linear scan's per-step sums over its chunk (exponential,
  // sign, select; loops over the channels), B=4 T=4096 R=256: ~5 GFLOP/s.
                             {"seq.linear_scan/chunkwise", 0.055}};
  // A fork and join of the OpenMP team per loop nest (~20 us here).
  cpu.chunkKernelTime = 20e-6;
  return cpu;
}

std::optional<HardwareModel> lookupTarget(const std::string &name,
                                              std::string &error) {
  if (name == "cpu")
    return detectHostCpu();
  // Spec-sheet numbers: SXM parts, dense bf16 tensor-core peak, opt-in
  // shared memory per block.
  if (name == "sm_80" || name == "a100")
    return gpu("sm_80", "sm_80", 108, 1.5e12, 312e12, 166912, 167936,
               40 << 20, 600e-9);
  if (name == "sm_90" || name == "h100")
    return gpu("sm_90", "sm_90", 132, 3.35e12, 989e12, 232448, 233472,
               50 << 20, 600e-9);
  if (name == "h200")
    return gpu("h200", "sm_90", 132, 4.8e12, 989e12, 232448, 233472,
               50 << 20, 600e-9);
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0)
    return fromModelFile(name, error);
  error = fmt::format("unknown target '{}' (expected {} or a .json model "
                      "file)",
                      name, builtinTargetNames());
  return std::nullopt;
}

std::string targetFingerprint(const HardwareModel &t) {
  if (t.isGpu)
    return fmt::format("gpu {} arch={} sms={} bw={:g} peak={:g} "
                       "regs/sm={} smem/block={} warp={}",
                       t.name, t.arch, t.sms, t.bandwidth, t.peakFlops,
                       t.registersPerSM, t.sharedPerBlock, t.warpSize);
  return fmt::format("cpu cores={} vector={}B l1={} l2={} l3={}", t.cores,
                     t.vectorBytes, t.l1Bytes, t.l2Bytes, t.l3Bytes);
}

} // namespace seqc::autotune
