//===- linear_scan_cpu.cpp - seq.linear_scan on the CPU vs a hand loop ----===//
//
// Compiles `seq.linear_scan` (B=16, T=4096, D=1024, f32, sequential form)
// through the same pipeline as `seqc run`, JIT-compiles it, and times it in
// one process against:
//   - a hand-written C++ loop (what a user would write, -O3 -march=native);
//   - STREAM add, h = a + b: the same bytes moved (read a and b, write h)
//     with no dependence chain: the memory-bandwidth bound;
//   - memcpy of one array: the raw copy bandwidth.
// All buffers are allocated and touched once before timing (first-touch page
// faults are slow on these machines); each kernel runs once to warm up,
// then `--repeats` times; the median is reported.
//
// Usage: seqc-bench-linear-scan [--repeats N] [--csv FILE]
//
//===----------------------------------------------------------------------===//
#include "seqc/InitAll.h"
#include "seqc/Pipelines/CpuPipeline.h"
#include "seqc/Target/CPU/CpuExecutable.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <vector>

namespace cl = llvm::cl;
static cl::opt<unsigned> repeats("repeats", cl::init(5),
                                 cl::desc("Timed runs per kernel"));
static cl::opt<std::string> csvPath("csv", cl::init(""),
                                    cl::desc("Write the table as CSV"));

// Defined in hand_loop.cpp, compiled with -march=native.
void handLinearScan(const float *a, const float *b, float *h, float *last,
                    long batch, long steps, long width);
void streamAdd(const float *a, const float *b, float *h, long n);

static double medianMs(const std::function<void()> &kernel) {
  kernel(); // warm-up
  std::vector<double> times;
  for (unsigned i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    kernel();
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "seq.linear_scan CPU benchmark\n");
  const long B = 16, T = 4096, D = 1024, n = B * T * D;
  std::string shape = "16x4096x1024xf32", state = "16x1024xf32";
  std::string source =
      "func.func @scan(%a: tensor<" + shape + ">, %b: tensor<" + shape +
      ">) -> (tensor<" + shape + ">, tensor<" + state +
      ">) {\n  %h, %last = seq.linear_scan %a, %b : (tensor<" + shape +
      ">, tensor<" + shape + ">) -> (tensor<" + shape + ">, tensor<" + state +
      ">)\n  return %h, %last : tensor<" + shape + ">, tensor<" + state +
      ">\n}\n";

  seqc::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  seqc::registerAllDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  mlir::PassManager pm(&context);
  if (!module || failed(seqc::buildCpuPipeline(pm)) ||
      failed(pm.run(*module))) {
    llvm::errs() << "benchmark: compiling the linear scan failed\n";
    return 1;
  }
  auto executable = seqc::CpuExecutable::create(*module);
  if (!executable) {
    llvm::errs() << "benchmark: " << llvm::toString(executable.takeError())
                 << "\n";
    return 1;
  }

  std::vector<float> a(n), b(n), h(n), last(B * D), h2(n), last2(B * D);
  std::mt19937 rng(0);
  std::uniform_real_distribution<float> decay(0.5f, 0.999f), value(-1, 1);
  for (long i = 0; i < n; ++i) {
    a[i] = decay(rng);
    b[i] = value(rng);
  }
  std::vector<int64_t> seqShape = {B, T, D}, stateShape = {B, D};
  std::vector<seqc::MemRefArgument> args = {{a.data(), seqShape},
                                            {b.data(), seqShape},
                                            {h.data(), seqShape},
                                            {last.data(), stateShape}};
  auto call = (*executable)->prepare("scan", args);
  if (!call) {
    llvm::errs() << "benchmark: " << llvm::toString(call.takeError()) << "\n";
    return 1;
  }
  double compiled = medianMs([&] { (void)call->run(); });
  double hand = medianMs(
      [&] { handLinearScan(a.data(), b.data(), h2.data(), last2.data(), B, T, D); });
  double add = medianMs([&] { streamAdd(a.data(), b.data(), h2.data(), n); });
  double copy = medianMs([&] { std::memcpy(h2.data(), a.data(), n * 4); });
  // The compiled result must match the hand loop exactly (same operations
  // in the same order).
  handLinearScan(a.data(), b.data(), h2.data(), last2.data(), B, T, D);
  double worst = 0;
  for (long i = 0; i < n; ++i)
    worst = std::max(worst, double(std::fabs(h[i] - h2[i])));

  double bytes = 3.0 * n * 4; // read a and b, write h
  struct Row {
    const char *kernel;
    double ms;
    double gbPerS;
  } rows[] = {{"seqc linear_scan (sequential)", compiled, bytes / compiled / 1e6},
              {"hand-written C++ loop", hand, bytes / hand / 1e6},
              {"STREAM add h = a + b", add, bytes / add / 1e6},
              {"memcpy (one array)", copy, 2.0 * n * 4 / copy / 1e6}};
  llvm::outs() << "seq.linear_scan B=16 T=4096 D=1024 f32, median of "
               << repeats << " runs (max |seqc - hand| = "
               << llvm::format("%.1e", worst) << ")\n";
  llvm::outs() << llvm::format("%-32s %10s %10s %14s\n", "kernel", "ms",
                               "GB/s", "seqc / kernel");
  for (const Row &row : rows)
    llvm::outs() << llvm::format("%-32s %10.2f %10.1f %14.3f\n", row.kernel,
                                 row.ms, row.gbPerS, compiled / row.ms);
  if (!csvPath.empty()) {
    std::ofstream csv(csvPath);
    csv << "kernel,B,T,D,dtype,ms,GB_per_s,seqc_over_kernel\n";
    for (const Row &row : rows)
      csv << row.kernel << ",16,4096,1024,f32," << row.ms << "," << row.gbPerS
          << "," << compiled / row.ms << "\n";
    llvm::outs() << "wrote " << csvPath << "\n";
  }
  return worst == 0.0 ? 0 : 1;
}
