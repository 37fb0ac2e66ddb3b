// Writing a session's state into a snapshot, and checking and restoring it.
#include "src/session/snapshot.h"

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "src/common/protobuf_log.h"
#include "src/model/timing.h"

namespace regimen::session_internal {
namespace {

// The most pending cues a snapshot may hold (a session holds a few at a time).
constexpr int kMaxPendingCues = 4096;

absl::Status Bad(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("snapshot: ", what));
}

bool ValidSide(int side) { return side >= v1::SIDE_UNSPECIFIED && side <= v1::RIGHT; }
bool ValidTime(int64_t t) { return t >= -kMaxTimeMs && t <= kMaxTimeMs; }

// A snapshot of version N restores in N and N + 1 (docs/reliability.md); this library writes
// kSnapshotVersion and, once there is one, reads the version before it too.
absl::Status BadVersion(uint32_t version) {
  return absl::FailedPreconditionError(
      absl::StrCat("snapshot: version ", version,
                   version > kSnapshotVersion ? " is newer than" : " is older than",
                   " this library, which reads version ", kSnapshotVersion,
                   version > kSnapshotVersion ? "; restore it with a newer Regimen" : ""));
}

// Plans restored recently, so that restoring a snapshot whose plan bytes are exactly those of a
// plan already parsed and validated skips parsing and validating them again (hosts restore the
// same plan over and over: every app launch, every step of a long session). Only the plan is
// taken on trust, and only on a byte-for-byte match; the state is always parsed and checked.
class RecentPlans {
 public:
  static RecentPlans& Get() {
    static RecentPlans* recent = new RecentPlans();
    return *recent;
  }
  std::shared_ptr<const PreparedPlan> Find(absl::string_view bytes) {
    absl::MutexLock lock(&mu_);
    for (const Entry& entry : entries_) {
      if (entry.bytes == bytes) return entry.plan;
    }
    return nullptr;
  }
  // `bytes` parsed into `plan`.
  void Add(absl::string_view bytes, std::shared_ptr<const PreparedPlan> plan) {
    Entry entry{std::string(bytes), std::move(plan)};  // allocated outside the lock
    absl::MutexLock lock(&mu_);
    if (entries_.size() < kCapacity) {
      entries_.push_back(std::move(entry));
    } else {
      entries_[next_] = std::move(entry);
      next_ = (next_ + 1) % kCapacity;
    }
  }

 private:
  static constexpr size_t kCapacity = 8;
  struct Entry {
    std::string bytes;
    std::shared_ptr<const PreparedPlan> plan;
  };
  absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// The three top-level fields of a binary snapshot written in the canonical way (version, plan,
// state, each once, in that order); false for anything else (then the general path parses it).
bool SplitSnapshot(absl::string_view bytes, uint32_t* version, absl::string_view* plan,
                   absl::string_view* state) {
  namespace io = google::protobuf::io;
  io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  auto length_delimited = [&](uint32_t field, absl::string_view* out) {
    if (in.ReadTag() != (field << 3 | 2)) return false;
    uint32_t size = 0;
    const void* data = nullptr;
    int available = 0;
    if (!in.ReadVarint32(&size)) return false;
    if (!in.GetDirectBufferPointer(&data, &available) && size > 0) return false;
    if (size > static_cast<uint32_t>(available) || !in.Skip(static_cast<int>(size))) return false;
    *out = absl::string_view(static_cast<const char*>(data), size);
    return true;
  };
  *version = 0;
  if (in.ReadTag() != (1 << 3 | 0) || !in.ReadVarint32(version)) return false;
  if (!length_delimited(2, plan) || !length_delimited(3, state)) return false;
  return in.ReadTag() == 0 && in.ConsumedEntireMessage();
}

void WritePending(const SpeechScheduler& speech, v1::SessionState* state) {
  state->mutable_pending()->Reserve(static_cast<int>(speech.pending().size()));
  for (const PendingCue& cue : speech.pending()) {
    v1::SnapshotCue* out = state->add_pending();
    out->set_owner(cue.owner);
    out->set_cue(cue.cue);
    out->set_sched_ms(cue.sched);
    out->set_known_ms(cue.known);
    out->set_phase_end_ms(cue.phase_end == kNever ? -1 : cue.phase_end);
    out->set_seq(cue.seq);
    out->set_block_index(cue.where.block);
    out->set_set_index(cue.where.set);
    out->set_rep_index(cue.where.rep);
    out->set_side(static_cast<v1::Side>(cue.where.side));
    out->set_phase(static_cast<v1::PhaseKind>(cue.where.phase_kind));
  }
}

void WriteQueue(const EventQueue& queue, v1::SessionState* state) {
  state->mutable_queue()->Reserve(static_cast<int>(queue.size()));
  for (size_t i = 0; i < queue.size(); ++i) {
    const QueuedEvent& event = queue.at(i);
    v1::SnapshotEvent* out = state->add_queue();
    out->set_type(static_cast<v1::SessionEvent::Type>(event.type));
    out->set_at_ms(event.at_ms);
    out->set_block_index(event.block);
    out->set_set_index(event.set);
    out->set_rep_index(event.rep);
    out->set_side(static_cast<v1::Side>(event.side));
    out->set_duration_ms(event.duration_ms);
    out->set_phase(static_cast<v1::PhaseKind>(event.phase_kind));
    out->set_phase_index(event.phase_index);
    out->set_cue_owner(event.cue_owner);
    out->set_cue(event.cue);
    out->set_variant(event.variant);
    out->set_label(event.label);
  }
  state->set_last_event_ms(queue.last_at());
  state->set_has_last_event(queue.has_last());
}

// Everything but the plan.
void WriteState(const Engine& engine, v1::SessionState* state) {
  const SessionClock& clock = engine.clock();
  const Cursor& at = engine.walk().cursor();
  state->set_started(clock.started);
  state->set_finished(clock.finished);
  state->set_paused(clock.paused);
  state->set_started_at_ms(clock.started_at);
  state->set_last_input_ms(clock.last_input);
  state->set_pause_started_ms(clock.pause_started);
  state->set_block(at.block);
  state->set_stage(at.stage);
  state->set_set(at.set);
  state->set_rep(at.rep);
  state->set_phase(at.phase);
  state->set_phase_start_ms(at.phase_start);
  state->set_phase_end_ms(at.phase_end == kNever ? -1 : at.phase_end);
  state->set_phase_planned_ms(at.phase_planned);
  state->set_phase_kind(at.phase_kind);
  state->set_extra_side(at.extra_side);
  state->set_extra_reps(at.extra_reps);
  state->set_prev_side(at.prev_side);
  const SpeechScheduler& speech = engine.speech();
  state->set_busy_until_ms(speech.busy_until() == kChannelFree ? -1 : speech.busy_until());
  state->set_cue_seq(speech.seq());
  state->set_speaking_cue(speech.speaking() < 0 ? 0 : static_cast<uint32_t>(speech.speaking()) + 1);
  state->set_speaking_started_ms(speech.speaking() < 0 ? 0 : speech.speaking_started());
  state->set_speech_end_reported(speech.speech_end_reported());
  WritePending(speech, state);
  state->mutable_fired()->Add(speech.said().begin(), speech.said().end());
  WriteQueue(engine.queue(), state);
  state->set_block_started_active_ms(at.block_started_active);
  state->set_reports_applied(engine.reports_applied());
  // The record without what the plan determines (routine and exercise ids, planned sets, ...).
  *state->mutable_record() = engine.recorder().proto();
  engine.recorder().AddBlocks(engine.plan(), state->mutable_record(), /*with_plan_fields=*/false);
}

// The checks of a state's shape against the plan that need no cursor.
absl::Status CheckShape(const v1::SessionState& state, const PreparedPlan& plan) {
  const int blocks = static_cast<int>(plan.blocks.size());
  const uint32_t stage = state.stage();
  if (stage > kDone) return Bad("state.stage out of range");
  if (!state.started() && (stage != kIdle || state.finished())) return Bad("state: not started");
  if (state.started() && stage == kIdle) return Bad("state: started without a stage");
  if (state.finished() != (stage == kDone)) return Bad("state: finished and stage disagree");
  if (stage == kEnding && state.phase_end_ms() >= 0) return Bad("state: ending with a phase");
  if (stage == kCountIn && state.block() != -1) return Bad("state: count-in inside a block");
  for (int64_t t :
       {state.started_at_ms(), state.last_input_ms(), state.pause_started_ms(),
        state.phase_start_ms(), state.phase_end_ms(), state.busy_until_ms(), state.last_event_ms(),
        state.block_started_active_ms(), state.phase_planned_ms(), state.record().paused_ms(),
        state.record().started_at_ms()}) {
    if (!ValidTime(t)) return Bad("state: a time is out of range");
  }
  for (const v1::SnapshotCue& cue : state.pending()) {
    for (int64_t t : {cue.sched_ms(), cue.known_ms(), cue.phase_end_ms()}) {
      if (!ValidTime(t)) return Bad("pending cue: a time is out of range");
    }
  }
  if (state.block() < -1 || state.block() >= blocks) return Bad("state.block out of range");
  const bool needs_block = InExercise(stage) || stage == kBlockRest;
  if (needs_block && state.block() < 0) return Bad("state.block missing");
  if (stage == kBlockRest && state.block() + 1 >= blocks) return Bad("state.block: no next");
  if (state.fired_size() != static_cast<int>(plan.cues.size())) return Bad("state.fired size");
  if (state.record().blocks_size() != blocks) return Bad("state.record.blocks size");
  for (int b = 0; b < blocks; ++b) {
    const int sides = plan.blocks[b].sided ? 2 : 1;
    if (state.record().blocks(b).sides_size() != sides) return Bad("state.record.blocks sides");
  }
  if (!ValidSide(state.extra_side()) || !ValidSide(state.prev_side()) || state.extra_reps() > 1) {
    return Bad("state sides");
  }
  if (state.reports_applied() > static_cast<uint32_t>(state.record().reports_size())) {
    return Bad("state.reports_applied");
  }
  if (static_cast<size_t>(state.queue_size()) > EventQueue::kMaxSize ||
      state.pending_size() > kMaxPendingCues) {
    return Bad("state: too many queued events or cues");
  }
  return absl::OkStatus();
}

// The clock and the cursor, checked against the plan's block.
absl::Status RestoreCursor(const v1::SessionState& state, const PreparedPlan& plan,
                           StageWalk* walk) {
  SessionClock& clock = walk->clock();
  clock.started = state.started();
  clock.finished = state.finished();
  clock.paused = state.paused();
  clock.started_at = state.started_at_ms();
  clock.last_input = state.last_input_ms();
  clock.pause_started = state.pause_started_ms();
  Cursor& at = walk->cursor();
  at.block = state.block();
  at.stage = state.stage();
  at.set = state.set();
  at.rep = state.rep();
  at.phase = state.phase();
  if (at.block >= 0) {
    const BlockInfo& block = plan.blocks[at.block];
    const int32_t sets = static_cast<int32_t>(block.sets);
    if (at.phase < -1 || at.phase >= static_cast<int32_t>(plan.exercises[block.exercise].phases)) {
      return Bad("state.phase out of range");
    }
    if (at.set < -1 || at.set > sets) return Bad("state.set");
    at.extra_reps = state.extra_reps();
    at.extra_side = state.extra_side();
    if (at.extra_reps > 0 && at.extra_side == v1::SIDE_UNSPECIFIED) return Bad("state.extra_side");
    const int32_t reps = static_cast<int32_t>(walk->RepsInSet());
    if (at.rep < -1 || at.rep > reps) return Bad("state.rep");
    if (at.stage == kRep && (at.rep < 0 || at.set < 0 || at.rep >= reps || at.set >= sets)) {
      return Bad("state: rep or set outside the block");
    }
    if ((at.stage == kSetStart || at.stage == kSetRest || at.stage == kRepRest) &&
        (at.set < 0 || at.set >= sets)) {
      return Bad("state.set outside the block");
    }
  } else if (at.phase != -1) {
    return Bad("state.phase without a block");
  }
  at.phase_start = state.phase_start_ms();
  at.phase_end = state.phase_end_ms() < 0 ? kNever : state.phase_end_ms();
  at.phase_planned = state.phase_planned_ms();
  if (!v1::PhaseKind_IsValid(state.phase_kind())) return Bad("state.phase_kind");
  at.phase_kind = state.phase_kind();
  at.prev_side = state.prev_side();
  at.block_started_active = state.block_started_active_ms();
  return absl::OkStatus();
}

absl::Status RestorePending(const v1::SessionState& state, const PreparedPlan& plan,
                            std::vector<PendingCue>* out) {
  const int blocks = static_cast<int>(plan.blocks.size());
  const int exercises = static_cast<int>(plan.exercises.size());
  out->reserve(static_cast<size_t>(state.pending_size()));
  for (const v1::SnapshotCue& cue : state.pending()) {
    if (cue.owner() < -1 || cue.owner() >= exercises) return Bad("pending cue owner");
    if (cue.cue() >= plan.CueCount(cue.owner())) return Bad("pending cue index");
    if (cue.block_index() < -1 || cue.block_index() >= blocks || !ValidSide(cue.side()) ||
        !v1::PhaseKind_IsValid(cue.phase())) {
      return Bad("pending cue position");
    }
    const CueInfo& info = plan.Cue(cue.owner(), cue.cue());
    PendingCue& pending = out->emplace_back();
    pending.owner = cue.owner();
    pending.cue = cue.cue();
    pending.sched = cue.sched_ms();
    pending.known = cue.known_ms();
    pending.phase_end = cue.phase_end_ms() < 0 ? kNever : cue.phase_end_ms();
    pending.seq = cue.seq();
    pending.where.block = cue.block_index();
    pending.where.set = cue.set_index();
    pending.where.rep = cue.rep_index();
    pending.where.side = static_cast<uint8_t>(cue.side());
    pending.where.phase_kind = static_cast<uint8_t>(cue.phase());
    pending.max_delay = info.max_delay_ms;
    pending.priority = info.priority;
    pending.protect = info.protect;
  }
  return absl::OkStatus();
}

// Whether a snapshot's queued event refers to what the plan holds.
bool ValidQueuedEvent(const v1::SnapshotEvent& event, const PreparedPlan& plan) {
  const int blocks = static_cast<int>(plan.blocks.size());
  if (!v1::SessionEvent::Type_IsValid(event.type()) || event.type() == 0 ||
      event.block_index() < -1 || event.block_index() >= blocks || !ValidSide(event.side()) ||
      !v1::PhaseKind_IsValid(event.phase())) {
    return false;
  }
  if (event.type() == v1::SessionEvent::PHASE_STARTED && event.phase_index() >= 0) {
    if (event.block_index() < 0) return false;
    const BlockInfo& block = plan.blocks[event.block_index()];
    if (event.phase_index() >= static_cast<int32_t>(plan.exercises[block.exercise].phases)) {
      return false;
    }
  }
  return true;
}

absl::Status RestoreQueue(const v1::SessionState& state, const PreparedPlan& plan,
                          EventQueue* queue) {
  const int exercises = static_cast<int>(plan.exercises.size());
  queue->BeginRestore(static_cast<size_t>(state.queue_size()));
  int64_t previous = 0;
  for (const v1::SnapshotEvent& event : state.queue()) {
    if (!ValidQueuedEvent(event, plan)) return Bad("queued event");
    if (event.type() == v1::SessionEvent::CUE || event.type() == v1::SessionEvent::CUE_SKIPPED) {
      if (event.cue_owner() < -1 || event.cue_owner() >= exercises) return Bad("queued cue");
      if (event.cue() >= plan.CueCount(event.cue_owner())) return Bad("queued cue");
      if (event.variant() >= plan.Cue(event.cue_owner(), event.cue()).texts) {
        return Bad("queued cue text");
      }
    }
    if (event.at_ms() < previous || event.at_ms() > state.last_event_ms() ||
        !state.has_last_event()) {
      return Bad("queued events out of order");
    }
    previous = event.at_ms();
    QueuedEvent queued;
    queued.type = static_cast<uint8_t>(event.type());
    queued.at_ms = event.at_ms();
    queued.block = event.block_index();
    queued.set = event.set_index();
    queued.rep = event.rep_index();
    queued.side = static_cast<uint8_t>(event.side());
    queued.duration_ms = event.duration_ms();
    queued.phase_kind = static_cast<uint8_t>(event.phase());
    queued.phase_index = event.phase_index();
    queued.cue_owner = event.cue_owner();
    queued.cue = event.cue();
    queued.variant = event.variant();
    queued.label = static_cast<uint8_t>(event.label());
    queue->Append(queued);
  }
  queue->EndRestore(state.last_event_ms(), state.has_last_event());
  return absl::OkStatus();
}

void RestoreRecord(v1::SessionRecord* record, SessionRecorder* recorder) {
  for (int b = 0; b < record->blocks_size(); ++b) {
    const v1::BlockRecord& in = record->blocks(b);
    BlockCounts& counts = recorder->block(b);
    counts.outcome = in.outcome();
    counts.sets_done = in.sets_done();
    counts.active_ms = in.active_ms();
    counts.started_at = in.started_at_ms();
    counts.ended_at = in.ended_at_ms();
    for (int i = 0; i < in.sides_size(); ++i) {
      const v1::SideRecord& side = in.sides(i);
      counts.sides[i].reps_planned = side.reps_planned();
      counts.sides[i].reps_done = side.reps_done();
      counts.sides[i].holds_planned = side.holds_planned();
      counts.sides[i].holds_achieved = side.holds_achieved();
    }
  }
  record->clear_blocks();
  record->clear_routine_id();
  record->clear_locale();  // the plan's, as the routine id is
  record->clear_notes();
  recorder->proto().Swap(record);
}

// Checks `state` against the engine's plan and takes it over (the engine is new).
absl::Status RestoreState(v1::SessionState& state, Engine* engine) {
  const PreparedPlan& plan = engine->plan();
  if (absl::Status status = CheckShape(state, plan); !status.ok()) return status;
  if (absl::Status status = RestoreCursor(state, plan, &engine->walk()); !status.ok())
    return status;
  std::vector<PendingCue> pending;
  if (absl::Status status = RestorePending(state, plan, &pending); !status.ok()) return status;
  const std::vector<uint32_t> said(state.fired().begin(), state.fired().end());
  const int64_t busy = state.busy_until_ms() < 0 ? kChannelFree : state.busy_until_ms();
  if (state.speaking_cue() > plan.cues.size()) {
    return absl::InvalidArgumentError(absl::StrCat("state.speaking_cue: ", state.speaking_cue(),
                                                   " but the plan has ", plan.cues.size(),
                                                   " cues"));
  }
  engine->speech().Restore(plan, std::move(pending), said, busy, state.cue_seq());
  engine->speech().RestoreSpeech(static_cast<int32_t>(state.speaking_cue()) - 1,
                                 state.speaking_started_ms(), state.speech_end_reported());
  if (absl::Status status = RestoreQueue(state, plan, &engine->queue()); !status.ok()) {
    return status;
  }
  engine->set_reports_applied(state.reports_applied());
  RestoreRecord(state.mutable_record(), &engine->recorder());
  const SessionClock& clock = engine->clock();
  if (!clock.finished && !clock.paused && clock.started) {
    engine->speech().Choose(plan);
    // A running session has caught up with its last input: nothing is due before it.
    if (engine->walk().Deadline() < clock.last_input) return Bad("state: due before last input");
  }
  return absl::OkStatus();
}

// The plan and state of a snapshot, its plan prepared (or found among the recent plans).
absl::Status ParseSnapshot(absl::string_view snapshot, Format format,
                           std::shared_ptr<const PreparedPlan>* prepared, v1::SessionState* state) {
  internal::ProtobufLogCapture log;  // what protobuf says goes into the status, not to stderr
  uint32_t version = 0;
  absl::string_view plan_bytes, state_bytes;
  const bool binary = format == Format::kBinary && snapshot.size() <= kMaxInputBytes;
  const bool canonical = binary && SplitSnapshot(snapshot, &version, &plan_bytes, &state_bytes);
  if (canonical) {
    *prepared = RecentPlans::Get().Find(plan_bytes);
    if (*prepared != nullptr) {
      if (!state->ParseFromArray(state_bytes.data(), static_cast<int>(state_bytes.size()))) {
        return absl::InvalidArgumentError(log.Explain(
            absl::StrCat("not a valid binary ", v1::SessionSnapshot().GetTypeName(), " message")));
      }
      if (version != kSnapshotVersion) return BadVersion(version);
      return absl::OkStatus();
    }
  }
  v1::SessionSnapshot snap;
  if (binary) {
    // ParseMessage's checks and message, without its copy.
    if (!snap.ParseFromArray(snapshot.data(), static_cast<int>(snapshot.size()))) {
      return absl::InvalidArgumentError(
          log.Explain(absl::StrCat("not a valid binary ", snap.GetTypeName(), " message")));
    }
  } else if (absl::Status status = ParseMessage(snapshot, format, &snap); !status.ok()) {
    return status;
  }
  if (snap.version() != kSnapshotVersion) return BadVersion(snap.version());
  absl::StatusOr<std::shared_ptr<const PreparedPlan>> made =
      PreparedPlan::Make(std::move(*snap.mutable_plan()));
  if (!made.ok()) return made.status();
  *prepared = *std::move(made);
  if (canonical) RecentPlans::Get().Add(plan_bytes, *prepared);
  state->Swap(snap.mutable_state());
  return absl::OkStatus();
}

}  // namespace

v1::SessionSnapshot SnapshotProto(const Engine& engine) {
  v1::SessionSnapshot snap;
  snap.set_version(kSnapshotVersion);
  // Keep snapshots small: options at their defaults are left out (restored from the plan).
  *snap.mutable_plan() = engine.plan().proto();
  timing::ClearDefaultOptions(snap.mutable_plan()->mutable_options());
  WriteState(engine, snap.mutable_state());
  return snap;
}

absl::StatusOr<std::string> WriteSnapshot(const Engine& engine, Format format) {
  if (format != Format::kBinary) return SerializeMessage(SnapshotProto(engine), format);
  // The bytes SerializeMessage(SnapshotProto()) would give, without copying the plan: its
  // serialized form is kept by the PreparedPlan. Fields are written in number order, as
  // protobuf does.
  using google::protobuf::internal::WireFormatLite;
  namespace io = google::protobuf::io;
  const std::string& plan = engine.plan().SnapshotBytes();
  v1::SessionState state;
  WriteState(engine, &state);
  const size_t state_size = state.ByteSizeLong();
  std::string out;
  out.resize(3 * 12 + plan.size() + state_size);
  uint8_t* begin = reinterpret_cast<uint8_t*>(&out[0]);
  uint8_t* at = begin;
  at = io::CodedOutputStream::WriteTagToArray(
      WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_VARINT), at);
  at = io::CodedOutputStream::WriteVarint32ToArray(kSnapshotVersion, at);
  at = io::CodedOutputStream::WriteTagToArray(
      WireFormatLite::MakeTag(2, WireFormatLite::WIRETYPE_LENGTH_DELIMITED), at);
  at = io::CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(plan.size()), at);
  std::memcpy(at, plan.data(), plan.size());
  at += plan.size();
  at = io::CodedOutputStream::WriteTagToArray(
      WireFormatLite::MakeTag(3, WireFormatLite::WIRETYPE_LENGTH_DELIMITED), at);
  at = io::CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(state_size), at);
  at = state.SerializeWithCachedSizesToArray(at);
  out.resize(static_cast<size_t>(at - begin));
  return out;
}

absl::StatusOr<std::unique_ptr<Engine>> ReadSnapshot(absl::string_view snapshot, Format format) {
  std::shared_ptr<const PreparedPlan> prepared;
  v1::SessionState state;
  if (absl::Status status = ParseSnapshot(snapshot, format, &prepared, &state); !status.ok()) {
    return status;
  }
  auto engine = std::make_unique<Engine>(std::move(prepared));
  if (absl::Status status = RestoreState(state, engine.get()); !status.ok()) return status;
  return engine;
}

}  // namespace regimen::session_internal
