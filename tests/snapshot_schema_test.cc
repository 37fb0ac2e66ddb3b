// The snapshot schema (proto/regimen/v1/plan.proto) keeps every retired field reserved, by
// number and by name, so neither is reused with another meaning: a snapshot written by an older
// version would be misread by a newer one that gave the number to a new field.
#include "gtest/gtest.h"
#include "regimen/v1/plan.pb.h"

namespace regimen {
namespace {

// SessionState.reps_in_set (25) was never read or written: the reps of the current set are
// computed from the plan and the cursor (StageWalk::RepsInSet in src/session/stage_walk.h).
TEST(SnapshotSchema, RepsInSetIsRetired) {
  const google::protobuf::Descriptor* state = v1::SessionState::descriptor();
  EXPECT_EQ(state->FindFieldByNumber(25), nullptr);
  EXPECT_EQ(state->FindFieldByName("reps_in_set"), nullptr);
  EXPECT_TRUE(state->IsReservedNumber(25));
  EXPECT_TRUE(state->IsReservedName("reps_in_set"));
}

}  // namespace
}  // namespace regimen
