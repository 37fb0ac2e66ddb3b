// Snapshots: a session written as a self-contained, versioned SessionSnapshot (its plan and its
// state), and a session made again from one. Restoring checks every field of the state against
// the plan; a binary snapshot whose plan bytes equal one of the last few plans restored reuses
// that prepared plan (RecentPlans in snapshot.cc) instead of parsing and validating it again.
#ifndef REGIMEN_SRC_SESSION_SNAPSHOT_H_
#define REGIMEN_SRC_SESSION_SNAPSHOT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/format.h"
#include "regimen/v1/session.pb.h"
#include "src/session/engine.h"

namespace regimen::session_internal {

// The snapshot as a message (options at their defaults left out of the plan).
v1::SessionSnapshot SnapshotProto(const Engine& engine);
// The snapshot in `format`; binary without copying the plan. Errors: INTERNAL when
// serialization fails, UNIMPLEMENTED for JSON and text in a protobuf-lite build.
absl::StatusOr<std::string> WriteSnapshot(const Engine& engine, Format format);
// A session from a snapshot. Errors: INVALID_ARGUMENT (malformed or inconsistent),
// FAILED_PRECONDITION (another snapshot version), RESOURCE_EXHAUSTED (over 4 MiB).
absl::StatusOr<std::unique_ptr<Engine>> ReadSnapshot(absl::string_view snapshot, Format format);

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_SNAPSHOT_H_
