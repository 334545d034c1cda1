//===- TuningDatabase.cpp - SQLite storage of tuning records --------------===//
#include "autotune/TuningDatabase.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <ctime>

namespace seqc::autotune {

namespace {

/// 'SEQC' in PRAGMA application_id marks our files.
constexpr int kApplicationId = 0x53455143;
constexpr int kSchemaVersion = 1;

const char *kSchema = R"sql(
CREATE TABLE workloads (
  id INTEGER PRIMARY KEY,
  seqc_version TEXT NOT NULL,
  target TEXT NOT NULL,
  op_name TEXT NOT NULL,
  op_hash TEXT NOT NULL,
  shape_bucket TEXT NOT NULL,
  dtype TEXT NOT NULL,
  pass_options TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (seqc_version, target, op_hash, shape_bucket, dtype, pass_options)
);
CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  workload_id INTEGER NOT NULL REFERENCES workloads(id),
  form TEXT NOT NULL,
  chunk_size INTEGER,
  block_threads INTEGER,
  items_per_thread INTEGER,
  predicted_s REAL NOT NULL,
  median_s REAL,
  spread_s REAL,
  repeats INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('ok', 'mismatch', 'timeout', 'crash', 'compile_error')),
  detail TEXT NOT NULL,
  shape TEXT NOT NULL,
  measured_at TEXT NOT NULL
);
CREATE INDEX records_by_workload ON records (workload_id, status, median_s);
)sql";

std::string now() {
  std::time_t t = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buffer;
}

/// A prepared statement, finalized on scope exit.
class Statement {
public:
  Statement(sqlite3 *db, const char *sql) : db(db) {
    rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt); }
  bool ok() const { return rc == SQLITE_OK; }
  void bind(int i, const std::string &text) {
    sqlite3_bind_text(stmt, i, text.c_str(), -1, SQLITE_TRANSIENT);
  }
  void bind(int i, double value) { sqlite3_bind_double(stmt, i, value); }
  void bind(int i, int64_t value) { sqlite3_bind_int64(stmt, i, value); }
  void bind(int i, const std::optional<int64_t> &value) {
    if (value)
      sqlite3_bind_int64(stmt, i, *value);
    else
      sqlite3_bind_null(stmt, i);
  }
  int step() { return rc = sqlite3_step(stmt); }
  /// Ready for the next row of bindings.
  void reset() { sqlite3_reset(stmt); }
  int64_t integer(int i) { return sqlite3_column_int64(stmt, i); }
  double real(int i) { return sqlite3_column_double(stmt, i); }
  std::optional<int64_t> optionalInteger(int i) {
    if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
      return std::nullopt;
    return integer(i);
  }
  std::string text(int i) {
    const unsigned char *t = sqlite3_column_text(stmt, i);
    return t ? reinterpret_cast<const char *>(t) : "";
  }
  std::string message() const { return sqlite3_errmsg(db); }

private:
  sqlite3 *db;
  sqlite3_stmt *stmt = nullptr;
  int rc;
};

bool exec(sqlite3 *db, const char *sql, std::string &error) {
  char *message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
    return true;
  error = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return false;
}

/// Runs `sql` and reads the integer in its first row.
std::optional<int64_t> pragmaInteger(sqlite3 *db, const char *sql,
                                     std::string &error) {
  Statement s(db, sql);
  if (!s.ok() || s.step() != SQLITE_ROW) {
    error = s.message();
    return std::nullopt;
  }
  return s.integer(0);
}

/// Records a failure of `what` on `path` as one sentence.
std::string fileError(const std::string &path, const std::string &what) {
  return fmt::format("tuning database '{}': {}", path, what);
}

/// The key columns, in the order both statements below bind them.
void bindKey(Statement &s, const WorkloadKey &key) {
  s.bind(1, key.seqcVersion);
  s.bind(2, key.target);
  s.bind(3, key.opHash);
  s.bind(4, key.shapeBucket);
  s.bind(5, key.dtype);
  s.bind(6, key.passOptions);
}

/// Looks up (or, with `create`, inserts) the workload row of `key`.
std::optional<int64_t> workloadId(sqlite3 *db, const WorkloadKey &key,
                                  bool create, std::string &error) {
  {
    Statement find(db, "SELECT id FROM workloads WHERE seqc_version = ? AND "
                       "target = ? AND op_hash = ? AND shape_bucket = ? AND "
                       "dtype = ? AND pass_options = ?");
    bindKey(find, key);
    int rc = find.step();
    if (rc == SQLITE_ROW)
      return find.integer(0);
    if (rc != SQLITE_DONE) {
      error = find.message();
      return std::nullopt;
    }
  }
  if (!create)
    return std::nullopt;
  Statement insert(db, "INSERT INTO workloads (seqc_version, target, "
                       "op_hash, shape_bucket, dtype, pass_options, op_name, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  bindKey(insert, key);
  insert.bind(7, key.opName);
  insert.bind(8, now());
  if (insert.step() != SQLITE_DONE) {
    error = insert.message();
    return std::nullopt;
  }
  return sqlite3_last_insert_rowid(db);
}

constexpr const char *kRecordColumns =
    "form, chunk_size, block_threads, items_per_thread, predicted_s, "
    "median_s, spread_s, repeats, status, detail, shape, measured_at";

TuningRecord readRecord(Statement &s) {
  TuningRecord r;
  r.form = s.text(0);
  r.chunkSize = s.optionalInteger(1);
  r.blockThreads = s.optionalInteger(2);
  r.itemsPerThread = s.optionalInteger(3);
  r.predictedSeconds = s.real(4);
  r.medianSeconds = s.real(5);
  r.spreadSeconds = s.real(6);
  r.repeats = int(s.integer(7));
  r.status = parseRecordStatus(s.text(8)).value_or(RecordStatus::crash);
  r.detail = s.text(9);
  r.shape = s.text(10);
  r.measuredAt = s.text(11);
  return r;
}

} // namespace

const char *recordStatusName(RecordStatus status) {
  switch (status) {
  case RecordStatus::ok:
    return "ok";
  case RecordStatus::mismatch:
    return "mismatch";
  case RecordStatus::timeout:
    return "timeout";
  case RecordStatus::crash:
    return "crash";
  case RecordStatus::compileError:
    return "compile_error";
  }
  return "crash";
}

std::optional<RecordStatus> parseRecordStatus(const std::string &name) {
  for (RecordStatus s :
       {RecordStatus::ok, RecordStatus::mismatch, RecordStatus::timeout,
        RecordStatus::crash, RecordStatus::compileError})
    if (name == recordStatusName(s))
      return s;
  return std::nullopt;
}

std::unique_ptr<TuningDatabase>
TuningDatabase::open(const std::string &path, bool create, std::string &error) {
  sqlite3 *db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    error = fileError(path, db ? sqlite3_errmsg(db) : "cannot open");
    if (!create && db && sqlite3_errcode(db) == SQLITE_CANTOPEN)
      error = fileError(path, "no such file");
    sqlite3_close(db);
    return nullptr;
  }
  std::unique_ptr<TuningDatabase> result(new TuningDatabase(db, path));
  // A concurrent tuner holds the write lock for one transaction at a time.
  sqlite3_busy_timeout(db, 30000);
  std::string message;
  std::optional<int64_t> application =
      pragmaInteger(db, "PRAGMA application_id", message);
  if (!application) {
    // SQLITE_NOTADB: a corrupt header or a file of another kind.
    error = fileError(path, "not a SQLite database (corrupt or foreign "
                            "file): " + message);
    return nullptr;
  }
  if (*application == 0) {
    // New (empty) file: create the schema, unless another writer won the
    // race, which the IMMEDIATE lock and the re-check settle.
    if (!exec(db, "BEGIN IMMEDIATE", message)) {
      error = fileError(path, message);
      return nullptr;
    }
    std::optional<int64_t> tables = pragmaInteger(
        db, "SELECT count(*) FROM sqlite_schema", message);
    application = pragmaInteger(db, "PRAGMA application_id", message);
    if (!tables || !application) {
      exec(db, "ROLLBACK", message);
      error = fileError(path, "not a SQLite database (corrupt or foreign "
                              "file): " + message);
      return nullptr;
    }
    if (*application == 0 && *tables != 0) {
      exec(db, "ROLLBACK", message);
      error = fileError(path, "a SQLite database of another program (no "
                              "seqc application id); refusing to touch it");
      return nullptr;
    }
    if (*application == 0) {
      std::string init = std::string(kSchema) +
                         fmt::format("PRAGMA application_id = {};"
                                     "PRAGMA user_version = {};",
                                     kApplicationId, kSchemaVersion);
      if (!exec(db, init.c_str(), message)) {
        exec(db, "ROLLBACK", message);
        error = fileError(path, "cannot create the schema: " + message);
        return nullptr;
      }
      application = kApplicationId;
    }
    if (!exec(db, "COMMIT", message)) {
      error = fileError(path, message);
      return nullptr;
    }
  }
  if (*application != kApplicationId) {
    error = fileError(path, "a SQLite database of another program "
                            "(application id is not seqc's)");
    return nullptr;
  }
  std::optional<int64_t> version =
      pragmaInteger(db, "PRAGMA user_version", message);
  if (!version || *version != kSchemaVersion) {
    error = fileError(path, fmt::format("schema version {} (this seqc reads "
                                        "{})",
                                        version.value_or(-1),
                                        kSchemaVersion));
    return nullptr;
  }
  {
    // Scoped: an unfinished statement holds a read transaction open.
    Statement check(db, "PRAGMA quick_check");
    std::string verdict = check.ok() && check.step() == SQLITE_ROW
                              ? check.text(0)
                              : check.message();
    if (verdict != "ok") {
      error = fileError(path, "corrupt (quick_check: " + verdict + ")");
      return nullptr;
    }
  }
  // WAL: readers (seqc compile --db) never block the tuner, and a killed
  // writer's partial transaction is never visible.
  if (!exec(db, "PRAGMA journal_mode = WAL", message) ||
      !exec(db, "PRAGMA foreign_keys = ON", message)) {
    error = fileError(path, message);
    return nullptr;
  }
  return result;
}

TuningDatabase::~TuningDatabase() { sqlite3_close(db); }

bool TuningDatabase::addRecords(const WorkloadKey &key,
                                const std::vector<TuningRecord> &records,
                                std::string &error) {
  if (!exec(db, "BEGIN IMMEDIATE", error))
    return false;
  auto rollback = [&](const std::string &why) {
    std::string ignored;
    exec(db, "ROLLBACK", ignored);
    error = fileError(filePath, why);
    return false;
  };
  std::string message;
  std::optional<int64_t> id = workloadId(db, key, /*create=*/true, message);
  if (!id)
    return rollback(message);
  // One statement for every record, in kRecordColumns' order.
  Statement insert(db, fmt::format("INSERT INTO records (workload_id, {}) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                   "?, ?)",
                                   kRecordColumns)
                           .c_str());
  for (const TuningRecord &r : records) {
    insert.reset();
    insert.bind(1, *id);
    insert.bind(2, r.form);
    insert.bind(3, r.chunkSize);
    insert.bind(4, r.blockThreads);
    insert.bind(5, r.itemsPerThread);
    insert.bind(6, r.predictedSeconds);
    insert.bind(7, r.medianSeconds);
    insert.bind(8, r.spreadSeconds);
    insert.bind(9, int64_t(r.repeats));
    insert.bind(10, std::string(recordStatusName(r.status)));
    insert.bind(11, r.detail);
    insert.bind(12, r.shape);
    insert.bind(13, r.measuredAt.empty() ? now() : r.measuredAt);
    if (insert.step() != SQLITE_DONE)
      return rollback(insert.message());
  }
  if (!exec(db, "COMMIT", message))
    return rollback(message);
  return true;
}

std::vector<TuningRecord> TuningDatabase::records(const WorkloadKey &key,
                                                  std::string &error) {
  std::vector<TuningRecord> result;
  std::optional<int64_t> id = workloadId(db, key, /*create=*/false, error);
  if (!id)
    return result;
  Statement s(db, fmt::format("SELECT {} FROM records WHERE workload_id = ? "
                              "ORDER BY id",
                              kRecordColumns)
                      .c_str());
  s.bind(1, *id);
  while (s.step() == SQLITE_ROW)
    result.push_back(readRecord(s));
  return result;
}

std::optional<TuningRecord> TuningDatabase::best(const WorkloadKey &key,
                                                 std::string &error) {
  std::optional<int64_t> id = workloadId(db, key, /*create=*/false, error);
  if (!id)
    return std::nullopt;
  Statement s(db, fmt::format("SELECT {} FROM records WHERE workload_id = ? "
                              "AND status = 'ok' ORDER BY median_s LIMIT 1",
                              kRecordColumns)
                      .c_str());
  s.bind(1, *id);
  if (s.step() != SQLITE_ROW)
    return std::nullopt;
  return readRecord(s);
}

int64_t TuningDatabase::countRecords(std::string &error) {
  return pragmaInteger(db, "SELECT count(*) FROM records", error).value_or(-1);
}

} // namespace seqc::autotune
