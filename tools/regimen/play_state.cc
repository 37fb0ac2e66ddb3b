// Durable writes of the player's state file (see play_state.h).
#include "tools/regimen/play_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tools/regimen/cli_util.h"

namespace regimen::cli {
namespace {

absl::Status SystemError(const std::string& path, const char* what) {
  return absl::UnavailableError(
      absl::StrCat("state file ", path, ": ", what, ": ", std::strerror(errno)));
}

std::string Folder(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// write() until everything is written.
bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

absl::Status WriteState(const std::string& path, const v1::PlayerState& state) {
  const std::string bytes = state.SerializeAsString();
  const std::string temporary = absl::StrCat(path, ".tmp");
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return SystemError(temporary, "cannot create");
  const bool written = WriteAll(fd, bytes) && fsync(fd) == 0;
  const int saved_errno = errno;
  close(fd);
  if (!written) {
    errno = saved_errno;
    return SystemError(temporary, "cannot write");
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) return SystemError(path, "cannot replace");
  const int folder = open(Folder(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    fsync(folder);
    close(folder);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::PlayerState> ReadState(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  v1::PlayerState state;
  if (!state.ParseFromString(*bytes) || !state.has_snapshot()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a state file of regimen play (--state)"));
  }
  return state;
}

void RemoveState(const std::string& path) { unlink(path.c_str()); }

std::string NewSessionUid() {
  std::string random(16, '\0');
  const int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  bool ok = fd >= 0 && read(fd, random.data(), random.size()) == 16;
  if (fd >= 0) close(fd);
  if (!ok) {
    const auto now = std::chrono::system_clock::now().time_since_epoch().count();
    random = absl::StrCat(now, "-", getpid());
    return random;
  }
  return absl::BytesToHexString(random);
}

}  // namespace regimen::cli
