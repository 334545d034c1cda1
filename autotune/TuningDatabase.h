//===- TuningDatabase.h - measured configurations in SQLite ----*- C++ -*-===//
//
// A workloads table (what was tuned: seqc version, target fingerprint,
// structural hash of the op, shape bucket, element type, pass options) and
// a records table (one row per measured configuration: timings, or the
// kind of failure). WAL journal, busy timeout, and every write in one
// IMMEDIATE transaction: two tuners can write one file at once, and a
// tuner killed mid-run leaves the file as of its last commit. A file that
// is not a seqc tuning database (corrupt, foreign, newer schema) is
// refused with a sentence, never opened half-way. No MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef SEQC_AUTOTUNE_TUNINGDATABASE_H
#define SEQC_AUTOTUNE_TUNINGDATABASE_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace seqc::autotune {

struct WorkloadKey {
  std::string seqcVersion;
  std::string target;      // targetFingerprint()
  std::string opName;      // seq.linear_scan
  std::string opHash;      // structural hash, hex
  std::string shapeBucket; // e.g. "T<=4096"
  std::string dtype;       // f32, bf16, ...
  std::string passOptions; // anything else that changes the code
};

enum class RecordStatus { ok, mismatch, timeout, crash, compileError };
const char *recordStatusName(RecordStatus status);
std::optional<RecordStatus> parseRecordStatus(const std::string &name);

struct TuningRecord {
  std::string form; // sequential, prefix, chunkwise, parallel
  std::optional<int64_t> chunkSize, blockThreads, itemsPerThread;
  double predictedSeconds = 0;
  double medianSeconds = 0, spreadSeconds = 0; // spread: max - min
  int repeats = 0;
  RecordStatus status = RecordStatus::ok;
  std::string detail; // why it failed, or notes
  std::string shape;  // the exact shape measured
  std::string measuredAt;
};

class TuningDatabase {
public:
  /// Opens (`create`: creating if absent) a tuning database. Returns null
  /// and sets `error` for a missing file (without `create`), a corrupt or
  /// foreign file, or a newer schema.
  static std::unique_ptr<TuningDatabase>
  open(const std::string &path, bool create, std::string &error);
  ~TuningDatabase();

  /// Appends `records` for `key` in one transaction (the workload row is
  /// created on first use). False with `error` set on failure; nothing is
  /// written then.
  bool addRecords(const WorkloadKey &key,
                  const std::vector<TuningRecord> &records,
                  std::string &error);

  /// The fastest record that passed its check, if any.
  std::optional<TuningRecord> best(const WorkloadKey &key,
                                   std::string &error);

  /// Every record of `key`, oldest first.
  std::vector<TuningRecord> records(const WorkloadKey &key,
                                    std::string &error);

  int64_t countRecords(std::string &error);

  const std::string &path() const { return filePath; }

private:
  TuningDatabase(sqlite3 *db, std::string path)
      : db(db), filePath(std::move(path)) {}
  sqlite3 *db;
  std::string filePath;
};

} // namespace seqc::autotune

#endif // SEQC_AUTOTUNE_TUNINGDATABASE_H
