// The prepared form of a plan (internal to the session engine): the regimen.v1.Plan a session
// runs from, validated once and laid out in flat tables of plain structs (speaking times,
// phases, cue triggers, the cues each phase can fire, per-block counts), so that the engine's
// hot path reads no protobuf accessor, computes no speaking time and allocates nothing.
//
// Immutable once made (nothing in it changes after Make returns) and shared (std::shared_ptr<const
// PreparedPlan>) by any number of sessions on any threads. Strings are `const char*` into the
// plan's own messages, valid as long as the PreparedPlan lives.
#ifndef REGIMEN_SRC_SESSION_PREPARED_PLAN_H_
#define REGIMEN_SRC_SESSION_PREPARED_PLAN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "regimen/session.h"
#include "regimen/v1/plan.pb.h"

namespace regimen {
namespace session_internal {

struct CueInfo {
  const char* id = "";
  uint32_t text_begin = 0;  // into PreparedPlan::texts and ::speak_ms
  uint32_t texts = 0;
  int32_t kind = 0;      // v1::CueKind
  int32_t priority = 0;  // v1::CuePriority
  // Never skipped: safety cues, and the session's safety-stop and end cues.
  bool protect = false;
  // May wait into the next phases of its exercise (CUE_UNTIL_EXERCISE_END).
  bool until_exercise_end = false;
  int64_t max_delay_ms = 0;  // resolved: the cue's, else the options' max_cue_delay_ms
  int32_t trigger = 0;       // v1::TriggerKind
  int32_t phase = 0;         // the trigger's v1::PhaseKind
  int64_t offset_ms = 0;     // with the trigger's half breaths added
  int32_t every_n = 1;       // at least 1
  int32_t from_rep = 0;
  int32_t report = 0;  // v1::ReportKind
  int64_t min_value = 0, max_value = 0;
  int32_t side = 0;  // an asymmetry REPORT trigger's side that takes over (0: either)
};

struct PhaseInfo {
  int32_t kind = 0;   // v1::PhaseKind
  int32_t scope = 0;  // v1::PhaseScope
  bool open = false;
  const char* label = "";
};

struct ExerciseInfo {
  const char* id = "";
  const char* name = "";
  int32_t laterality = 0;  // v1::Laterality
  bool sided = false;
  uint32_t phase_begin = 0, phases = 0;  // into PreparedPlan::phases
  uint32_t holds_per_rep = 0;            // REP-scoped HOLD phases
};

struct SideCounts {
  uint32_t reps_planned = 0, reps_done = 0, holds_planned = 0, holds_achieved = 0;
};

// A block's part of the record, as plain counters (block index, exercise id, planned sets,
// level and sides are the plan's).
struct BlockCounts {
  int32_t outcome = 0;  // v1::BlockOutcome
  uint32_t sets_done = 0;
  int64_t active_ms = 0;
  int64_t started_at = 0, ended_at = 0;  // host clock ms (EXERCISE_STARTED, _COMPLETED); 0 = not
  SideCounts sides[2];                   // [0] only for bilateral exercises; else LEFT, RIGHT
};

struct BlockInfo {
  uint32_t exercise = 0;
  uint32_t sets = 1, reps = 1;
  int32_t first_side = 0, bias_side = 0;  // v1::Side
  uint32_t bias_extra_reps = 0;
  int64_t rest_between_sets_ms = 0, rest_between_reps_ms = 0, rest_after_ms = 0;
  uint32_t phase_ms_begin = 0;  // into PreparedPlan::phase_ms, parallel to the exercise's phases
  uint32_t lead_begin = 0, leads = 0;  // into PreparedPlan::lead_cues
  // Sided exercises: the side of reps 0 .. sides - 1 of a set (both sides' reps, then the bias
  // reps), in PreparedPlan::rep_sides from side_begin; later reps are the asymmetry's extra.
  bool sided = false;
  uint32_t side_begin = 0, sides = 0;
  uint32_t reps_per_set = 1;  // the reps of one set before any asymmetry rep (timing::SetShape)
};

// A run of cue indexes (local to their owner) in PreparedPlan::lists.
struct CueList {
  uint32_t begin = 0, size = 0;
};

}  // namespace session_internal

// Declared in regimen/session.h.
class PreparedPlan {
 public:
  using CueInfo = session_internal::CueInfo;
  using PhaseInfo = session_internal::PhaseInfo;
  using ExerciseInfo = session_internal::ExerciseInfo;
  using BlockInfo = session_internal::BlockInfo;
  using BlockCounts = session_internal::BlockCounts;
  using CueList = session_internal::CueList;

  // Validates `plan` (ValidatePlan), fills in its default options and builds the tables.
  static absl::StatusOr<std::shared_ptr<const PreparedPlan>> Make(v1::Plan plan);
  // The same for a plan CompilePlan just made (validated, options resolved): not checked again.
  static std::shared_ptr<const PreparedPlan> FromCompiled(v1::Plan plan);

  PreparedPlan(const PreparedPlan&) = delete;
  PreparedPlan& operator=(const PreparedPlan&) = delete;

  const v1::Plan& proto() const { return plan_; }

  // The plan in binary wire format as a snapshot carries it (options at their defaults left
  // out).
  const std::string& SnapshotBytes() const { return snapshot_bytes_; }

  // Owners: -1 for the catalog's session cues, else an exercise index.
  uint32_t CueIndex(int32_t owner, uint32_t cue) const { return cue_base[owner + 1] + cue; }
  const CueInfo& Cue(int32_t owner, uint32_t cue) const { return cues[CueIndex(owner, cue)]; }
  uint32_t CueCount(int32_t owner) const { return cue_base[owner + 2] - cue_base[owner + 1]; }

  // Options, resolved.
  int64_t count_in_ms = 0, cue_lead_ms = 0, cue_gap_ms = 0, max_cue_delay_ms = 0;
  uint32_t pain_stop_threshold = 6;
  // SessionOptions.await_speech_end: -1 unset (once the host reports), 0 false, 1 true.
  int await_speech_end = -1;
  // Bit v set: a REPORT cue of the plan answers a pain (effort) report of value v. A report that
  // no cue answers and that cannot stop the session changes nothing but the record.
  uint32_t pain_cue_values = 0, effort_cue_values = 0;
  size_t longest_exercise_id = 0;

  std::vector<CueInfo> cues;       // session cues, then each exercise's
  std::vector<uint32_t> cue_base;  // per owner + 1, then the total
  std::vector<const char*> texts;  // every text of every cue
  std::vector<int64_t> speak_ms;   // its speaking time
  std::vector<PhaseInfo> phases;   // every exercise's phases
  std::vector<ExerciseInfo> exercises;
  std::vector<BlockInfo> blocks;
  std::vector<int64_t> phase_ms;
  std::vector<uint32_t> lead_cues;
  std::vector<uint8_t> rep_sides;           // v1::Side per rep, see BlockInfo
  std::vector<BlockCounts> initial_counts;  // per block, planned counts filled in

  // Cues that can fire on entry to each exercise phase (parallel to `phases`), in plan order:
  // exercise start, side switch, rep triggers and timed triggers whose phase matches. Then the
  // subsets that can fire when the phase starts no block and no side (entry_cues_rep: it starts
  // a rep; entry_cues_plain: it does not either), so the common entry scans only those.
  std::vector<CueList> entry_cues, entry_cues_rep, entry_cues_plain;
  // Timed cues naming PHASE_REST, per owner + 1; and the session's for PHASE_COUNT_IN.
  std::vector<CueList> rest_cues;
  CueList count_in_cues, session_start_cues, session_end_cues, safety_stop_cues;
  std::vector<uint16_t> lists;

  // The engine's words in the plan's locale (Plan.engine_words, else the built-in English).
  const char* EventLabel(v1::SessionEvent::Type type, v1::SessionEnd end) const;
  const char* EnginePhaseLabel(v1::PhaseKind kind) const;

 private:
  static constexpr int kEventTypes = v1::SessionEvent::CUE_SKIPPED + 1;
  static constexpr int kSessionEnds = v1::SESSION_END_SAFETY_STOP + 1;
  void BuildEngineWords();
  explicit PreparedPlan(v1::Plan plan);
  void BuildCues();
  void BuildCueLists();
  void BuildExercise(int index);
  void BuildBlock(int index);
  // The cues of `owner` that `pick` picks, as a list.
  template <typename Pick>
  CueList List(Pick pick, int32_t owner);

  v1::Plan plan_;
  std::string snapshot_bytes_;
  const char* engine_phase_labels[v1::PHASE_COUNT_IN + 1] = {};
  const char* event_labels[kEventTypes] = {};
  const char* session_end_labels[kSessionEnds] = {};
};

}  // namespace regimen

#endif  // REGIMEN_SRC_SESSION_PREPARED_PLAN_H_
