// The `regimen` tool's history of played sessions: one SQLite file (WAL mode) that `play`
// appends each record to, `history` lists and `next` runs progression over.
//
// Schema version 1 (PRAGMA user_version; PRAGMA application_id marks the file as Regimen's):
//   records(id INTEGER PRIMARY KEY, played_at_ms INTEGER, routine_id TEXT,
//           routine BLOB, record BLOB,              -- binary Routine and SessionRecord
//           session_uid TEXT UNIQUE)                -- a session is recorded once
//   next_routine(id INTEGER PRIMARY KEY CHECK (id = 1), decided_at_ms INTEGER, routine BLOB)
// A file that is not a Regimen history, or one of a newer schema, is refused and never written.
#ifndef REGIMEN_TOOLS_REGIMEN_HISTORY_H_
#define REGIMEN_TOOLS_REGIMEN_HISTORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regimen/v1/routine.pb.h"
#include "regimen/v1/session.pb.h"

struct sqlite3;

namespace regimen::cli {

inline constexpr int kHistorySchemaVersion = 1;

struct HistoryEntry {
  int64_t id = 0;
  int64_t played_at_ms = 0;  // wall clock, ms since 1970
  v1::Routine routine;
  v1::SessionRecord record;
};

class History {
 public:
  // `--history FILE` when given, else $XDG_DATA_HOME/regimen/history.sqlite3 (XDG_DATA_HOME
  // defaulting to $HOME/.local/share).
  static std::string DefaultPath();

  // Opens the history at `path`, creating it (and its folder) when missing. Errors:
  // FAILED_PRECONDITION naming the file when it is not a Regimen history (not SQLite, or
  // another application's database) or was written by a newer schema; UNAVAILABLE when it
  // cannot be opened or created.
  static absl::StatusOr<History> Open(const std::string& path);

  History(History&&) = default;
  History& operator=(History&&) = default;

  // Adds a session's record; one already recorded under the same `session_uid` is left as it
  // is (a player resumed after it recorded, but before it removed its state file).
  absl::Status Append(const v1::Routine& routine, const v1::SessionRecord& record,
                      int64_t played_at_ms, const std::string& session_uid);
  // Every entry, oldest first.
  absl::StatusOr<std::vector<HistoryEntry>> Entries() const;

  // The routine `next` chose for the coming session, if any.
  absl::Status SetNext(const v1::Routine& routine, int64_t decided_at_ms);
  absl::StatusOr<std::optional<v1::Routine>> Next() const;

  const std::string& path() const { return path_; }

 private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  History(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  absl::Status Error(const char* what) const;
  absl::Status Exec(const char* sql) const;

  std::string path_;
  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_HISTORY_H_
