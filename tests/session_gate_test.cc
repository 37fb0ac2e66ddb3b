// Safety at session creation and while running, on the default pack: a routine holding a gated
// exercise makes a session only with the attestations its gate names (the attestation half of
// the gate; the history half is progression's), and a pain report of 7 during the first core
// exercise of back_basics_plus ends the session there, the gated rock never starting.
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/plan.h"
#include "regimen/session.h"
#include "tests/session_test_util.h"

namespace regimen {
namespace {

using testing::StatusIs;

constexpr char kAttestation[] = "spine_flexible_strong_balanced";

const v1::Routine& Plus() { return *Catalog::Default().FindRoutine("back_basics_plus"); }

v1::SessionOptions Attested() {
  v1::SessionOptions options;
  options.add_attestations(kAttestation);
  return options;
}

TEST(SessionGate, AGatedRoutineIsRefusedWithoutItsAttestation) {
  absl::StatusOr<std::unique_ptr<Session>> session = Session::Create(Catalog::Default(), Plus());
  // Nothing is created: the StatusOr holds no session, only the refusal.
  ASSERT_FALSE(session.ok());
  EXPECT_THAT(session.status(), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(session.status().message(),
            "blocks[4]: exercise prone_rock is gated and the session options lack the "
            "attestation spine_flexible_strong_balanced (SessionOptions.attestations)");
  // The plan is refused alike: no path makes a session of it without the attestation.
  EXPECT_THAT(CompilePlan(Catalog::Default(), Plus()).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, "prone_rock"));
}

TEST(SessionGate, OtherOptionsDoNotOpenTheGate) {
  v1::SessionOptions options;
  options.set_pain_stop_threshold(3);
  options.set_words_per_minute(120);
  EXPECT_THAT(Session::Create(Catalog::Default(), Plus(), options).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, kAttestation));
}

TEST(SessionGate, WithTheAttestationTheRockRuns) {
  absl::StatusOr<std::unique_ptr<Session>> session =
      Session::Create(Catalog::Default(), Plus(), Attested());
  ASSERT_TRUE(session.ok()) << session.status();
  std::vector<std::string> started;
  ASSERT_TRUE(RunScript(**session, {}, [&](const Event& e) {
                if (e.type == v1::SessionEvent::EXERCISE_STARTED) started.push_back(e.exercise_id);
              }).ok());
  EXPECT_THAT(started, ::testing::ElementsAre("grow_through_spine", "prone_lift", "prone_leg_lift",
                                              "prone_opposite_lift", "prone_rock"));
  EXPECT_EQ((*session)->Record().end(), v1::SESSION_END_COMPLETED);
  // The session keeps the options it was made with.
  EXPECT_THAT((*session)->plan().options().attestations(), ::testing::ElementsAre(kAttestation));
}

TEST(SessionGate, AnUngatedRoutineNeedsNoAttestation) {
  EXPECT_TRUE(
      Session::Create(Catalog::Default(), *Catalog::Default().FindRoutine("back_basics")).ok());
}

TEST(SessionGate, AnUnknownAttestationIsAnInvalidArgument) {
  v1::SessionOptions options = Attested();
  options.add_attestations("spine_flexible");
  EXPECT_THAT(Session::Create(Catalog::Default(), Plus(), options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "options.attestations[1]: unknown attestation \"spine_flexible\""));
}

// A gate naming two attestations: the refusal names every one that is missing.
TEST(SessionGate, EveryMissingAttestationIsNamed) {
  v1::Catalog proto = Catalog::Default().proto();
  v1::AttestationDef* extra = proto.add_attestations();
  extra->set_id("cleared_by_physio");
  extra->set_description("A physiotherapist cleared the rock.");
  for (v1::Exercise& exercise : *proto.mutable_exercises()) {
    if (exercise.id() == "prone_rock")
      exercise.mutable_gate()->add_attestations("cleared_by_physio");
  }
  absl::StatusOr<Catalog> catalog = Catalog::FromProto(proto);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const v1::Routine& plus = *catalog->FindRoutine("back_basics_plus");
  EXPECT_THAT(Session::Create(*catalog, plus).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "lack the attestations spine_flexible_strong_balanced, cleared_by_physio"));
  EXPECT_THAT(
      Session::Create(*catalog, plus, Attested()).status(),
      StatusIs(absl::StatusCode::kFailedPrecondition, "lack the attestation cleared_by_physio"));
  v1::SessionOptions both = Attested();
  both.add_attestations("cleared_by_physio");
  EXPECT_TRUE(Session::Create(*catalog, plus, both).ok());
}

// Pain 7 during the first core exercise (prone_lift, block 1) of back_basics_plus: SAFETY_STOP,
// EXERCISE_COMPLETED and SESSION_COMPLETED follow; no exercise starts after it, so the gated
// rock never runs; the record's end is SESSION_END_SAFETY_STOP.
TEST(SessionGate, PainSevenInTheFirstCoreExerciseEndsTheSession) {
  absl::StatusOr<std::unique_ptr<Session>> made =
      Session::Create(Catalog::Default(), Plus(), Attested());
  ASSERT_TRUE(made.ok()) << made.status();
  Session& session = **made;
  ASSERT_TRUE(session.Start(0).ok());
  std::vector<Event> events;
  Event e;
  bool in_core = false;
  for (int guard = 0; guard < 10000 && !in_core; ++guard) {
    while (session.Poll(&e)) {
      events.push_back(e);
      in_core |= e.type == v1::SessionEvent::EXERCISE_STARTED && e.block_index == 1;
    }
    if (!in_core) {
      ASSERT_TRUE(session.Tick(session.NextDeadline()).ok());
    }
  }
  ASSERT_TRUE(in_core);
  const int64_t at = events.back().at_ms + 3000;
  ASSERT_TRUE(session.Tick(at).ok());
  ASSERT_TRUE(session.Report(v1::REPORT_PAIN, 7, v1::SIDE_UNSPECIFIED, at, "low back").ok());
  const size_t before = events.size();
  for (int64_t d = session.NextDeadline(); d >= 0; d = session.NextDeadline()) {
    ASSERT_TRUE(session.Tick(d).ok());
  }
  while (session.Poll(&e)) events.push_back(e);
  EXPECT_TRUE(session.Finished());
  std::vector<v1::SessionEvent::Type> after;
  for (size_t i = before; i < events.size(); ++i) {
    if (events[i].type != v1::SessionEvent::CUE &&
        events[i].type != v1::SessionEvent::CUE_SKIPPED) {
      after.push_back(events[i].type);
    }
  }
  EXPECT_THAT(after, ::testing::ElementsAre(v1::SessionEvent::SAFETY_STOP,
                                            v1::SessionEvent::EXERCISE_COMPLETED,
                                            v1::SessionEvent::SESSION_COMPLETED));
  for (size_t i = before; i < events.size(); ++i) {
    if (events[i].type == v1::SessionEvent::SAFETY_STOP) {
      EXPECT_EQ(events[i].at_ms, at);
      EXPECT_STREQ(events[i].exercise_id, "prone_lift");
    }
  }
  const v1::SessionRecord record = session.Record();
  EXPECT_EQ(record.end(), v1::SESSION_END_SAFETY_STOP);
  ASSERT_EQ(record.safety_stops_size(), 1);
  EXPECT_EQ(record.safety_stops(0).pain(), 7);
  for (const v1::BlockRecord& block : record.blocks()) {
    if (block.block_index() == 1) {
      EXPECT_EQ(block.outcome(), v1::BLOCK_OUTCOME_SAFETY_STOPPED);
    } else if (block.block_index() > 1) {  // not reached: the rock (block 4) among them
      EXPECT_EQ(block.outcome(), v1::BLOCK_OUTCOME_UNSPECIFIED) << block.exercise_id();
    }
  }
}

}  // namespace
}  // namespace regimen
