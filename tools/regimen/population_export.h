// The export of `regimen simulate-population --export DIR`: for every simulated user, the inputs
// of their last weekly progression decision and the decision the simulation made from them, as
// JSON lines in three files (one object per line, users in order, protobuf binary in base64):
//
//   DIR/profiles.jsonl   {"user_id": 7, "profile": <Profile>, "routine": <Routine>}
//   DIR/records.jsonl    {"user_id": 7, "seq": 0, "record": <SessionRecord>, "safety_stops": 0}
//                        (the records the decision looked at, oldest first: seq 0, 1, ...)
//   DIR/decisions.jsonl  {"user_id": 7, "decision": <ProgressDecision>}
//
// A ProgressRequest made of a user's routine, profile and records, in that order, gives their
// decision again (examples/spark/weekly_progression.py does that on Spark, from the same files
// turned into Parquet by examples/spark/jsonl_to_parquet.py; docs/spark.md).
//
//   absl::StatusOr<std::unique_ptr<PopulationExport>> out = PopulationExport::Open(dir);
//   ExportBatch batch;   // per worker thread, for a batch of consecutive users
//   batch.AddInputs(user_id, request);
//   batch.AddDecision(user_id, decision);
//   (*out)->Submit(batch_index, std::move(batch));   // from any thread
//   absl::Status written = (*out)->Close();
#ifndef REGIMEN_TOOLS_REGIMEN_POPULATION_EXPORT_H_
#define REGIMEN_TOOLS_REGIMEN_POPULATION_EXPORT_H_

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regimen/progression.h"

namespace regimen::cli {

// The lines of a batch of consecutive users, in user order. Not thread-safe: one per thread.
class ExportBatch {
 public:
  // The profile, routine and records of `request`: the inputs of the user's decision.
  void AddInputs(uint64_t user_id, const v1::ProgressRequest& request);
  // The decision the simulation made from those inputs.
  void AddDecision(uint64_t user_id, const v1::ProgressDecision& decision);

 private:
  friend class PopulationExport;
  std::string profiles_;
  std::string records_;
  std::string decisions_;
  std::string scratch_;  // a message's bytes, reused
};

// The three files in a folder. Submit is thread-safe; batches are written in the order of their
// index (0, 1, 2, ...) whatever order they are submitted in, so the files are the same for any
// number of threads.
class PopulationExport {
 public:
  // Makes `dir` (and its parents) when missing and creates the three files in it, replacing
  // files of those names. Errors: PERMISSION_DENIED or NOT_FOUND naming the folder or file that
  // cannot be made.
  static absl::StatusOr<std::unique_ptr<PopulationExport>> Open(const std::string& dir);

  // REQUIRES: every index from 0 is submitted exactly once.
  void Submit(uint64_t index, ExportBatch batch);

  // Flushes and closes the files. Errors: DATA_LOSS naming a file that could not be written
  // in full (a full disk), or INTERNAL when a batch was never submitted.
  absl::Status Close();

 private:
  PopulationExport() = default;
  void WriteLocked(const ExportBatch& batch);

  std::mutex mu_;
  uint64_t next_ = 0;                        // the index of the batch to write next
  std::map<uint64_t, ExportBatch> waiting_;  // submitted before the batches ahead of them
  std::string paths_[3];
  std::ofstream files_[3];
};

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_POPULATION_EXPORT_H_
