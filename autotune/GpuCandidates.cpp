//===- GpuCandidates.cpp - tuning for GPU targets, measured elsewhere -----===//
//
// GPU candidates are measured by seqc-gpu-check, the MLIR-free runner
// that the compile host need not share with the GPU host:
//
//   seqc tune FILE --target=sm_90 --emit-candidates DIR     (anywhere)
//   seqc-gpu-check DIR/* --csv DIR/measurements.csv          (on the GPU)
//   seqc tune FILE --target=sm_90 --db tune.db --import DIR  (anywhere)
//
// Every candidate bundle carries the op's inputs (the values it sees in
// the program) and the reference interpreter's outputs, so a candidate
// that computes the wrong thing is recorded as a mismatch. The candidates
// of one op share one copy of those vectors. Bundle (and module) names are
// op<i>_c<rank>, the names seqc-gpu-check reports.
//
//===----------------------------------------------------------------------===//
#include "autotune/GpuCandidates.h"

#include "autotune/WorkloadKey.h"
#include "seqc/Target/GPU/GpuBundle.h"
#include "seqc/Target/HostABI.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>
#include <map>
#include <sstream>

using namespace mlir;

namespace seqc::autotune {

namespace {

constexpr const char *kCandidatesFormat = "seqc-tune-candidates-1";

llvm::json::Object keyJson(const WorkloadKey &k) {
  llvm::json::Object o;
  o["seqc_version"] = k.seqcVersion;
  o["target"] = k.target;
  o["op_name"] = k.opName;
  o["op_hash"] = k.opHash;
  o["shape_bucket"] = k.shapeBucket;
  o["dtype"] = k.dtype;
  o["pass_options"] = k.passOptions;
  return o;
}

/// Points the check files of bundle `directory` at `shared`'s and removes
/// its own copy.
llvm::Error shareCheckVectors(const std::string &directory,
                              const std::string &name,
                              const std::string &shared) {
  std::string manifest = directory + "/" + name + ".manifest.json";
  auto buffer = llvm::MemoryBuffer::getFile(manifest);
  if (!buffer)
    return llvm::createStringError("cannot read '" + manifest + "'");
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return llvm::createStringError("cannot parse '" + manifest + "'");
  for (llvm::json::Value &function :
       *json->getAsObject()->getArray("functions"))
    if (llvm::json::Object *check =
            function.getAsObject()->getObject("check"))
      for (llvm::json::Value &file : *check->getArray("files"))
        file = "../" + shared + "/" + file.getAsString()->str();
  if (llvm::Error err = writeTextFile(
          manifest, llvm::formatv("{0:2}\n", *json).str()))
    return err;
  llvm::sys::fs::remove_directories(directory + "/check");
  return llvm::Error::success();
}

/// One row of seqc-gpu-check's CSV: device, bundle, function, check,
/// median_ms, min_ms, max_ms, gb_per_s, note (quoted fields may hold
/// commas).
std::vector<std::string> csvFields(const std::string &line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ',' && !quoted)
      fields.emplace_back();
    else
      fields.back() += c;
  }
  return fields;
}

} // namespace

llvm::Error emitGpuCandidates(std::vector<OpWork> &ops,
                              const HardwareModel &hw,
                              const std::string &source,
                              const std::string &directory, unsigned k,
                              bool checkVectors, uint64_t seed,
                              llvm::raw_ostream &log) {
  if (std::error_code ec = llvm::sys::fs::create_directories(directory))
    return llvm::createStringError("cannot create '" + directory + "': " + ec.message());
  llvm::json::Array candidates;
  size_t total = 0;
  for (auto [index, work] : llvm::enumerate(ops)) {
    if (!work.skipped.empty())
      continue;
    double solveMs = 0;
    std::vector<TileConfig> configs =
        topConfigurations(work.op, hw, k, &solveMs);
    WorkloadKey key = workloadKeyOf(work.op, hw);
    std::string shared;
    for (auto [rank, config] : llvm::enumerate(configs)) {
      std::string name = llvm::formatv("op{0}_c{1}", index, rank).str();
      work.inner()->setAttr("form", config.toAttr(work.inner()->getContext()));
      gpu::CheckVectors check{work.function, work.inputs, seed};
      auto bundle = gpu::writeGpuBundle(*work.module, {work.function}, hw.arch,
                                        name, directory + "/" + name,
                                        checkVectors ? &check : nullptr);
      if (!bundle)
        return bundle.takeError();
      if (rank == 0 || !checkVectors)
        shared = name;
      else if (llvm::Error err =
                   shareCheckVectors(directory + "/" + name, name, shared))
        return err;
      candidates.push_back(llvm::json::Object{
          {"bundle", name},
          {"op_index", int64_t(index)},
          {"rank", int64_t(rank)},
          {"form", formText(config)},
          {"chunk_size", config.chunkSize ? llvm::json::Value(*config.chunkSize)
                                          : llvm::json::Value(nullptr)},
          {"block_threads", config.blockThreads
                                ? llvm::json::Value(*config.blockThreads)
                                : llvm::json::Value(nullptr)},
          {"items_per_thread", config.itemsPerThread
                                   ? llvm::json::Value(*config.itemsPerThread)
                                   : llvm::json::Value(nullptr)},
          {"predicted_s", config.cost.seconds},
          {"shape", exactShapeOf(work.op)},
          {"key", keyJson(key)}});
      ++total;
    }
    log << "seqc tune: " << work.op->getName() << " (op " << index
                 << "): " << configs.size() << " candidate bundles, Z3 "
                 << llvm::format("%.1f", solveMs) << " ms\n";
  }
  llvm::json::Object manifest{{"format", kCandidatesFormat},
                              {"source", source},
                              {"target", hw.name},
                              {"candidates", std::move(candidates)}};
  if (llvm::Error err = writeTextFile(
          directory + "/candidates.json",
          llvm::formatv("{0:2}\n", llvm::json::Value(std::move(manifest)))
              .str()))
    return err;
  log << "seqc tune: wrote " << total << " candidate bundles for "
               << hw.name << " to " << directory
               << "; measure them on the GPU machine with `seqc-gpu-check "
               << directory << "/op* --csv " << directory << "/measurements.csv"
               << (checkVectors ? "" : " --synthetic")
               << "`, then record them with --import " << directory << "\n";
  return llvm::Error::success();
}

llvm::Expected<size_t>
importGpuMeasurements(std::vector<OpWork> &ops, const HardwareModel &hw,
                      const std::string &source, const std::string &directory,
                      const std::string &csv, TuningDatabase &db,
                      std::vector<OpReport> &reports) {
  std::string path = directory + "/candidates.json";
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError("cannot read '" + path + "': run seqc tune --emit-candidates " +
                directory + " first");
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
  llvm::json::Object *root = json ? json->getAsObject() : nullptr;
  if (!root || root->getString("format") != kCandidatesFormat)
    return llvm::createStringError("'" + path + "' is not a seqc candidates file (" +
                (json ? std::string("wrong format") :
                        llvm::toString(json.takeError())) + ")");
  if (root->getString("target") != hw.name)
    return llvm::createStringError("'" + path + "' holds candidates for " +
                root->getString("target").value_or("?").str() + ", not " +
                hw.name);
  // bundle -> measurement
  std::map<std::string, Measurement> measured;
  std::ifstream in(csv);
  if (!in)
    return llvm::createStringError("cannot read the measurements '" + csv +
                "' (seqc-gpu-check DIR/op* --csv " + csv + ")");
  std::string line;
  std::getline(in, line); // header
  while (std::getline(in, line)) {
    std::vector<std::string> f = csvFields(line);
    if (f.size() < 9)
      continue;
    Measurement m;
    m.repeats = 1;
    if (f[3] == "PASS") {
      m.median = std::stod(f[4]) * 1e-3;
      m.spread = (std::stod(f[6]) - std::stod(f[5])) * 1e-3;
      m.detail = f[8];
    } else {
      // A failed comparison leaves no note, or says what it compared with.
      bool compared = f[8].empty() || f[8].rfind("checked against", 0) == 0 ||
                      f[8].rfind("synthetic", 0) == 0;
      m.status = f[3] == "FAIL" && compared ? RecordStatus::mismatch
                                            : RecordStatus::crash;
      m.detail = f[8].empty() ? "outputs differ from the reference" : f[8];
    }
    m.detail += m.detail.empty() ? "on " + f[0] : " (on " + f[0] + ")";
    measured[f[1]] = m;
  }
  reports.assign(ops.size(), OpReport());
  for (size_t i = 0; i < ops.size(); ++i) {
    reports[i].op = ops[i].op;
    reports[i].skipped = ops[i].skipped;
  }
  std::map<size_t, WorkloadKey> keys;
  for (llvm::json::Value &entry : *root->getArray("candidates")) {
    llvm::json::Object &c = *entry.getAsObject();
    size_t index = size_t(*c.getInteger("op_index"));
    if (index >= ops.size())
      return llvm::createStringError("'" + path + "' does not match " + source +
                  " (op " + std::to_string(index) + " is not in it)");
    TuningRecord record;
    record.form = c.getString("form")->str();
    record.chunkSize = c.getInteger("chunk_size");
    record.blockThreads = c.getInteger("block_threads");
    record.itemsPerThread = c.getInteger("items_per_thread");
    record.predictedSeconds = *c.getNumber("predicted_s");
    std::optional<TileConfig> config = fromRecord(record);
    if (!config)
      return llvm::createStringError("'" + path + "': unknown form '" + record.form + "'");
    Candidate candidate{*config, {}, false};
    auto it = measured.find(c.getString("bundle")->str());
    if (it != measured.end()) {
      candidate.measured = it->second;
      candidate.tried = true;
    }
    reports[index].candidates.push_back(candidate);
    const llvm::json::Object &key = *c.getObject("key");
    auto field = [&](const char *name) {
      return key.getString(name).value_or("").str();
    };
    keys[index] = {field("seqc_version"), field("target"),
                   field("op_name"),      field("op_hash"),
                   field("shape_bucket"), field("dtype"),
                   field("pass_options")};
  }
  size_t recorded = 0;
  for (auto &[index, key] : keys) {
    std::vector<TuningRecord> records = recordsOf(reports[index]);
    std::string error;
    if (!records.empty() && !db.addRecords(key, records, error))
      return llvm::createStringError(error);
    recorded += records.size();
  }
  return recorded;
}

} // namespace seqc::autotune
