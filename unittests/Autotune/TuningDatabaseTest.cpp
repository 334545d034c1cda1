//===- TuningDatabaseTest.cpp - the SQLite tuning database ----------------===//
//
// Round trip, refusal of corrupt and foreign files, two writers at once,
// and a writer killed inside a transaction.
//
//===----------------------------------------------------------------------===//
#include "autotune/TuningDatabase.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace seqc::autotune;

namespace {

class TuningDatabaseTest : public ::testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/seqc-tunedb-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
    path = dir + "/tune.db";
  }
  void TearDown() override {
    for (const char *suffix : {"", "-wal", "-shm"})
      std::remove((path + suffix).c_str());
    std::remove((dir + "/other").c_str());
    rmdir(dir.c_str());
  }

  static WorkloadKey key(const std::string &hash = "abc123") {
    return {"0.1.0", "cpu cores=2", "seq.linear_scan", hash, "T<=1024",
            "f32", "pipeline-1"};
  }
  static TuningRecord record(const std::string &form, double median,
                             RecordStatus status = RecordStatus::ok) {
    TuningRecord r;
    r.form = form;
    r.chunkSize = form == "prefix" ? std::optional<int64_t>(64) : std::nullopt;
    r.predictedSeconds = 1e-3;
    r.medianSeconds = median;
    r.spreadSeconds = median / 10;
    r.repeats = 5;
    r.status = status;
    r.shape = "tensor<2x1000x256xf32>";
    return r;
  }

  std::string dir, path;
};

TEST_F(TuningDatabaseTest, RoundTripAndBest) {
  std::string error;
  {
    auto db = TuningDatabase::open(path, /*create=*/true, error);
    ASSERT_TRUE(db) << error;
    ASSERT_TRUE(db->addRecords(key(),
                               {record("sequential", 2e-3),
                                record("prefix", 1e-3),
                                record("prefix", 0.5e-3, RecordStatus::mismatch)},
                               error))
        << error;
  }
  auto db = TuningDatabase::open(path, /*create=*/false, error);
  ASSERT_TRUE(db) << error;
  std::vector<TuningRecord> all = db->records(key(), error);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].form, "sequential");
  EXPECT_EQ(all[1].chunkSize, 64);
  EXPECT_FALSE(all[0].chunkSize);
  EXPECT_EQ(all[2].status, RecordStatus::mismatch);
  EXPECT_FALSE(all[0].measuredAt.empty());
  // The fastest record that passed its check, not the fastest overall.
  std::optional<TuningRecord> best = db->best(key(), error);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->form, "prefix");
  EXPECT_DOUBLE_EQ(best->medianSeconds, 1e-3);
  EXPECT_FALSE(db->best(key("other-op"), error));
  EXPECT_EQ(db->countRecords(error), 3);
}

TEST_F(TuningDatabaseTest, MissingFileWithoutCreate) {
  std::string error;
  EXPECT_FALSE(TuningDatabase::open(path, /*create=*/false, error));
  EXPECT_NE(error.find("no such file"), std::string::npos) << error;
}

TEST_F(TuningDatabaseTest, CorruptFileIsRefused) {
  {
    std::ofstream out(path);
    out << std::string(4096, 'x');
  }
  std::string error;
  EXPECT_FALSE(TuningDatabase::open(path, /*create=*/true, error));
  EXPECT_NE(error.find("not a SQLite database"), std::string::npos) << error;
  // Nothing was written over it.
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, std::string(4096, 'x'));
}

TEST_F(TuningDatabaseTest, DamagedDatabaseIsRefused) {
  std::string error;
  {
    auto db = TuningDatabase::open(path, /*create=*/true, error);
    ASSERT_TRUE(db) << error;
    std::vector<TuningRecord> many(200, record("prefix", 1e-3));
    ASSERT_TRUE(db->addRecords(key(), many, error)) << error;
  }
  // Checkpointed (the WAL folded in on close); now overwrite every page
  // after the first (the header and schema stay readable).
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    std::streamoff size = f.tellg();
    ASSERT_GT(size, 4096 * 3);
    f.seekp(4096);
    std::string junk(size - 4096, '\x5a');
    f.write(junk.data(), junk.size());
  }
  EXPECT_FALSE(TuningDatabase::open(path, /*create=*/false, error));
  EXPECT_NE(error.find("tuning database"), std::string::npos) << error;
}

TEST_F(TuningDatabaseTest, ForeignAndNewerFilesAreLeftAlone) {
  sqlite3 *raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "CREATE TABLE notes (t TEXT)", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  std::string error;
  EXPECT_FALSE(TuningDatabase::open(path, /*create=*/true, error));
  EXPECT_NE(error.find("another program"), std::string::npos) << error;

  std::string newer = dir + "/other";
  {
    auto db = TuningDatabase::open(newer, /*create=*/true, error);
    ASSERT_TRUE(db) << error;
  }
  ASSERT_EQ(sqlite3_open(newer.c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  EXPECT_FALSE(TuningDatabase::open(newer, /*create=*/false, error));
  EXPECT_NE(error.find("schema version 99"), std::string::npos) << error;
  std::remove((newer + "-wal").c_str());
  std::remove((newer + "-shm").c_str());
}

TEST_F(TuningDatabaseTest, TwoWritersAtOnceLoseNothing) {
  std::string error;
  { ASSERT_TRUE(TuningDatabase::open(path, /*create=*/true, error)) << error; }
  constexpr int kTransactions = 40;
  pid_t writers[2];
  for (int w = 0; w < 2; ++w) {
    writers[w] = fork();
    ASSERT_GE(writers[w], 0);
    if (writers[w] == 0) {
      std::string childError;
      auto db = TuningDatabase::open(path, /*create=*/false, childError);
      if (!db)
        _exit(2);
      for (int i = 0; i < kTransactions; ++i)
        if (!db->addRecords(key("op" + std::to_string(i % 3)),
                            {record("prefix", 1e-3), record("sequential", 2e-3)},
                            childError))
          _exit(3);
      _exit(0);
    }
  }
  for (pid_t pid : writers) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  auto db = TuningDatabase::open(path, /*create=*/false, error);
  ASSERT_TRUE(db) << error;
  EXPECT_EQ(db->countRecords(error), 2 * kTransactions * 2);
  // One workload row per key although both writers created them.
  size_t total = 0;
  for (int k = 0; k < 3; ++k)
    total += db->records(key("op" + std::to_string(k)), error).size();
  EXPECT_EQ(total, size_t(2 * kTransactions * 2));
}

TEST_F(TuningDatabaseTest, WriterKilledMidTransactionLeavesLastCommit) {
  std::string error;
  {
    auto db = TuningDatabase::open(path, /*create=*/true, error);
    ASSERT_TRUE(db) << error;
    ASSERT_TRUE(db->addRecords(key(), {record("prefix", 1e-3)}, error));
  }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A tuner that has written half of its records when it is killed.
    sqlite3 *raw = nullptr;
    sqlite3_open(path.c_str(), &raw);
    sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int i = 0; i < 500; ++i)
      sqlite3_exec(raw,
                   "INSERT INTO records (workload_id, form, predicted_s, "
                   "repeats, status, detail, shape, measured_at) VALUES (1, "
                   "'sequential', 0, 0, 'ok', '', '', 'now')",
                   nullptr, nullptr, nullptr);
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto db = TuningDatabase::open(path, /*create=*/false, error);
  ASSERT_TRUE(db) << error; // quick_check passes
  EXPECT_EQ(db->countRecords(error), 1);
  // And it takes new records.
  EXPECT_TRUE(db->addRecords(key(), {record("sequential", 3e-3)}, error))
      << error;
  EXPECT_EQ(db->countRecords(error), 2);
}

} // namespace
