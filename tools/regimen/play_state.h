// The state file of `regimen play --state FILE` (a regimen.v1.PlayerState, binary), written so
// that a player killed at any moment leaves either the previous state or the new one.
#ifndef REGIMEN_TOOLS_REGIMEN_PLAY_STATE_H_
#define REGIMEN_TOOLS_REGIMEN_PLAY_STATE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regimen/v1/player.pb.h"

namespace regimen::cli {

// Writes `state` to `path` durably: to a temporary file beside it, fsync, rename over `path`,
// fsync the folder. Errors: UNAVAILABLE naming the file and the system's reason.
absl::Status WriteState(const std::string& path, const v1::PlayerState& state);

// Errors: NOT_FOUND when there is no such file; INVALID_ARGUMENT when it is not a player state.
absl::StatusOr<v1::PlayerState> ReadState(const std::string& path);

// Removes the state file (a finished session needs none). Missing is fine.
void RemoveState(const std::string& path);

// A new random id for a session ("5f0c…", 32 hex digits).
std::string NewSessionUid();

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_PLAY_STATE_H_
