// The one timing model: what EstimateRoutineMs plans, what CompilePlan writes as planned_ms, what
// RepSides says and what a session actually runs agree for every exercise of the default pack
// under prescriptions that exercise each part of the model (sets, sides, side biases on sided and
// bilateral exercises, rests).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/plan.h"
#include "regimen/routine.h"
#include "regimen/session.h"

namespace regimen {
namespace {

// The default pack with no exercise marked as the primer, so that each exercise can be timed in
// a routine of its own (that a routine starts with the primer is tested in
// primer_rule_test.cc, not here).
const Catalog& PackWithoutPrimer() {
  static const Catalog* const pack = [] {
    v1::Catalog proto = Catalog::Default().proto();
    for (v1::Exercise& exercise : *proto.mutable_exercises()) exercise.set_primer(false);
    absl::StatusOr<Catalog> parsed = Catalog::FromProto(std::move(proto));
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Catalog(parsed.ok() ? *std::move(parsed) : Catalog::Default());
  }();
  return *pack;
}

// Every attestation a gate of the pack names (the rock's), so that gated exercises run too.
v1::SessionOptions Attested() {
  v1::SessionOptions options;
  options.add_attestations("spine_flexible_strong_balanced");
  return options;
}

struct Variant {
  const char* name;
  uint32_t sets;
  uint32_t bias_reps;
  v1::Side bias_side;
  v1::Side first_side;
  int64_t rest_between_sets_ms;
  int64_t rest_between_reps_ms;
};

const Variant kVariants[] = {
    {"default", 0, 0, v1::SIDE_UNSPECIFIED, v1::SIDE_UNSPECIFIED, 0, 0},
    {"two_sets_rests", 2, 0, v1::SIDE_UNSPECIFIED, v1::RIGHT, 10000, 2000},
    {"bias_left", 1, 2, v1::LEFT, v1::LEFT, 0, 0},
    {"bias_right_first_right", 2, 1, v1::RIGHT, v1::RIGHT, 5000, 0},
    // On a bilateral exercise a bias adds its reps with no side (a side given is ignored).
    {"bias_no_side", 1, 1, v1::SIDE_UNSPECIFIED, v1::SIDE_UNSPECIFIED, 0, 1000},
};

// A routine of one block of `exercise` with the
// variant applied to its default prescription.
v1::Routine RoutineFor(const v1::Exercise& exercise, const Variant& variant) {
  v1::Routine routine;
  routine.set_id("timing");
  v1::Block* block = routine.add_blocks();
  block->set_exercise_id(exercise.id());
  v1::Prescription* p = block->mutable_prescription();
  *p = exercise.default_prescription();
  if (variant.sets > 0 && exercise.safe_ranges().sets().max() >= variant.sets) {
    p->set_sets(variant.sets);
  }
  if (variant.bias_reps > 0) {
    p->mutable_bias()->set_extra_reps(variant.bias_reps);
    p->mutable_bias()->set_side(variant.bias_side);
  }
  if (variant.first_side != v1::SIDE_UNSPECIFIED) p->set_first_side(variant.first_side);
  if (p->sets() > 1 && exercise.safe_ranges().rest_ms().max() >= variant.rest_between_sets_ms) {
    p->set_rest_between_sets_ms(variant.rest_between_sets_ms);
  }
  p->set_rest_between_reps_ms(variant.rest_between_reps_ms);
  return routine;
}

TEST(TimingTest, PlannedEstimatedAndRunAgree) {
  const Catalog& pack = PackWithoutPrimer();
  int checked = 0;
  for (const v1::Exercise& exercise : pack.proto().exercises()) {
    for (const Variant& variant : kVariants) {
      SCOPED_TRACE(exercise.id() + " " + variant.name);
      const v1::Routine routine = RoutineFor(exercise, variant);
      if (!ValidateRoutine(routine, pack).empty()) continue;  // outside the exercise's ranges
      absl::StatusOr<int64_t> estimate = EstimateRoutineMs(routine, pack);
      ASSERT_TRUE(estimate.ok()) << estimate.status();
      absl::StatusOr<v1::Plan> plan = CompilePlan(pack, routine, Attested());
      ASSERT_TRUE(plan.ok()) << plan.status();
      EXPECT_EQ(plan->planned_ms(), *estimate);
      EXPECT_EQ(PlannedSessionMs(*plan), *estimate);

      // The run: the block ends at the planned time, with every rep on the side RepSides says.
      absl::StatusOr<std::unique_ptr<Session>> session = Session::FromPlan(*plan);
      ASSERT_TRUE(session.ok()) << session.status();
      const std::vector<v1::Side> sides =
          RepSides(EffectivePrescription(routine.blocks(0), exercise), exercise.laterality());
      int64_t block_end = -1;
      std::vector<v1::Side> set_zero_sides;
      v1::SessionScript script;
      ASSERT_TRUE(RunScript(**session, script, [&](const Event& event) {
                    if (event.type == v1::SessionEvent::EXERCISE_COMPLETED) {
                      block_end = event.at_ms;
                    }
                    if (event.type == v1::SessionEvent::REP_COMPLETED && event.set_index == 0) {
                      set_zero_sides.push_back(event.side);
                    }
                  }).ok());
      EXPECT_EQ(block_end, *estimate);
      EXPECT_EQ(set_zero_sides, sides);
      ++checked;
    }
  }
  // Every exercise under at least the default and one biased prescription.
  EXPECT_GE(checked, 2 * pack.proto().exercises_size());
}

// PlannedSessionMs left out a bilateral block's bias reps, which the engine runs.
TEST(TimingTest, BilateralBiasRepsArePlanned) {
  const Catalog& pack = PackWithoutPrimer();
  const v1::Exercise* lift = pack.FindExercise("prone_lift");
  ASSERT_NE(lift, nullptr);
  ASSERT_EQ(lift->laterality(), v1::LATERALITY_BILATERAL);
  const v1::Routine plain = RoutineFor(*lift, kVariants[0]);
  const v1::Routine biased = RoutineFor(*lift, kVariants[4]);
  absl::StatusOr<v1::Plan> plain_plan = CompilePlan(pack, plain);
  absl::StatusOr<v1::Plan> biased_plan = CompilePlan(pack, biased);
  ASSERT_TRUE(plain_plan.ok() && biased_plan.ok());
  EXPECT_GT(biased_plan->planned_ms(), plain_plan->planned_ms());
  EXPECT_EQ(biased_plan->blocks(0).bias_extra_reps(), 1u);
}

}  // namespace
}  // namespace regimen
