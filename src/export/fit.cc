// FIT workouts of routines and FIT activities of session records (include/regimen/fit.h).
#include "regimen/fit.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "regimen/l10n.h"
#include "regimen/plan.h"
#include "src/export/fit_messages.h"
#include "src/export/fit_writer.h"

namespace regimen {
namespace {

using fit::Value;

// The last Unix time FIT's 32-bit date_time holds (2126-02-06).
constexpr int64_t kFitLastUnixMs = fit::kFitEpochUnixMs + int64_t{0xFFFFFFF0} * 1000;

Value Category(const v1::Exercise* exercise) {
  if (exercise == nullptr || !exercise->has_fit()) return Value::Absent();
  return Value(uint64_t{exercise->fit().category()});
}

Value ExerciseName(const v1::Exercise* exercise) {
  if (exercise == nullptr || !exercise->has_fit() || !exercise->fit().has_name()) {
    return Value::Absent();
  }
  return Value(uint64_t{exercise->fit().name()});
}

// What the exercise's setup and instruction cues say, for a step's notes.
std::string Notes(const v1::PlanExercise& exercise) {
  std::vector<std::string> texts;
  for (const v1::PlanCue& cue : exercise.cues()) {
    if ((cue.kind() == v1::CUE_KIND_SETUP || cue.kind() == v1::CUE_KIND_INSTRUCTION) &&
        cue.texts_size() > 0) {
      texts.push_back(cue.texts(0));
    }
  }
  return absl::StrJoin(texts, " ");
}

// The planned length of one set of a block whose set is a single bilateral rep (the primer's
// breath-paced hold): every phase of the exercise once.
int64_t SingleRepSetMs(const v1::PlanBlock& block) {
  int64_t ms = 0;
  for (int64_t phase : block.phase_ms()) ms += phase;
  return ms;
}

// The engine's word `id` in the plan's locale, the source's when the plan has no translation.
std::string EngineWord(const v1::Plan& plan, absl::string_view id) {
  auto it = plan.engine_words().find(std::string(id));
  if (it != plan.engine_words().end() && !it->second.empty()) return it->second;
  for (const CatalogMessage& word : EngineMessages()) {
    if (word.id == id) return word.text;
  }
  return std::string(id);
}

// The workout's steps, numbered as they are added (the workout message, which counts them, is
// written before them).
class StepList {
 public:
  uint32_t next_index() const { return static_cast<uint32_t>(steps_.size()); }
  const std::vector<std::vector<Value>>& steps() const { return steps_; }

  void Exercise(const std::string& name, bool timed, int64_t amount, const std::string& notes,
                const v1::Exercise* exercise) {
    Add({Value(uint64_t{next_index()}), Value(name),
         Value(timed ? fit::kDurationTime : fit::kDurationReps),
         Value(static_cast<uint64_t>(amount)), Value(fit::kTargetOpen), Value::Absent(),
         Value(fit::kIntensityActive), Value(notes), Category(exercise), ExerciseName(exercise)});
  }

  void Rest(const std::string& name, int64_t ms) {
    Add({Value(uint64_t{next_index()}), Value(name), Value(fit::kDurationTime),
         Value(static_cast<uint64_t>(ms)), Value(fit::kTargetOpen), Value::Absent(),
         Value(fit::kIntensityRest), Value(std::string()), Value::Absent(), Value::Absent()});
  }

  // Repeat the steps from `first` until `times` rounds are done.
  void Repeat(uint32_t first, uint32_t times) {
    Add({Value(uint64_t{next_index()}), Value(std::string()),
         Value(fit::kDurationRepeatUntilStepsComplete), Value(uint64_t{first}),
         Value(fit::kTargetOpen), Value(uint64_t{times}), Value(fit::kIntensityActive),
         Value(std::string()), Value::Absent(), Value::Absent()});
  }

 private:
  void Add(std::initializer_list<Value> values) { steps_.emplace_back(values); }

  std::vector<std::vector<Value>> steps_;
};

absl::Status CheckTime(int64_t unix_ms, const std::string& field) {
  if (unix_ms < fit::kFitEpochUnixMs || unix_ms > kFitLastUnixMs) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", unix_ms,
        " is not a Unix time in ms between 1989-12-31 and 2126-02-06, which FIT's dates hold "
        "(run the session on the wall clock, as `regimen play` does, or give `regimen export "
        "--fit-activity` a --start)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ExportFitWorkout(const Catalog& catalog, const v1::Routine& routine,
                                             const v1::SessionOptions& options) {
  absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, routine, options);
  if (!plan.ok()) return plan.status();
  StepList steps;
  // The steps' words in the plan's locale: "Pause", "Anheben in Bauchlage (links)".
  const std::string rest = EngineWord(*plan, "engine.phase.rest");
  const std::string left_step = EngineWord(*plan, "engine.fit.left");
  const std::string right_step = EngineWord(*plan, "engine.fit.right");
  for (const v1::PlanBlock& block : plan->blocks()) {
    const v1::PlanExercise& exercise = plan->exercises(static_cast<int>(block.exercise()));
    const v1::Exercise* source = catalog.FindExercise(exercise.id());
    const std::string notes = Notes(exercise);
    const uint32_t first = steps.next_index();
    const bool sided = exercise.laterality() == v1::LATERALITY_ALTERNATING ||
                       exercise.laterality() == v1::LATERALITY_PER_SIDE;
    if (!sided) {
      const bool timed = block.reps() == 1;
      steps.Exercise(exercise.name(), timed, timed ? SingleRepSetMs(block) : block.reps(), notes,
                     source);
    } else {
      const bool left_first = block.first_side() != v1::RIGHT;
      for (int i = 0; i < 2; ++i) {
        const bool left = (i == 0) == left_first;
        uint32_t reps = block.reps();
        if (block.bias_extra_reps() > 0 && block.bias_side() == (left ? v1::LEFT : v1::RIGHT)) {
          reps += block.bias_extra_reps();
        }
        steps.Exercise(FillTemplate(left ? left_step : right_step, {{"exercise", exercise.name()}}),
                       false, reps, notes, source);
      }
    }
    if (block.sets() > 1) {
      if (block.rest_between_sets_ms() > 0) steps.Rest(rest, block.rest_between_sets_ms());
      steps.Repeat(first, block.sets());
    }
    if (block.rest_after_ms() > 0) steps.Rest(rest, block.rest_after_ms());
  }
  fit::Writer writer;
  writer.Add(fit::kFileId, {Value(fit::kFileWorkout), Value(fit::kManufacturerDevelopment),
                            Value(uint64_t{0}), Value::Absent(), Value::Absent()});
  writer.Add(fit::kWorkout, {Value(plan->routine_name()), Value(fit::kSportTraining),
                             Value(fit::kSubSportStrengthTraining),
                             Value(static_cast<uint64_t>(steps.steps().size()))});
  for (const std::vector<Value>& step : steps.steps()) writer.Add(fit::kWorkoutStep, step);
  return writer.Finish();
}

absl::StatusOr<std::string> ExportFitActivity(const Catalog& catalog,
                                              const v1::SessionRecord& record) {
  if (absl::Status s = CheckTime(record.started_at_ms(), "record.started_at_ms"); !s.ok()) {
    return s;
  }
  if (record.ended_at_ms() < record.started_at_ms() || record.ended_at_ms() > kFitLastUnixMs) {
    return absl::InvalidArgumentError(absl::StrCat("record.ended_at_ms: ", record.ended_at_ms(),
                                                   " is before record.started_at_ms ",
                                                   record.started_at_ms()));
  }
  // The blocks reached, checked before anything is written.
  std::vector<const v1::BlockRecord*> blocks;
  std::vector<const v1::Exercise*> exercises;
  int64_t cursor = record.started_at_ms();
  for (int i = 0; i < record.blocks_size(); ++i) {
    const v1::BlockRecord& block = record.blocks(i);
    if (block.started_at_ms() == 0) continue;
    const std::string where = absl::StrCat("record.blocks[", i, "]");
    if (block.started_at_ms() < cursor || block.ended_at_ms() < block.started_at_ms() ||
        block.ended_at_ms() > record.ended_at_ms()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": started_at_ms ", block.started_at_ms(), " and ended_at_ms ",
                       block.ended_at_ms(), " must lie in order within the session (", cursor, "..",
                       record.ended_at_ms(), ")"));
    }
    const v1::Exercise* exercise = catalog.FindExercise(block.exercise_id());
    if (exercise == nullptr) {
      return absl::NotFoundError(absl::StrCat(where, ".exercise_id: no exercise \"",
                                              block.exercise_id(), "\" in catalog \"",
                                              catalog.proto().id(), "\""));
    }
    blocks.push_back(&block);
    exercises.push_back(exercise);
    cursor = block.ended_at_ms();
  }

  const uint64_t start = fit::FitTime(record.started_at_ms());
  const uint64_t end = fit::FitTime(record.ended_at_ms());
  const uint64_t elapsed_ms = static_cast<uint64_t>(record.ended_at_ms() - record.started_at_ms());
  const uint64_t active_ms = static_cast<uint64_t>(std::max<int64_t>(record.active_ms(), 0));
  fit::Writer writer;
  writer.Add(fit::kFileId, {Value(fit::kFileActivity), Value(fit::kManufacturerDevelopment),
                            Value(uint64_t{0}), Value::Absent(), Value(start)});
  writer.Add(fit::kEvent, {Value(start), Value(fit::kEventTimer), Value(fit::kEventTypeStart)});

  uint64_t set_index = 0;
  auto rest_set = [&](int64_t from, int64_t to) {
    if (to <= from) return;
    writer.Add(fit::kSet,
               {Value(fit::FitTime(to)), Value(set_index++),
                Value(static_cast<uint64_t>(to - from)), Value::Absent(), Value(fit::kSetTypeRest),
                Value(fit::FitTime(from)), Value::Absent(), Value::Absent()});
  };
  cursor = record.started_at_ms();
  for (size_t i = 0; i < blocks.size(); ++i) {
    const v1::BlockRecord& block = *blocks[i];
    rest_set(cursor, block.started_at_ms());
    uint64_t reps = 0;
    for (const v1::SideRecord& side : block.sides()) reps += side.reps_done();
    writer.Add(fit::kSet,
               {Value(fit::FitTime(block.ended_at_ms())), Value(set_index++),
                Value(static_cast<uint64_t>(std::max<int64_t>(block.active_ms(), 0))), Value(reps),
                Value(fit::kSetTypeActive), Value(fit::FitTime(block.started_at_ms())),
                Category(exercises[i]), ExerciseName(exercises[i])});
    cursor = block.ended_at_ms();
  }
  rest_set(cursor, record.ended_at_ms());

  // Laps: one per block reached; a session that stopped before its first block has one lap.
  uint64_t laps = 0;
  auto lap = [&](int64_t from, int64_t to, int64_t timer_ms) {
    writer.Add(fit::kLap, {Value(laps++), Value(fit::FitTime(to)), Value(fit::FitTime(from)),
                           Value(static_cast<uint64_t>(to - from)),
                           Value(static_cast<uint64_t>(std::max<int64_t>(timer_ms, 0))),
                           Value(fit::kEventLap), Value(fit::kEventTypeStop),
                           Value(fit::kSportTraining), Value(fit::kSubSportStrengthTraining)});
  };
  for (const v1::BlockRecord* block : blocks) {
    lap(block->started_at_ms(), block->ended_at_ms(), block->active_ms());
  }
  if (blocks.empty()) lap(record.started_at_ms(), record.ended_at_ms(), record.active_ms());

  writer.Add(fit::kEvent, {Value(end), Value(fit::kEventTimer), Value(fit::kEventTypeStopAll)});
  writer.Add(fit::kSession,
             {Value(uint64_t{0}), Value(end), Value(start), Value(elapsed_ms), Value(active_ms),
              Value(fit::kSportTraining), Value(fit::kSubSportStrengthTraining), Value(uint64_t{0}),
              Value(laps), Value(fit::kEventSession), Value(fit::kEventTypeStop)});
  writer.Add(fit::kActivity,
             {Value(end), Value(active_ms), Value(uint64_t{1}), Value(fit::kActivityManual),
              Value(fit::kEventActivity), Value(fit::kEventTypeStop)});
  return writer.Finish();
}

}  // namespace regimen
