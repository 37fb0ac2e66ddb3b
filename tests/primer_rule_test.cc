// The seed's first rule, grow through the spine first: a routine whose first block is not the
// catalog's primer is invalid, with an error naming the block, wherever a routine meets a
// catalog (ValidateRoutine, CompilePlan and Session::Create, catalog parsing, progression's
// request); and every routine the library makes satisfies it: the pack's own, generated ones
// over many profiles, and progressed ones over weeks of real sessions. (The builder's side is in
// routine_builder_test.cc.)
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/plan.h"
#include "regimen/progression.h"
#include "regimen/routine.h"
#include "regimen/session.h"
#include "tests/session_test_util.h"

namespace regimen {
namespace {

using testing::StatusIs;

constexpr char kNoPrimer[] = "blocks[0]: a routine starts with the primer grow_through_spine, got ";

const Catalog& Pack() { return Catalog::Default(); }

// back_basics without its primer: the three core exercises.
v1::Routine CoreOnly() {
  v1::Routine routine = *Pack().FindRoutine("back_basics");
  routine.mutable_blocks()->DeleteSubrange(0, 1);
  routine.clear_levels();
  return routine;
}

std::vector<std::string> Messages(const std::vector<ValidationError>& errors) {
  std::vector<std::string> out;
  for (const ValidationError& error : errors) out.push_back(error.ToString());
  return out;
}

TEST(PrimerRule, TheCatalogMarksItsPrimer) {
  ASSERT_NE(Pack().Primer(), nullptr);
  EXPECT_EQ(Pack().Primer()->id(), "grow_through_spine");
}

TEST(PrimerRule, ValidateRoutineNamesTheFirstBlock) {
  EXPECT_THAT(Messages(ValidateRoutine(CoreOnly(), Pack())),
              ::testing::ElementsAre(std::string(kNoPrimer) + "prone_lift"));
  // Only the first block is fixed: the primer may come again later.
  v1::Routine twice = *Pack().FindRoutine("back_basics");
  *twice.add_blocks() = twice.blocks(0);
  EXPECT_THAT(ValidateRoutine(twice, Pack()), ::testing::IsEmpty());
  // An unknown first exercise is reported once, as unknown.
  v1::Routine unknown = CoreOnly();
  unknown.mutable_blocks(0)->set_exercise_id("nope");
  EXPECT_THAT(Messages(ValidateRoutine(unknown, Pack())),
              ::testing::ElementsAre("blocks[0].exercise_id: unknown exercise \"nope\""));
}

TEST(PrimerRule, NoSessionOfARoutineWithoutThePrimer) {
  EXPECT_THAT(CompilePlan(Pack(), CoreOnly()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, std::string(kNoPrimer) + "prone_lift"));
  EXPECT_THAT(Session::Create(Pack(), CoreOnly()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, kNoPrimer));
}

TEST(PrimerRule, ACatalogRoutineMustStartWithThePrimer) {
  v1::Catalog proto = Pack().proto();
  ASSERT_EQ(proto.routines(0).id(), "back_basics");
  proto.mutable_routines(0)->mutable_blocks()->SwapElements(0, 1);
  EXPECT_THAT(Catalog::FromProto(proto).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "routines[0].blocks[0]: a routine starts with the primer "
                       "grow_through_spine, got prone_lift"));
}

TEST(PrimerRule, ACatalogWithoutAPrimerLetsAnyExerciseComeFirst) {
  v1::Catalog proto = Pack().proto();
  for (v1::Exercise& exercise : *proto.mutable_exercises()) exercise.set_primer(false);
  absl::StatusOr<Catalog> catalog = Catalog::FromProto(proto);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  EXPECT_EQ(catalog->Primer(), nullptr);
  EXPECT_THAT(ValidateRoutine(CoreOnly(), *catalog), ::testing::IsEmpty());
}

TEST(PrimerRule, EveryRoutineOfThePackStartsWithIt) {
  ASSERT_GT(Pack().proto().routines_size(), 0);
  for (const v1::Routine& routine : Pack().proto().routines()) {
    ASSERT_GT(routine.blocks_size(), 0) << routine.id();
    EXPECT_EQ(routine.blocks(0).exercise_id(), "grow_through_spine") << routine.id();
    EXPECT_THAT(ValidateRoutine(routine, Pack()), ::testing::IsEmpty()) << routine.id();
  }
}

// Profiles over the whole space the generator reads: levels, budgets, sessions per week,
// conditions (a primer_only one gives the primer alone), the attestation, seeds.
v1::Profile ProfileFor(testing::SplitMix64& random) {
  v1::Profile profile;
  profile.set_level(static_cast<uint32_t>(random.Below(6)));
  profile.set_minutes_per_week(static_cast<uint32_t>(random.Below(61)));
  profile.set_sessions_per_week(static_cast<uint32_t>(random.Below(8)));
  profile.set_seed(random.Next());
  for (const v1::ConditionDef& condition : Pack().proto().conditions()) {
    if (random.Below(8) == 0) profile.add_conditions(condition.id());
  }
  if (random.Below(2) == 0) profile.add_attestations("spine_flexible_strong_balanced");
  return profile;
}

TEST(PrimerRule, GeneratedRoutinesStartWithIt) {
  testing::SplitMix64 random{13};
  int generated = 0;
  for (int i = 0; i < 2000; ++i) {
    const v1::Profile profile = ProfileFor(random);
    absl::StatusOr<v1::Routine> routine = GenerateRoutine(Pack(), profile);
    if (!routine.ok()) {  // a budget too small even for the primer
      EXPECT_THAT(routine.status(), StatusIs(absl::StatusCode::kOutOfRange)) << routine.status();
      continue;
    }
    ++generated;
    ASSERT_GT(routine->blocks_size(), 0);
    EXPECT_EQ(routine->blocks(0).exercise_id(), "grow_through_spine") << profile.DebugString();
    EXPECT_THAT(ValidateRoutine(*routine, Pack()), ::testing::IsEmpty());
  }
  EXPECT_GT(generated, 1000);
}

// Runs `routine` for the user of `profile` (their attestations in the options), with a pain
// report of `pain` early in the second block when pain > 0; returns the record.
v1::SessionRecord RunFor(const v1::Routine& routine, const v1::Profile& profile, int pain) {
  v1::SessionOptions options;
  *options.mutable_attestations() = profile.attestations();
  absl::StatusOr<std::unique_ptr<Session>> session = Session::Create(Pack(), routine, options);
  EXPECT_TRUE(session.ok()) << session.status();
  if (!session.ok()) return {};
  v1::SessionScript script;
  if (pain > 0 && routine.blocks_size() > 1) {
    v1::SessionInput* input = script.add_inputs();
    input->set_at_ms(60000);
    input->mutable_report()->set_kind(v1::REPORT_PAIN);
    input->mutable_report()->set_value(pain);
  }
  EXPECT_TRUE(RunScript(**session, script, [](const Event&) {}).ok());
  return (*session)->Record();
}

TEST(PrimerRule, ProgressedRoutinesStartWithIt) {
  testing::SplitMix64 random{7};
  int decisions = 0;
  for (int user = 0; user < 40; ++user) {
    v1::ProgressRequest request;
    *request.mutable_profile() = ProfileFor(random);
    request.mutable_profile()->set_minutes_per_week(20 + static_cast<uint32_t>(random.Below(40)));
    absl::StatusOr<v1::Routine> routine = GenerateRoutine(Pack(), request.profile());
    ASSERT_TRUE(routine.ok()) << routine.status();
    *request.mutable_routine() = *std::move(routine);
    for (int week = 0; week < 8; ++week) {
      const int pain = random.Below(6) == 0 ? static_cast<int>(random.Below(8)) : 0;
      *request.add_records() = RunFor(request.routine(), request.profile(), pain);
      absl::StatusOr<v1::ProgressDecision> decision = Progress(Pack(), request);
      ASSERT_TRUE(decision.ok()) << decision.status();
      ++decisions;
      ASSERT_GT(decision->routine().blocks_size(), 0);
      EXPECT_EQ(decision->routine().blocks(0).exercise_id(), "grow_through_spine");
      EXPECT_THAT(ValidateRoutine(decision->routine(), Pack()), ::testing::IsEmpty());
      *request.mutable_routine() = decision->routine();
    }
  }
  EXPECT_EQ(decisions, 40 * 8);
}

TEST(PrimerRule, ProgressRefusesARoutineWithoutThePrimer) {
  v1::ProgressRequest request;
  *request.mutable_routine() = CoreOnly();
  EXPECT_THAT(Progress(Pack(), request).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, std::string("routine.") + kNoPrimer));
}

}  // namespace
}  // namespace regimen
