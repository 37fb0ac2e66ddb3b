// The session's record as it is kept while the session runs: the SessionRecord message for
// scalars, reports and safety stops (no routine id, no blocks), and each block's part as plain
// counters (PreparedPlan's BlockCounts), turned into messages only when a record or a snapshot
// is asked for.
#ifndef REGIMEN_SRC_SESSION_SESSION_RECORD_H_
#define REGIMEN_SRC_SESSION_SESSION_RECORD_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "regimen/v1/session.pb.h"
#include "src/session/prepared_plan.h"

namespace regimen::session_internal {

class SessionRecorder {
 public:
  // Empty, for a session of `plan` (planned counts filled in), keeping the memory it holds.
  void Reset(const PreparedPlan& plan);

  v1::SessionRecord& proto() { return record_; }
  const v1::SessionRecord& proto() const { return record_; }
  BlockCounts& block(int32_t index) { return counts_[index]; }
  const std::vector<BlockCounts>& blocks() const { return counts_; }
  // The counts of one side of a block of `plan` (bilateral exercises: the only one).
  SideCounts& side(const PreparedPlan& plan, int32_t block, v1::Side side) {
    return counts_[block].sides[plan.blocks[block].sided && side == v1::RIGHT ? 1 : 0];
  }

  // Appends the blocks as messages to *out (with_plan_fields: also what the plan determines:
  // block index, exercise id, planned sets, level and sides; snapshots leave those out).
  void AddBlocks(const PreparedPlan& plan, v1::SessionRecord* out, bool with_plan_fields) const;

  // Allocates what a safety stop records, so that an input that may stop the session can fail
  // (bad_alloc) before it changes anything.
  void PrepareSafetyStop(const PreparedPlan& plan);
  // The record of a safety stop (the one PrepareSafetyStop made when there is one).
  v1::SafetyStopRecord* AddSafetyStop();

 private:
  v1::SessionRecord record_;
  std::vector<BlockCounts> counts_;
  std::unique_ptr<v1::SafetyStopRecord> spare_stop_;
};

}  // namespace regimen::session_internal

#endif  // REGIMEN_SRC_SESSION_SESSION_RECORD_H_
