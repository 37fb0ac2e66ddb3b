// The SQLite history of played sessions (see history.h).
#include "tools/regimen/history.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace regimen::cli {
namespace {

// "RGMN": marks the file as a Regimen history (PRAGMA application_id).
constexpr int kApplicationId = 0x52474D4E;

const char kSchema[] =
    "CREATE TABLE records(id INTEGER PRIMARY KEY, played_at_ms INTEGER NOT NULL,"
    " routine_id TEXT NOT NULL, routine BLOB NOT NULL, record BLOB NOT NULL,"
    " session_uid TEXT NOT NULL UNIQUE);"
    "CREATE TABLE next_routine(id INTEGER PRIMARY KEY CHECK (id = 1),"
    " decided_at_ms INTEGER NOT NULL, routine BLOB NOT NULL);";

// A prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) statement_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return statement_ != nullptr; }
  sqlite3_stmt* get() const { return statement_; }
  void Bind(int index, int64_t value) { sqlite3_bind_int64(statement_, index, value); }
  void Bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void BindBlob(int index, const std::string& bytes) {
    sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
  }
  std::string Blob(int column) const {
    const void* data = sqlite3_column_blob(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

// One integer PRAGMA, or -1 when it cannot be read.
int64_t PragmaInt(sqlite3* db, const char* sql) {
  Statement statement(db, sql);
  if (!statement.ok() || sqlite3_step(statement.get()) != SQLITE_ROW) return -1;
  return sqlite3_column_int64(statement.get(), 0);
}

// mkdir -p for the folder of `path`.
void MakeParents(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    mkdir(path.substr(0, slash).c_str(), 0700);
  }
}

bool Exists(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0;
}

}  // namespace

void History::Close::operator()(sqlite3* db) const { sqlite3_close(db); }

std::string History::DefaultPath() {
  const char* data = std::getenv("XDG_DATA_HOME");
  std::string folder;
  if (data != nullptr && data[0] == '/') {
    folder = data;
  } else {
    const char* home = std::getenv("HOME");
    folder = absl::StrCat(home != nullptr ? home : ".", "/.local/share");
  }
  return absl::StrCat(folder, "/regimen/history.sqlite3");
}

absl::Status History::Error(const char* what) const {
  return absl::UnavailableError(
      absl::StrCat("history ", path_, ": ", what, ": ", sqlite3_errmsg(db_.get())));
}

absl::Status History::Exec(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message) != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("history ", path_, ": ", message != nullptr ? message : "error"));
    sqlite3_free(message);
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<History> History::Open(const std::string& path) {
  const bool existed = Exists(path);
  if (!existed) MakeParents(path);
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (existed ? 0 : SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  History history(path, raw);
  if (rc != SQLITE_OK) return history.Error(existed ? "cannot open" : "cannot create");
  sqlite3_busy_timeout(raw, 5000);
  const auto refuse = [&path](absl::string_view why) {
    return absl::FailedPreconditionError(absl::StrCat("history ", path, ": ", why,
                                                      "; it was left as it is (use --history FILE "
                                                      "for another file)"));
  };
  const int64_t application = PragmaInt(raw, "PRAGMA application_id");
  const int64_t version = PragmaInt(raw, "PRAGMA user_version");
  const int64_t tables = PragmaInt(raw, "SELECT count(*) FROM sqlite_master");
  if (application < 0 || version < 0 || tables < 0) {
    return refuse(absl::StrCat("not a Regimen history (", sqlite3_errmsg(raw), ")"));
  }
  if (application == 0 && tables == 0 && version == 0) {
    // New (or empty): lay out schema version 1.
    if (absl::Status s = history.Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
    const std::string init =
        absl::StrCat("BEGIN;", kSchema, "PRAGMA application_id=", kApplicationId,
                     ";PRAGMA user_version=", kHistorySchemaVersion, ";COMMIT;");
    if (absl::Status s = history.Exec(init.c_str()); !s.ok()) return s;
    return history;
  }
  if (application != kApplicationId) {
    return refuse("not a Regimen history (another application's SQLite database)");
  }
  if (version > kHistorySchemaVersion) {
    return refuse(absl::StrCat("written with history schema version ", version,
                               ", newer than this regimen reads (", kHistorySchemaVersion,
                               "); use a newer regimen"));
  }
  if (version < 1) return refuse(absl::StrCat("unknown history schema version ", version));
  if (absl::Status s = history.Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
  return history;
}

absl::Status History::Append(const v1::Routine& routine, const v1::SessionRecord& record,
                             int64_t played_at_ms, const std::string& session_uid) {
  Statement insert(db_.get(),
                   "INSERT OR IGNORE INTO records(played_at_ms, routine_id, routine, record,"
                   " session_uid) VALUES (?, ?, ?, ?, ?)");
  if (!insert.ok()) return Error("cannot add the record");
  insert.Bind(1, played_at_ms);
  insert.Bind(2, record.routine_id());
  insert.BindBlob(3, routine.SerializeAsString());
  insert.BindBlob(4, record.SerializeAsString());
  insert.Bind(5, session_uid);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) return Error("cannot add the record");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<HistoryEntry>> History::Entries() const {
  Statement select(db_.get(), "SELECT id, played_at_ms, routine, record FROM records ORDER BY id");
  if (!select.ok()) return Error("cannot read the records");
  std::vector<HistoryEntry> entries;
  int rc;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    HistoryEntry entry;
    entry.id = sqlite3_column_int64(select.get(), 0);
    entry.played_at_ms = sqlite3_column_int64(select.get(), 1);
    if (!entry.routine.ParseFromString(select.Blob(2)) ||
        !entry.record.ParseFromString(select.Blob(3))) {
      return absl::DataLossError(
          absl::StrCat("history ", path_, ": record ", entry.id, " cannot be read"));
    }
    entries.push_back(std::move(entry));
  }
  if (rc != SQLITE_DONE) return Error("cannot read the records");
  return entries;
}

absl::Status History::SetNext(const v1::Routine& routine, int64_t decided_at_ms) {
  Statement upsert(db_.get(),
                   "INSERT OR REPLACE INTO next_routine(id, decided_at_ms, routine)"
                   " VALUES (1, ?, ?)");
  if (!upsert.ok()) return Error("cannot store the next routine");
  upsert.Bind(1, decided_at_ms);
  upsert.BindBlob(2, routine.SerializeAsString());
  if (sqlite3_step(upsert.get()) != SQLITE_DONE) return Error("cannot store the next routine");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Routine>> History::Next() const {
  Statement select(db_.get(), "SELECT routine FROM next_routine WHERE id = 1");
  if (!select.ok()) return Error("cannot read the next routine");
  const int rc = sqlite3_step(select.get());
  if (rc == SQLITE_DONE) return std::optional<v1::Routine>();
  if (rc != SQLITE_ROW) return Error("cannot read the next routine");
  v1::Routine routine;
  if (!routine.ParseFromString(select.Blob(0))) {
    return absl::DataLossError(
        absl::StrCat("history ", path_, ": the next routine cannot be read"));
  }
  return std::optional<v1::Routine>(std::move(routine));
}

}  // namespace regimen::cli
