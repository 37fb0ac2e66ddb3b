// RoutineBuilder, and the routine functions it stands on: effective prescriptions, rep sides,
// phase durations and EstimateRoutineMs (docs/timing.md).
#include "regimen/routine_builder.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/routine.h"

namespace regimen {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

[[maybe_unused]] absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// The Abseil here predates StatusIs: a small local matcher on the code.
MATCHER_P(StatusIs, code, "") {
  const absl::Status status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

std::vector<std::string> Lines(const absl::Status& status) {
  return absl::StrSplit(status.message(), '\n');
}

const Catalog& Pack() { return Catalog::Default(); }

template <typename T>
T Text(const char* text) {
  T message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

// --- RoutineBuilder -------------------------------------------------------------------------

TEST(RoutineBuilderTest, BuildsAValidatedRoutineWithItsDuration) {
  absl::StatusOr<v1::Routine> routine = RoutineBuilder(Pack())
                                            .Id("mine")
                                            .Name("Mine")
                                            .Add("grow_through_spine")
                                            .RestAfterMs(5000)
                                            .Add("prone_lift")
                                            .Sets(2)
                                            .Reps(6)
                                            .HoldBreaths(2)
                                            .Tempo(2000, 2000)
                                            .RestBetweenSetsMs(15000)
                                            .RestAfterMs(10000)
                                            .Add("prone_leg_lift")
                                            .Bias(v1::LEFT, 1)
                                            .LeadCue("even_out_sides")
                                            .Build();
  ASSERT_TRUE(routine.ok()) << routine.status();
  EXPECT_EQ(routine->id(), "mine");
  EXPECT_EQ(routine->name(), "Mine");
  ASSERT_EQ(routine->blocks_size(), 3);
  EXPECT_EQ(routine->blocks(1).exercise_id(), "prone_lift");
  const v1::Prescription& lift = routine->blocks(1).prescription();
  EXPECT_EQ(lift.sets(), 2u);
  EXPECT_EQ(lift.reps(), 6u);
  EXPECT_EQ(lift.hold().breaths(), 2u);
  EXPECT_EQ(lift.rest_between_sets_ms(), 15000);
  EXPECT_EQ(routine->blocks(1).rest_after_ms(), 10000);
  EXPECT_THAT(routine->blocks(2).lead_cue_ids(), ElementsAre("even_out_sides"));
  EXPECT_TRUE(routine->levels().empty());
  // count-in 5000; primer 5000 + 4 breaths 20000, rest 5000;
  // prone_lift 5000 + 2 sets × 6 × (2000 + 10000 + 2000 + 2000) + 15000 rest, rest 10000;
  // prone_leg_lift 5000 + 9 reps × 7000 + 8 switches × 2000 (L R L R L R L R, then L).
  const int64_t expected =
      5000 + 25000 + 5000 + (5000 + 12 * 16000 + 15000) + 10000 + (5000 + 9 * 7000 + 8 * 2000);
  EXPECT_EQ(routine->estimated_duration_ms(), expected);
  EXPECT_EQ(*EstimateRoutineMs(*routine, Pack()), expected);
}

TEST(RoutineBuilderTest, AddStartsFromTheExercisesDefaultPrescription) {
  absl::StatusOr<v1::Routine> routine =
      RoutineBuilder(Pack()).Id("d").Add("grow_through_spine").Add("prone_rock").Build();
  ASSERT_TRUE(routine.ok()) << routine.status();
  EXPECT_EQ(routine->name(), "d");
  EXPECT_EQ(routine->blocks(1).prescription().oscillations(), 8u);
  EXPECT_EQ(routine->blocks(1).prescription().SerializeAsString(),
            Pack().FindExercise("prone_rock")->default_prescription().SerializeAsString());
}

TEST(RoutineBuilderTest, ReportsEveryProblemWithItsPath) {
  absl::StatusOr<v1::Routine> routine = RoutineBuilder(Pack())
                                            .Id("bad")
                                            .Add("prone_lift")
                                            .Reps(20)
                                            .HoldBreaths(0)
                                            .Tempo(500, 2000)
                                            .Add("burpees")
                                            .Add("prone_opposite_lift")
                                            .Bias(v1::SIDE_UNSPECIFIED, 2)
                                            .LeadCue("nope")
                                            .RestAfterMs(-1)
                                            .Build();
  EXPECT_THAT(routine, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Lines(routine.status()),
              ElementsAre("blocks[0]: a routine starts with the primer grow_through_spine, got "
                          "prone_lift",
                          "blocks[0].prescription.reps: must be 4..12 for prone_lift, got 20",
                          "blocks[0].prescription.hold.breaths: must be 1..4 for prone_lift, got 0",
                          "blocks[0].prescription.tempo.lift_ms: must be 1000..5000 for "
                          "prone_lift, got 500",
                          "blocks[1].exercise_id: unknown exercise \"burpees\"",
                          "blocks[2].prescription.bias.side: must be LEFT or RIGHT when "
                          "extra_reps is 2 (prone_opposite_lift is sided)",
                          "blocks[2].lead_cue_ids[0]: unknown cue \"nope\" in exercise "
                          "prone_opposite_lift",
                          "blocks[2].rest_after_ms: must be 0..300000, got -1"));
}

TEST(RoutineBuilderTest, NotAllowedQuantitiesAreRefused) {
  absl::StatusOr<v1::Routine> routine = RoutineBuilder(Pack())
                                            .Id("x")
                                            .Add("grow_through_spine")
                                            .Add("prone_rock")
                                            .HoldMs(3000)
                                            .Tempo(1000, 1000)
                                            .Build();
  EXPECT_THAT(routine, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Lines(routine.status()),
              ElementsAre("blocks[1].prescription.hold.ms: not allowed for prone_rock (its safe "
                          "range max is 0), got 3000",
                          "blocks[1].prescription.tempo.lift_ms: not allowed for prone_rock (its "
                          "safe range max is 0), got 1000",
                          "blocks[1].prescription.tempo.lower_ms: not allowed for prone_rock "
                          "(its safe range max is 0), got 1000"));
}

TEST(RoutineBuilderTest, ClearingTheHoldTakesTheExercisesDefault) {
  absl::StatusOr<v1::Routine> routine = RoutineBuilder(Pack())
                                            .Id("x")
                                            .Add("grow_through_spine")
                                            .Add("prone_lift")
                                            .HoldBreaths(3)
                                            .DefaultHold()
                                            .Build();
  ASSERT_TRUE(routine.ok()) << routine.status();
  const v1::Exercise& lift = *Pack().FindExercise("prone_lift");
  EXPECT_FALSE(routine->blocks(routine->blocks_size() - 1).prescription().has_hold());
  EXPECT_EQ(
      EffectivePrescription(routine->blocks(routine->blocks_size() - 1), lift).hold().breaths(),
      lift.default_prescription().hold().breaths());
}

TEST(RoutineBuilderTest, ModifiersBeforeAddAndAMissingIdAreErrors) {
  absl::StatusOr<v1::Routine> routine =
      RoutineBuilder(Pack()).Reps(3).Add("grow_through_spine").Build();
  EXPECT_THAT(routine, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Lines(routine.status()),
              ElementsAre("blocks: Reps() called before Add(): no block to apply it to",
                          "id: must not be empty"));
  EXPECT_THAT(RoutineBuilder(Pack()).Id("empty").Build(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RoutineBuilderTest, TwoHundredBlocksBuildAndOneMoreIsResourceExhausted) {
  RoutineBuilder builder(Pack());
  builder.Id("long");
  for (int i = 0; i < 200; ++i) builder.Add("grow_through_spine");
  absl::StatusOr<v1::Routine> ok = builder.Build();
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->blocks_size(), 200);
  builder.Add("grow_through_spine");
  absl::StatusOr<v1::Routine> too_many = builder.Build();
  EXPECT_THAT(too_many, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(Lines(too_many.status()),
              ElementsAre("blocks: at most 200 blocks per routine, got 201"));
}

TEST(RoutineBuilderTest, LevelsMustExistOnTheExercisesLadder) {
  absl::StatusOr<v1::Routine> routine =
      RoutineBuilder(Pack()).Id("lv").Add("grow_through_spine").Add("prone_lift").Level(5).Build();
  ASSERT_TRUE(routine.ok()) << routine.status();
  EXPECT_THAT(routine->levels(), ElementsAre(0u, 5u));
  absl::StatusOr<v1::Routine> bad =
      RoutineBuilder(Pack()).Id("lv").Add("grow_through_spine").Add("prone_lift").Level(6).Build();
  EXPECT_THAT(Lines(bad.status()), ElementsAre("levels[1]: must be 0..5 for prone_lift, got 6"));
}

// The seed's first rule (grow through the spine first) holds for built routines: the builder
// adds nothing behind the caller's back, it refuses, naming the block.
TEST(RoutineBuilderTest, ARoutineMustStartWithThePrimer) {
  absl::StatusOr<v1::Routine> routine =
      RoutineBuilder(Pack()).Id("no_primer").Add("prone_lift").Add("grow_through_spine").Build();
  EXPECT_THAT(routine, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Lines(routine.status()),
              ElementsAre("blocks[0]: a routine starts with the primer grow_through_spine, got "
                          "prone_lift"));
  // The primer may come again later; only the first block is fixed.
  EXPECT_TRUE(RoutineBuilder(Pack())
                  .Id("twice")
                  .Add("grow_through_spine")
                  .Add("prone_lift")
                  .Add("grow_through_spine")
                  .Build()
                  .ok());
}

// --- Timing (docs/timing.md) ----------------------------------------------------------------

TEST(PhaseDurationTest, EachSpecFollowsTheTimingModel) {
  const v1::Prescription p = Text<v1::Prescription>(
      "hold { breaths: 3 } tempo { lift_ms: 1500 lower_ms: 2500 } oscillations: 6");
  auto spec = [](const char* text) { return Text<v1::DurationSpec>(text); };
  EXPECT_EQ(PhaseDurationMs(spec("fixed_ms: 1234"), p, 5000), 1234);
  EXPECT_EQ(PhaseDurationMs(spec("breaths: 4"), p, 6000), 24000);
  EXPECT_EQ(PhaseDurationMs(spec("tempo: TEMPO_PART_LIFT"), p, 5000), 1500);
  EXPECT_EQ(PhaseDurationMs(spec("tempo: TEMPO_PART_LOWER"), p, 5000), 2500);
  EXPECT_EQ(PhaseDurationMs(spec("oscillations { count: 8 period_ms: 3000 }"), p, 5000), 18000);
  EXPECT_EQ(PhaseDurationMs(spec("oscillations { count: 8 period_ms: 3000 }"), {}, 5000), 24000);
  EXPECT_EQ(PhaseDurationMs(spec("prescribed_hold {}"), p, 4000), 12000);
  EXPECT_EQ(
      PhaseDurationMs(spec("prescribed_hold {}"), Text<v1::Prescription>("hold { ms: 700 }"), 4000),
      700);
  EXPECT_EQ(PhaseDurationMs(spec("open {}"), p, 5000), -1);
  EXPECT_EQ(PhaseDurationMs(spec("open { timeout_ms: 9000 }"), p, 5000), 9000);
}

TEST(RepSidesTest, FollowsLateralityFirstSideAndBias) {
  using v1::LEFT;
  using v1::RIGHT;
  using v1::SIDE_UNSPECIFIED;
  const v1::Prescription two = Text<v1::Prescription>("reps: 2");
  EXPECT_THAT(RepSides(two, v1::LATERALITY_BILATERAL),
              ElementsAre(SIDE_UNSPECIFIED, SIDE_UNSPECIFIED));
  EXPECT_THAT(RepSides(two, v1::LATERALITY_ALTERNATING), ElementsAre(LEFT, RIGHT, LEFT, RIGHT));
  EXPECT_THAT(RepSides(two, v1::LATERALITY_PER_SIDE), ElementsAre(LEFT, LEFT, RIGHT, RIGHT));
  const v1::Prescription biased =
      Text<v1::Prescription>("reps: 2 first_side: RIGHT bias { side: LEFT extra_reps: 1 }");
  EXPECT_THAT(RepSides(biased, v1::LATERALITY_ALTERNATING),
              ElementsAre(RIGHT, LEFT, RIGHT, LEFT, LEFT));
  EXPECT_THAT(RepSides(biased, v1::LATERALITY_PER_SIDE),
              ElementsAre(RIGHT, RIGHT, LEFT, LEFT, LEFT));
  EXPECT_THAT(RepSides(Text<v1::Prescription>(""), v1::LATERALITY_UNSPECIFIED),
              ElementsAre(SIDE_UNSPECIFIED));
}

// A catalog with one exercise of every phase scope, to time by hand.
constexpr char kScopes[] = R"pb(
  exercises {
    id: "scoped"
    name: "Scoped"
    laterality: LATERALITY_ALTERNATING
    phases {
      kind: PHASE_SETUP
      scope: PHASE_SCOPE_EXERCISE_START
      duration { fixed_ms: 1000 }
    }
    phases {
      kind: PHASE_SETUP
      scope: PHASE_SCOPE_SET_START
      duration { fixed_ms: 200 }
    }
    phases {
      kind: PHASE_SWITCH_SIDE
      duration { fixed_ms: 30 }
    }
    phases {
      kind: PHASE_LIFT
      duration { fixed_ms: 4 }
    }
    phases {
      kind: PHASE_HOLD
      duration { open {} }
    }
    phases {
      kind: PHASE_RELAX
      scope: PHASE_SCOPE_EXERCISE_END
      duration { fixed_ms: 50000 }
    }
  }
)pb";

TEST(EstimateRoutineMsTest, SumsEveryScopeRestAndSideSwitch) {
  absl::StatusOr<Catalog> catalog = Catalog::Parse(kScopes, Format::kText);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  const v1::Routine routine = Text<v1::Routine>(R"pb(
    blocks {
      exercise_id: "scoped"
      prescription {
        sets: 3
        reps: 2
        rest_between_sets_ms: 700000
        rest_between_reps_ms: 6000000
        first_side: RIGHT
        bias { side: RIGHT extra_reps: 1 }
      }
      rest_after_ms: 100000000
    }
    blocks { exercise_id: "scoped" rest_after_ms: 100000000 }
  )pb");
  // Block 0: start 1000 + 3 sets × (200 + 5 reps × 4 + 4 switches × 30 + 4 rests × 6000000)
  //          + 2 × 700000 + end 50000, then rest 100000000 (not after the last block).
  // Block 1: 1000 + (200 + 2 × 4 + 1 × 30) + 50000. Open phases without timeout count 0.
  const int64_t block0 = 1000 + 3 * (200 + 5 * 4 + 4 * 30 + 4 * 6000000) + 2 * 700000 + 50000;
  const int64_t block1 = 1000 + 200 + 2 * 4 + 30 + 50000;
  EXPECT_EQ(*EstimateRoutineMs(routine, *catalog), 5000 + block0 + 100000000 + block1);

  v1::SessionOptions no_count_in;
  no_count_in.set_count_in_ms(0);
  EXPECT_EQ(*EstimateRoutineMs(routine, *catalog, no_count_in), block0 + 100000000 + block1);
}

TEST(EstimateRoutineMsTest, BreathPeriodScalesBreathPhases) {
  const v1::Routine* basics = Pack().FindRoutine("back_basics");
  ASSERT_NE(basics, nullptr);
  v1::SessionOptions slow;
  slow.set_breath_period_ms(6000);
  // back_basics holds 4 + 4 × 1 + 6 × 1 breaths = 14 breaths: 14 s more at 6 s a breath.
  EXPECT_EQ(*EstimateRoutineMs(*basics, Pack(), slow), *EstimateRoutineMs(*basics, Pack()) + 14000);
}

TEST(EstimateRoutineMsTest, BadOptionsAndUnknownExercisesAreErrors) {
  const v1::Routine* basics = Pack().FindRoutine("back_basics");
  v1::SessionOptions options;
  options.set_breath_period_ms(1999);
  EXPECT_THAT(EstimateRoutineMs(*basics, Pack(), options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  options.Clear();
  options.set_count_in_ms(30001);
  EXPECT_THAT(EstimateRoutineMs(*basics, Pack(), options),
              StatusIs(absl::StatusCode::kInvalidArgument));
  const v1::Routine unknown = Text<v1::Routine>(
      "blocks { exercise_id: \"grow_through_spine\" } "
      "blocks { exercise_id: \"nope\" }");
  absl::StatusOr<int64_t> ms = EstimateRoutineMs(unknown, Pack());
  EXPECT_THAT(ms, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ms.status().message(), "blocks[1].exercise_id: unknown exercise \"nope\"");
}

TEST(EstimateRoutineMsTest, AbsurdUnvalidatedNumbersSaturateInsteadOfOverflowing) {
  const v1::Routine routine = Text<v1::Routine>(
      "blocks { exercise_id: \"prone_leg_lift\" prescription { sets: 4000000000 reps: 4000000000 "
      "hold { ms: 9000000000000000000 } tempo { lift_ms: 1 lower_ms: 1 } } }");
  absl::StatusOr<int64_t> ms = EstimateRoutineMs(routine, Pack());
  ASSERT_TRUE(ms.ok());
  EXPECT_EQ(*ms, std::numeric_limits<int64_t>::max());
  EXPECT_THAT(ValidateRoutine(routine, Pack()), testing::Not(IsEmpty()));
}

TEST(ValidateRoutineTest, TheBuiltInRoutinesAreValid) {
  for (const v1::Routine& routine : Pack().proto().routines()) {
    EXPECT_THAT(ValidateRoutine(routine, Pack()), IsEmpty()) << routine.id();
  }
}

v1::Routine ParseRoutine(const std::string& text) {
  v1::Routine routine;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &routine)) << text;
  return routine;
}

// `prescription { sets: 2 }` is the exercise's default with two sets: valid, and as long as the
// full prescription written out.
TEST(EffectivePrescriptionTest, APartialPrescriptionTakesTheRestFromTheDefault) {
  const v1::Routine partial = ParseRoutine(R"pb(
    id: "partial"
    blocks { exercise_id: "grow_through_spine" }
    blocks {
      exercise_id: "prone_lift"
      prescription { sets: 2 }
    }
  )pb");
  EXPECT_THAT(ValidateRoutine(partial, Pack()), IsEmpty());
  v1::Routine full = partial;
  *full.mutable_blocks(1)->mutable_prescription() =
      Pack().FindExercise("prone_lift")->default_prescription();
  full.mutable_blocks(1)->mutable_prescription()->set_sets(2);
  const absl::StatusOr<int64_t> partial_ms = EstimateRoutineMs(partial, Pack());
  const absl::StatusOr<int64_t> full_ms = EstimateRoutineMs(full, Pack());
  ASSERT_TRUE(partial_ms.ok() && full_ms.ok());
  EXPECT_EQ(*partial_ms, *full_ms);
}

// Only a value the block gives can be out of range, and the error names it alone.
TEST(EffectivePrescriptionTest, OnlyAGivenValueIsOutOfRange) {
  const v1::Routine routine = ParseRoutine(R"pb(
    id: "partial"
    blocks { exercise_id: "grow_through_spine" }
    blocks {
      exercise_id: "prone_lift"
      prescription { sets: 2 reps: 50 }
    }
  )pb");
  std::vector<std::string> lines;
  for (const ValidationError& error : ValidateRoutine(routine, Pack())) {
    lines.push_back(error.ToString());
  }
  EXPECT_THAT(lines,
              ElementsAre("blocks[1].prescription.reps: must be 4..12 for prone_lift, got 50"));
}

// A rest given as 0 is no rest; an absent one is the default's.
TEST(EffectivePrescriptionTest, AnExplicitZeroRestIsKept) {
  const v1::Exercise& lift = *Pack().FindExercise("prone_lift");
  ASSERT_GT(lift.default_prescription().rest_between_sets_ms(), 0);
  v1::Block block;
  block.mutable_prescription()->set_sets(2);
  EXPECT_EQ(EffectivePrescription(block, lift).rest_between_sets_ms(),
            lift.default_prescription().rest_between_sets_ms());
  block.mutable_prescription()->set_rest_between_sets_ms(0);
  EXPECT_EQ(EffectivePrescription(block, lift).rest_between_sets_ms(), 0);
  EXPECT_TRUE(EffectivePrescription(block, lift).has_rest_between_sets_ms());
}

TEST(EffectivePrescriptionTest, TheBlocksOwnElseTheExercisesDefault) {
  const v1::Exercise& lift = *Pack().FindExercise("prone_lift");
  v1::Block block;
  EXPECT_EQ(EffectivePrescription(block, lift).reps(), lift.default_prescription().reps());
  block.mutable_prescription()->set_reps(7);
  EXPECT_EQ(EffectivePrescription(block, lift).reps(), 7u);
  // Every field the block leaves unset comes from the default.
  const v1::Prescription& defaults = lift.default_prescription();
  const v1::Prescription effective = EffectivePrescription(block, lift);
  EXPECT_EQ(effective.sets(), defaults.sets());
  EXPECT_EQ(effective.hold().breaths(), defaults.hold().breaths());
  EXPECT_EQ(effective.tempo().lift_ms(), defaults.tempo().lift_ms());
  EXPECT_EQ(effective.rest_between_sets_ms(), defaults.rest_between_sets_ms());
  EXPECT_EQ(EffectiveSets(block.prescription()), 1u);
  EXPECT_EQ(EffectiveReps(v1::Prescription()), 1u);
}

}  // namespace
}  // namespace regimen
