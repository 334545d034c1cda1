//===- seqc-gpu-check.cpp - run a GPU bundle, check it, time it -----------===//
//
//   seqc-gpu-check DIR [--warmup N] [--repeat N] [--csv FILE]
//
// For every function of every bundle manifest in DIR that has check
// vectors (seqc compile writes seeded inputs and the reference
// interpreter's outputs): copies the inputs to the device, poisons the
// outputs (all-ones bits: NaN), calls the function, compares every output
// with the reference (the tolerance of `seqc run --check`), then times the
// call with CUDA events (warm-up, repeats, median) and prints a table.
//   seqc-gpu-check DIR... : every bundle directory given.
// Exit status: 0 all passed, 1 a mismatch or failed call, 2 no usable GPU
// or a bad bundle.
//
// Links only the seqc runtime and the MLIR-free support library, so it is
// built here and carried to a GPU machine with the bundles.
//
//===----------------------------------------------------------------------===//
#include "seqc/Runtime/GpuRuntime.h"
#include "seqc/Support/HostTensor.h"

#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

using seqc::ElementType;
using seqc::HostTensor;

namespace {

struct Options {
  std::vector<std::string> directories;
  int warmup = 3, repeat = 20;
  std::string csv;
  /// Functions without check vectors get seeded inputs in (-1, 0) and are
  /// checked against the first bundle run with the same function and
  /// signature (for tuning candidates too large to carry check vectors).
  bool synthetic = false;
};

/// The first outputs of each function signature, when --synthetic.
std::map<std::string, std::pair<std::string, std::vector<HostTensor>>>
    firstOutputs;

int usage() {
  std::fprintf(stderr, "usage: seqc-gpu-check DIR... [--warmup N] [--repeat N] "
                       "[--csv FILE] [--synthetic]\n");
  return 2;
}

std::vector<std::string> manifestsIn(const std::string &directory) {
  std::vector<std::string> found;
  if (DIR *dir = opendir(directory.c_str())) {
    while (dirent *entry = readdir(dir)) {
      std::string name = entry->d_name;
      const std::string suffix = ".manifest.json";
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        found.push_back(directory + "/" + name);
    }
    closedir(dir);
  }
  std::sort(found.begin(), found.end());
  return found;
}

struct Row {
  std::string bundle, function;
  bool pass = false;
  double medianMs = 0, minMs = 0, maxMs = 0, gbPerSecond = 0;
  std::string note;
};

using PackedEntry = int (*)(void *, void *const *);

/// Checks and times one function; fills `row`. False on a failure that
/// counts as a mismatch.
bool runFunction(const Options &options, const std::string &directory,
                 void *library, const nlohmann::json &function, Row &row) {
  row.function = function.at("name").get<std::string>();
  bool synthetic = !function.contains("check");
  if (synthetic && !options.synthetic) {
    row.note = "no check vectors (compiled with --check-vectors=false)";
    row.pass = true;
    return true;
  }
  auto entry = reinterpret_cast<PackedEntry>(
      dlsym(library, function.at("packed_symbol").get<std::string>().c_str()));
  auto lastError =
      reinterpret_cast<const char *(*)()>(dlsym(library, "seqc_last_error"));
  if (!entry || !lastError) {
    row.note = "the library lacks " + function.at("packed_symbol").get<std::string>();
    return false;
  }
  const auto &parameters = function.at("parameters");
  std::vector<HostTensor> inputs, expected;
  std::string signature = row.function;
  if (synthetic) {
    // Uniform in (-1, 0): decays below one and log gates below zero, so
    // every family's recurrence stays bounded; the same for every bundle.
    std::mt19937_64 rng(0x5eec);
    std::uniform_real_distribution<double> uniform(-1.0, 0.0);
    for (const auto &p : parameters) {
      signature += " " + p.at("dtype").get<std::string>();
      for (int64_t d : p.at("shape").get<std::vector<int64_t>>())
        signature += "x" + std::to_string(d);
      if (p.at("direction") != "in")
        continue;
      HostTensor t(*seqc::parseDtypeName(p.at("dtype")),
                   p.at("shape").get<std::vector<int64_t>>());
      for (int64_t i = 0; i < t.numElements(); ++i)
        t.set(i, uniform(rng));
      inputs.push_back(std::move(t));
    }
    auto first = firstOutputs.find(signature);
    if (first != firstOutputs.end()) {
      expected = first->second.second;
      row.note = "checked against " + first->second.first;
    }
  } else {
    const auto &files = function.at("check").at("files");
    size_t fileIndex = 0;
    for (const auto &p : parameters) {
      HostTensor t;
      std::string error;
      std::string path =
          directory + "/" + files.at(fileIndex++).get<std::string>();
      if (!seqc::readNpy(path, t, error)) {
        row.note = error;
        return false;
      }
      (p.at("direction") == "in" ? inputs : expected).push_back(std::move(t));
    }
  }
  // Device buffers: inputs copied, outputs poisoned.
  std::vector<void *> buffers;
  std::vector<HostTensor> outputs;
  size_t bytesMoved = 0;
  bool ok = true;
  size_t inputIndex = 0;
  for (const auto &p : parameters) {
    std::vector<int64_t> shape = p.at("shape").get<std::vector<int64_t>>();
    // Validated when the manifest was read.
    ElementType type = *seqc::parseDtypeName(p.at("dtype"));
    HostTensor host(type, shape);
    size_t bytes = host.numElements() * seqc::elementSize(type);
    bytesMoved += bytes;
    // Allocated in whole 32-bit words, so that every output byte, an odd
    // trailing 16-bit element too, is poisoned.
    size_t allocated = (bytes + 3) / 4 * 4;
    void *device = nullptr;
    ok &= seqc_rt_malloc(&device, allocated) == SEQC_RT_SUCCESS;
    buffers.push_back(device);
    if (!ok)
      break;
    if (p.at("direction") == "in") {
      ok &= seqc_rt_copy_to_device(device, inputs[inputIndex++].data(),
                                   bytes) == SEQC_RT_SUCCESS;
    } else {
      ok &= seqc_rt_fill32(device, 0xFFFFFFFFu, allocated) == SEQC_RT_SUCCESS;
      outputs.push_back(std::move(host));
    }
  }
  auto release = [&] {
    for (void *b : buffers)
      seqc_rt_free(b);
  };
  if (!ok) {
    row.note = seqc_rt_last_message();
    release();
    return false;
  }
  int status = entry(nullptr, buffers.data());
  if (status != SEQC_RT_SUCCESS) {
    row.note = std::string(seqc_rt_code_name(status)) + ": " + lastError();
    release();
    return false;
  }
  size_t outputIndex = 0;
  row.pass = true;
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (parameters[i].at("direction") != "out")
      continue;
    HostTensor &out = outputs[outputIndex];
    seqc_rt_copy_to_host(out.data(), buffers[i],
                         out.numElements() * seqc::elementSize(out.type));
    // The first synthetic run of a signature is only checked to be finite
    // (against itself), and becomes the others' reference.
    const HostTensor &against =
        expected.empty() ? out : expected[outputIndex];
    std::vector<double> reference(against.numElements());
    for (size_t j = 0; j < reference.size(); ++j)
      reference[j] = against.get(j);
    seqc::Comparison c = seqc::compareToReference(out, reference);
    std::printf("  %-28s %-6s %-22s max abs err %.3e  max rel err %.3e  "
                "(rtol %.0e)  %s%s\n",
                row.function.c_str(),
                parameters[i].at("name").get<std::string>().c_str(),
                out.describe().c_str(), c.maxAbs, c.maxRel, c.rtol,
                c.pass() ? "PASS" : "FAIL",
                c.nonFinite ? "  (NaN/Inf or unwritten elements)" : "");
    row.pass &= c.pass();
    ++outputIndex;
  }
  if (synthetic && expected.empty() && row.pass) {
    firstOutputs[signature] = {row.bundle, outputs};
    row.note = "synthetic inputs; the reference for the others";
  }
  // Timing: events around each call on the default stream.
  void *start = nullptr, *stop = nullptr;
  seqc_rt_event_create(&start);
  seqc_rt_event_create(&stop);
  for (int i = 0; i < options.warmup; ++i)
    entry(nullptr, buffers.data());
  std::vector<double> times;
  for (int i = 0; i < options.repeat; ++i) {
    seqc_rt_event_record(start, nullptr);
    status = entry(nullptr, buffers.data());
    seqc_rt_event_record(stop, nullptr);
    float ms = 0;
    if (status != SEQC_RT_SUCCESS ||
        seqc_rt_event_elapsed_ms(&ms, start, stop) != SEQC_RT_SUCCESS) {
      row.note = std::string("timing: ") + lastError();
      row.pass = false;
      break;
    }
    times.push_back(ms);
  }
  seqc_rt_event_destroy(start);
  seqc_rt_event_destroy(stop);
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    row.medianMs = times[times.size() / 2];
    row.minMs = times.front();
    row.maxMs = times.back();
    row.gbPerSecond = bytesMoved / (row.medianMs * 1e-3) / 1e9;
  }
  release();
  return row.pass;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char * {
      return i + 1 < argc ? argv[++i] : nullptr;
    };
    if (arg == "--warmup") {
      const char *v = value();
      if (!v)
        return usage();
      options.warmup = std::atoi(v);
    } else if (arg == "--repeat") {
      const char *v = value();
      if (!v)
        return usage();
      options.repeat = std::max(1, std::atoi(v));
    } else if (arg == "--synthetic") {
      options.synthetic = true;
    } else if (arg == "--csv") {
      const char *v = value();
      if (!v)
        return usage();
      options.csv = v;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage();
    } else {
      options.directories.push_back(arg);
    }
  }
  if (options.directories.empty())
    return usage();
  std::vector<std::pair<std::string, std::string>> manifests; // dir, path
  for (const std::string &directory : options.directories) {
    std::vector<std::string> found = manifestsIn(directory);
    if (found.empty()) {
      std::fprintf(stderr, "seqc-gpu-check: no *.manifest.json in '%s'\n",
                   directory.c_str());
      return 2;
    }
    for (const std::string &path : found)
      manifests.push_back({directory, path});
  }
  // Every manifest is read before the device is touched: a bad bundle is
  // reported the same with or without a GPU.
  std::vector<nlohmann::json> parsed;
  for (const auto &[directory, path] : manifests) {
    try {
      std::ifstream in(path);
      parsed.push_back(nlohmann::json::parse(in));
      const nlohmann::json &m = parsed.back();
      if (m.value("format", "") != "seqc-gpu-bundle-1")
        throw std::runtime_error("format is not seqc-gpu-bundle-1");
      for (const auto &function : m.at("functions"))
        for (const auto &p : function.at("parameters")) {
          std::string dtype = p.at("dtype");
          if (!seqc::parseDtypeName(dtype))
            throw std::runtime_error("unknown dtype '" + dtype + "'");
          p.at("shape").get<std::vector<int64_t>>();
        }
    } catch (const std::exception &e) {
      std::fprintf(stderr, "seqc-gpu-check: %s is not a valid bundle manifest: "
                           "%s\n",
                   path.c_str(), e.what());
      return 2;
    }
  }

  if (seqc_rt_init() != SEQC_RT_SUCCESS) {
    std::fprintf(stderr, "seqc-gpu-check: %s\n", seqc_rt_last_message());
    return 2;
  }
  char name[256] = {0};
  int major = 0, minor = 0, sms = 0;
  seqc_rt_device_info(name, sizeof name, &major, &minor, &sms);
  std::printf("seqc-gpu-check: %s (sm_%d%d, %d SMs)\n", name, major, minor,
              sms);

  std::vector<Row> rows;
  bool allPass = true;
  for (size_t m = 0; m < manifests.size(); ++m) {
    const std::string &directory = manifests[m].first;
    const nlohmann::json &manifest = parsed[m];
    std::string chip = manifest.value("chip", "");
    std::string want = "sm_" + std::to_string(major) + std::to_string(minor);
    std::string library =
        directory + "/" + manifest.value("library", "");
    // A cubin runs only on its own architecture.
    if (chip != want) {
      Row row;
      row.bundle = manifest.value("module", "?");
      row.function = "*";
      row.note = "bundle is for " + chip + ", the device is " + want;
      rows.push_back(row);
      allPass = false;
      continue;
    }
    void *handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      std::fprintf(stderr, "seqc-gpu-check: cannot load %s: %s\n",
                   library.c_str(), dlerror());
      return 2;
    }
    for (const auto &function : manifest.at("functions")) {
      Row row;
      row.bundle = manifest.value("module", "?");
      allPass &= runFunction(options, directory, handle, function, row);
      rows.push_back(row);
    }
  }

  std::printf("\n%-24s %-26s %-6s %10s %10s %10s %9s\n", "bundle", "function",
              "check", "median ms", "min ms", "max ms", "GB/s");
  for (const Row &r : rows) {
    std::printf("%-24s %-26s %-6s %10.4f %10.4f %10.4f %9.1f%s%s\n",
                r.bundle.c_str(), r.function.c_str(), r.pass ? "PASS" : "FAIL",
                r.medianMs, r.minMs, r.maxMs, r.gbPerSecond,
                r.note.empty() ? "" : "  ", r.note.c_str());
  }
  if (!options.csv.empty()) {
    std::ofstream csv(options.csv);
    csv << "device,bundle,function,check,median_ms,min_ms,max_ms,gb_per_s,"
           "note\n";
    for (const Row &r : rows)
      csv << '"' << name << "\"," << r.bundle << ',' << r.function << ','
          << (r.pass ? "PASS" : "FAIL") << ',' << r.medianMs << ','
          << r.minMs << ',' << r.maxMs << ',' << r.gbPerSecond << ",\""
          << r.note << "\"\n";
  }
  std::printf("\nseqc-gpu-check: %s\n", allPass ? "all passed" : "FAILED");
  return allPass ? 0 : 1;
}
