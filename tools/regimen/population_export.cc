#include "tools/regimen/population_export.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace regimen::cli {
namespace {

constexpr const char* kFiles[3] = {"profiles.jsonl", "records.jsonl", "decisions.jsonl"};

// `message`'s bytes in base64 (what protobuf's JSON mapping uses for bytes), via `scratch`.
std::string Base64(const google::protobuf::MessageLite& message, std::string& scratch) {
  scratch.clear();
  message.AppendToString(&scratch);
  return absl::Base64Escape(scratch);
}

absl::Status FileError(const std::string& what, const std::string& path, int error) {
  std::string message =
      absl::StrCat("--export: cannot ", what, " ", path, ": ", std::strerror(error));
  if (error == EACCES || error == EPERM || error == EROFS) {
    return absl::PermissionDeniedError(message);
  }
  return absl::NotFoundError(message);
}

}  // namespace

void ExportBatch::AddInputs(uint64_t user_id, const v1::ProgressRequest& request) {
  absl::StrAppend(&profiles_, "{\"user_id\":", user_id, ",\"profile\":\"",
                  Base64(request.profile(), scratch_), "\",\"routine\":\"",
                  Base64(request.routine(), scratch_), "\"}\n");
  for (int i = 0; i < request.records_size(); ++i) {
    const v1::SessionRecord& record = request.records(i);
    absl::StrAppend(&records_, "{\"user_id\":", user_id, ",\"seq\":", i, ",\"record\":\"",
                    Base64(record, scratch_), "\",\"safety_stops\":", record.safety_stops_size(),
                    "}\n");
  }
}

void ExportBatch::AddDecision(uint64_t user_id, const v1::ProgressDecision& decision) {
  absl::StrAppend(&decisions_, "{\"user_id\":", user_id, ",\"decision\":\"",
                  Base64(decision, scratch_), "\"}\n");
}

absl::StatusOr<std::unique_ptr<PopulationExport>> PopulationExport::Open(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return FileError("make the folder", dir, error.value());
  std::unique_ptr<PopulationExport> out(new PopulationExport());
  for (int i = 0; i < 3; ++i) {
    out->paths_[i] = (std::filesystem::path(dir) / kFiles[i]).string();
    errno = 0;
    out->files_[i].open(out->paths_[i], std::ios::binary | std::ios::trunc);
    if (!out->files_[i]) {
      const int cause = errno != 0 ? errno : EACCES;
      return FileError("create", out->paths_[i], cause);
    }
  }
  return out;
}

void PopulationExport::WriteLocked(const ExportBatch& batch) {
  files_[0] << batch.profiles_;
  files_[1] << batch.records_;
  files_[2] << batch.decisions_;
}

void PopulationExport::Submit(uint64_t index, ExportBatch batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (index != next_) {
    waiting_.emplace(index, std::move(batch));
    return;
  }
  WriteLocked(batch);
  ++next_;
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_;
       it = waiting_.erase(it)) {
    WriteLocked(it->second);
    ++next_;
  }
}

absl::Status PopulationExport::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  absl::Status status;
  if (!waiting_.empty()) {
    status = absl::InternalError(
        absl::StrCat("--export: batch ", next_, " was never written; the files are incomplete"));
  }
  for (int i = 0; i < 3; ++i) {
    files_[i].flush();
    const bool written = files_[i].good();
    files_[i].close();
    if ((!written || files_[i].fail()) && status.ok()) {
      status = absl::DataLossError(
          absl::StrCat("--export: could not write all of ", paths_[i], " (is the disk full?)"));
    }
  }
  return status;
}

}  // namespace regimen::cli
