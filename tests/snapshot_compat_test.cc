// Snapshots written by this version, kept in tests/data/snapshots/v<N>/ in every format, restore
// and run to the end with the stored record: a snapshot of version N must restore in N and N+1
// (docs/reliability.md). A newer snapshot is refused naming both versions.
//
// To write the files of the current version (only when kSnapshotVersion changes, or a case is
// added; never to make a failing test pass):
//   REGIMEN_UPDATE_SNAPSHOTS=1 ctest --test-dir build -R SnapshotCompat
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "regimen/session.h"

namespace regimen {
namespace {

namespace fs = std::filesystem;

// A point in a session at which a snapshot is taken.
struct Point {
  const char* name;
  const char* routine;
  int64_t at_ms;
  bool pause = false;      // pause at at_ms (the snapshot is of a paused session)
  bool asymmetry = false;  // an asymmetry report (LEFT) at at_ms
  int pain = -1;           // a pain report at at_ms
};

const Point kPoints[] = {
    {"back_basics_start", "back_basics", 0},
    {"back_basics_primer", "back_basics", 20000},
    {"back_basics_rest", "back_basics", 35000},
    {"back_basics_paused", "back_basics", 70000, /*pause=*/true},
    {"back_basics_asymmetry", "back_basics", 120000, false, /*asymmetry=*/true},
    {"back_basics_ease_off", "back_basics", 60000, false, false, /*pain=*/4},
    {"back_basics_plus_rock", "back_basics_plus", 280000},
};

const char* const kExtensions[] = {".pb", ".json", ".textproto"};

Format FormatOf(const std::string& extension) {
  if (extension == ".pb") return Format::kBinary;
  if (extension == ".json") return Format::kJson;
  return Format::kText;
}

std::string Folder() {
  return absl::StrCat(REGIMEN_SOURCE_DIR, "/tests/data/snapshots/v", kSnapshotVersion);
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Ticks deadline to deadline to the end (resuming a paused session 1 s after its last input).
v1::SessionRecord RunToEnd(Session& session) {
  Event event;
  int64_t last = session.SnapshotProto().state().last_input_ms();
  for (int steps = 0; !session.Finished() && steps < 100000; ++steps) {
    int64_t deadline = session.NextDeadline();
    if (deadline < 0) {
      EXPECT_TRUE(session.Signal(v1::SIGNAL_RESUME, last + 1000).ok());
      last += 1000;
      continue;
    }
    EXPECT_TRUE(session.Tick(deadline).ok());
    last = deadline;
    while (session.Poll(&event)) {
    }
  }
  while (session.Poll(&event)) {
  }
  EXPECT_TRUE(session.Finished());
  return session.Record();
}

// The session of `point`, run to its time with its inputs.
std::unique_ptr<Session> SessionAt(const Point& point) {
  v1::SessionOptions options;
  options.add_attestations("spine_flexible_strong_balanced");
  const v1::Routine& routine = *Catalog::Default().FindRoutine(point.routine);
  std::unique_ptr<Session> session = *Session::Create(Catalog::Default(), routine, options);
  EXPECT_TRUE(session->Start(0).ok());
  EXPECT_TRUE(session->Tick(point.at_ms).ok());
  if (point.pause) {
    EXPECT_TRUE(session->Signal(v1::SIGNAL_PAUSE, point.at_ms).ok());
  }
  if (point.asymmetry) {
    EXPECT_TRUE(session->Report(v1::REPORT_ASYMMETRY, 0, v1::LEFT, point.at_ms).ok());
  }
  if (point.pain >= 0) {
    EXPECT_TRUE(
        session->Report(v1::REPORT_PAIN, point.pain, v1::SIDE_UNSPECIFIED, point.at_ms).ok());
  }
  Event event;
  while (session->Poll(&event)) {
  }
  return session;
}

std::string RecordJson(const v1::SessionRecord& record) {
  SerializeOptions options;
  options.json_pretty = true;
  return *SerializeMessage(record, Format::kJson, options);
}

// Writes the current version's files (REGIMEN_UPDATE_SNAPSHOTS=1).
void WriteCurrentVersion() {
  fs::create_directories(Folder());
  for (const Point& point : kPoints) {
    std::unique_ptr<Session> session = SessionAt(point);
    for (const char* extension : kExtensions) {
      std::ofstream(absl::StrCat(Folder(), "/", point.name, extension), std::ios::binary)
          << *session->Snapshot(FormatOf(extension));
    }
    std::ofstream(absl::StrCat(Folder(), "/", point.name, ".record.json"))
        << RecordJson(RunToEnd(*session));
  }
}

// Every stored snapshot of every version this library reads (this one and the one before).
TEST(SnapshotCompat, StoredSnapshotsRestoreAndRunToTheirRecord) {
  if (std::getenv("REGIMEN_UPDATE_SNAPSHOTS") != nullptr) WriteCurrentVersion();
  int restored = 0;
  for (uint32_t version = kSnapshotVersion > 1 ? kSnapshotVersion - 1 : 1;
       version <= kSnapshotVersion; ++version) {
    const std::string folder = absl::StrCat(REGIMEN_SOURCE_DIR, "/tests/data/snapshots/v", version);
    ASSERT_TRUE(fs::is_directory(folder)) << folder;
    for (const Point& point : kPoints) {
      const std::string expected = Read(absl::StrCat(folder, "/", point.name, ".record.json"));
      ASSERT_FALSE(expected.empty()) << point.name;
      for (const char* extension : kExtensions) {
        const std::string path = absl::StrCat(folder, "/", point.name, extension);
        const std::string bytes = Read(path);
        ASSERT_FALSE(bytes.empty()) << path;
        absl::StatusOr<std::unique_ptr<Session>> session =
            Session::Restore(bytes, FormatOf(extension));
        ASSERT_TRUE(session.ok()) << path << ": " << session.status();
        v1::SessionRecord record = RunToEnd(**session);
        // Records stored before BlockRecord.started_at_ms / ended_at_ms existed lack them (the
        // snapshot format did not change: old snapshots restore with 0 for blocks already begun).
        // The new fields are checked here instead: in time order, within the session.
        const size_t blocks_at = expected.find("\"blocks\"");
        const bool stored_before_block_times =
            blocks_at == std::string::npos ||
            expected.find("\"startedAtMs\"", blocks_at) == std::string::npos;
        int64_t previous_end = 0;
        for (v1::BlockRecord& block : *record.mutable_blocks()) {
          if (block.started_at_ms() != 0) {
            EXPECT_GE(block.started_at_ms(), previous_end) << path;
            EXPECT_GE(block.ended_at_ms(), block.started_at_ms()) << path;
            EXPECT_LE(block.ended_at_ms(), record.ended_at_ms()) << path;
            previous_end = block.ended_at_ms();
          }
          if (stored_before_block_times) {
            block.clear_started_at_ms();
            block.clear_ended_at_ms();
          }
        }
        EXPECT_EQ(RecordJson(record), expected) << path;
        ++restored;
      }
    }
  }
  EXPECT_EQ(restored, static_cast<int>(std::size(kPoints) * std::size(kExtensions)));
}

// A snapshot from a newer version is refused, naming both versions.
TEST(SnapshotCompat, ANewerVersionIsRefusedNamingBoth) {
  std::unique_ptr<Session> session = SessionAt(kPoints[1]);
  v1::SessionSnapshot newer = session->SnapshotProto();
  newer.set_version(kSnapshotVersion + 1);
  for (const char* extension : kExtensions) {
    absl::StatusOr<std::string> bytes = SerializeMessage(newer, FormatOf(extension));
    ASSERT_TRUE(bytes.ok());
    absl::StatusOr<std::unique_ptr<Session>> restored =
        Session::Restore(*bytes, FormatOf(extension));
    ASSERT_FALSE(restored.ok());
    EXPECT_EQ(restored.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(restored.status().message()),
                ::testing::HasSubstr(absl::StrCat("version ", kSnapshotVersion + 1)));
    EXPECT_THAT(std::string(restored.status().message()),
                ::testing::HasSubstr(absl::StrCat("reads version ", kSnapshotVersion)));
    EXPECT_THAT(std::string(restored.status().message()), ::testing::HasSubstr("newer"));
  }
}

}  // namespace
}  // namespace regimen
