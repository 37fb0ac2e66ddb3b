// `regimen play`: runs a routine in real time (optionally faster) in the terminal, driven by the
// session's next deadline. With --state FILE it keeps a snapshot there after every input and
// every batch of events, so that `play --resume FILE` goes on after the player was killed; the
// finished session's record goes to the history (tools/regimen/history.h). In a terminal: a status
// line with the exercise, set, rep and side, a bar for the phase and one for the session, each cue
// as it comes, and keys (space pause/resume, s skip, p pain, a asymmetry, q quit). Without a
// terminal it plays through and prints events.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "regimen/session.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"
#include "tools/regimen/history.h"
#include "tools/regimen/play_state.h"

extern char** environ;

namespace regimen::cli {
namespace {

constexpr const char* kUsage =
    "play ROUTINE|next [--speed N] [--speak] [--catalog F] [--attest NAME]... [--locale TAG] "
    "[--state FILE] "
    "[--history FILE | --no-history] | play --resume FILE";

volatile sig_atomic_t interrupted = 0;
void OnInterrupt(int) { interrupted = 1; }

// Puts the terminal in character-at-a-time mode without echo for its lifetime.
class RawTerminal {
 public:
  RawTerminal() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }

 private:
  termios saved_{};
  bool active_ = false;
};

bool HaveEspeak() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string dirs = path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(start, end - start) + "/espeak-ng";
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

// Speaks `text` with espeak-ng in the background (no shell: the text is one argument).
// `voice` is the plan's language ("de"), empty for espeak-ng's default.
void Speak(const std::string& text, int words_per_minute, const std::string& voice) {
  const std::string rate = std::to_string(words_per_minute);
  std::vector<char*> argv = {const_cast<char*>("espeak-ng"), const_cast<char*>("-s"),
                             const_cast<char*>(rate.c_str())};
  if (!voice.empty()) {
    argv.push_back(const_cast<char*>("-v"));
    argv.push_back(const_cast<char*>(voice.c_str()));
  }
  argv.push_back(const_cast<char*>(text.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  posix_spawnp(&pid, "espeak-ng", nullptr, nullptr, argv.data(), environ);
}

std::string Clock(int64_t ms) {
  if (ms < 0) ms = 0;
  return absl::StrFormat("%d:%02d", ms / 60000, (ms / 1000) % 60);
}

std::string Bar(int64_t done, int64_t total, int width) {
  int filled = total <= 0 ? 0 : static_cast<int>(std::min<int64_t>(done, total) * width / total);
  if (filled < 0) filled = 0;
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

const char* SideName(v1::Side side) {
  return side == v1::LEFT ? "left" : side == v1::RIGHT ? "right" : "";
}

// What the screen shows, updated from events.
struct View {
  std::string exercise;
  std::string phase;
  int32_t set = -1, rep = -1;
  v1::Side side = v1::SIDE_UNSPECIFIED;
  int64_t phase_start = 0, phase_ms = -1;
  bool paused = false;
};

// One play as the command line sets it up: a new session, or one resumed from a state file.
struct PlaySetup {
  std::unique_ptr<Session> session;
  v1::Routine routine;
  int speed = 1;
  bool speak = false;
  std::string state_path;  // "" = no state file
  std::optional<History> history;
  std::string history_path;  // as given ("" = the default file)
  bool no_history = false;
  std::string uid;
  int64_t start_ms = 0;  // the session time at which the clock starts
  bool resumed = false;
};

absl::Status ParseSpeed(const Args& args, int* speed) {
  if (auto value = args.Get("--speed"); value.has_value()) {
    if (!absl::SimpleAtoi(*value, speed) || *speed < 1 || *speed > 1000) {
      return absl::InvalidArgumentError(
          absl::StrCat("--speed must be a whole number 1..1000, got ", *value));
    }
  }
  return absl::OkStatus();
}

// The history file, opened before anything plays: a corrupt or newer one stops the play here.
absl::Status OpenHistory(PlaySetup* setup) {
  if (setup->no_history) return absl::OkStatus();
  absl::StatusOr<History> history =
      History::Open(setup->history_path.empty() ? History::DefaultPath() : setup->history_path);
  if (!history.ok()) return history.status();
  setup->history.emplace(std::move(*history));
  return absl::OkStatus();
}

absl::StatusOr<PlaySetup> NewPlay(const Args& args) {
  PlaySetup setup;
  if (absl::Status s = ParseSpeed(args, &setup.speed); !s.ok()) return s;
  setup.state_path = args.Get("--state").value_or("");
  setup.history_path = args.Get("--history").value_or("");
  setup.no_history = args.Has("--no-history");
  if (absl::Status s = OpenHistory(&setup); !s.ok()) return s;
  absl::StatusOr<Catalog> catalog = LoadCatalog(args.Get("--catalog"));
  if (!catalog.ok()) return catalog.status();
  const std::string& wanted = args.positional()[0];
  if (wanted == "next") {
    if (!setup.history.has_value()) {
      return absl::InvalidArgumentError("play next reads the history: drop --no-history");
    }
    absl::StatusOr<std::optional<v1::Routine>> next = setup.history->Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) {
      return absl::NotFoundError(absl::StrCat("no next routine in ", setup.history->path(),
                                              ": run `regimen next --profile F` first"));
    }
    setup.routine = std::move(**next);
  } else {
    absl::StatusOr<v1::Routine> routine = LoadRoutine(*catalog, wanted);
    if (!routine.ok()) return routine.status();
    setup.routine = *std::move(routine);
  }
  // Attestations the user gives (e.g. spine_flexible_strong_balanced for the rock's gate).
  v1::SessionOptions options;
  for (std::string& attestation : args.GetAll("--attest")) {
    options.add_attestations(std::move(attestation));
  }
  if (auto locale = args.Get("--locale"); locale.has_value()) options.set_locale(*locale);
  absl::StatusOr<std::unique_ptr<Session>> made = Session::Create(*catalog, setup.routine, options);
  if (!made.ok()) return made.status();
  setup.session = std::move(*made);
  if (absl::Status s = setup.session->Start(0); !s.ok()) return s;
  setup.uid = NewSessionUid();
  return setup;
}

// A killed player's session, paused at the time of its last state, the time since counted as a
// pause; it goes on at once (a terminal user goes on with space).
absl::StatusOr<PlaySetup> ResumePlay(const Args& args, bool interactive) {
  const std::string path = *args.Get("--resume");
  absl::StatusOr<v1::PlayerState> state = ReadState(path);
  if (!state.ok()) return state.status();
  PlaySetup setup;
  setup.speed = static_cast<int>(std::clamp<uint32_t>(state->speed(), 1, 1000));
  if (absl::Status s = ParseSpeed(args, &setup.speed); !s.ok()) return s;
  setup.state_path = args.Get("--state").value_or(path);
  setup.history_path = args.Get("--history").value_or(state->history_path());
  setup.no_history = args.Has("--no-history") || state->no_history();
  if (absl::Status s = OpenHistory(&setup); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<Session>> restored =
      Session::Restore(state->snapshot().SerializeAsString(), Format::kBinary);
  if (!restored.ok()) {
    return absl::Status(restored.status().code(),
                        absl::StrCat(path, ": ", restored.status().message()));
  }
  setup.session = std::move(*restored);
  setup.routine = state->routine();
  setup.uid = state->session_uid();
  setup.resumed = true;
  const int64_t saved = state->session_ms();
  const int64_t gap = std::max<int64_t>(0, UnixMs() - state->saved_at_unix_ms()) * setup.speed;
  setup.start_ms = saved + gap;
  if (setup.session->Finished()) return setup;
  Session& session = *setup.session;
  if (!state->snapshot().state().paused()) {
    if (absl::Status s = session.Signal(v1::SIGNAL_PAUSE, saved); !s.ok()) return s;
  }
  if (!interactive) {
    if (absl::Status s = session.Signal(v1::SIGNAL_RESUME, setup.start_ms); !s.ok()) return s;
  }
  return setup;
}

// Plays a set-up session to its end in the terminal (or, without one, printing events).
class Player {
 public:
  Player(PlaySetup setup, bool interactive)
      : setup_(std::move(setup)), session_(*setup_.session), interactive_(interactive) {
    wpm_ = static_cast<int>(session_.plan().options().words_per_minute());
    // espeak-ng's voice for the plan's language: "de" for "de", "es" for "es-MX".
    voice_ = session_.plan().locale().substr(0, session_.plan().locale().find('-'));
    planned_ = session_.plan().planned_ms();
    paused_total_ = session_.Record().paused_ms();
    last_t_ = setup_.start_ms;
  }

  int Run();

 private:
  int64_t Now() const {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - wall_start_);
    return setup_.start_ms + static_cast<int64_t>(elapsed.count()) * setup_.speed;
  }
  void Print(const std::string& text) {
    std::cout << (interactive_ ? "\r\033[K" : "") << text << "\n";
  }
  void StatusLine(int64_t t);
  void Handle(const Event& e);
  void ShowPhase(const Event& e, const std::string& at);
  // Polls every event; saves the state when there were any (or `force`).
  void Drain(bool force = false);
  // After an input at t: its error if any, then its events, then the state.
  void Apply(const absl::Status& status, int64_t t);
  void Save();
  void Key(char key, int64_t t);
  int Finish();

  PlaySetup setup_;
  Session& session_;
  const bool interactive_;
  int wpm_ = 0;
  std::string voice_;
  int64_t planned_ = 0;
  std::chrono::steady_clock::time_point wall_start_ = std::chrono::steady_clock::now();
  View view_;
  enum class Ask { kNone, kPain, kSide } ask_ = Ask::kNone;
  std::string typed_;
  int64_t paused_total_ = 0, paused_at_ = 0;
  int64_t last_t_ = 0;  // the time of the last call on the session
  bool save_failed_ = false;
};

void Player::StatusLine(int64_t t) {
  if (!interactive_) return;
  const int64_t elapsed = t - paused_total_ - (view_.paused ? t - paused_at_ : 0);
  std::string where = view_.exercise;
  if (view_.set >= 0) absl::StrAppend(&where, " set ", view_.set + 1);
  if (view_.rep >= 0) absl::StrAppend(&where, " rep ", view_.rep + 1);
  if (view_.side != v1::SIDE_UNSPECIFIED) absl::StrAppend(&where, " ", SideName(view_.side));
  const int64_t in_phase = view_.paused ? paused_at_ - view_.phase_start : t - view_.phase_start;
  std::string line =
      absl::StrCat(where, " | ", view_.phase, " ", Bar(in_phase, view_.phase_ms, 10), " | ",
                   Clock(elapsed), "/", Clock(planned_), " ", Bar(elapsed, planned_, 20));
  if (view_.paused) absl::StrAppend(&line, " PAUSED");
  if (ask_ == Ask::kPain) line = "Pain 0-10, then Enter: " + typed_;
  if (ask_ == Ask::kSide) line = "Which side takes over? l or r: ";
  std::cout << "\r\033[K" << line << std::flush;
}

void Player::ShowPhase(const Event& e, const std::string& at) {
  view_.phase = e.text;
  view_.set = e.set_index;
  view_.rep = e.rep_index;
  view_.side = e.side;
  view_.phase_start = e.at_ms;
  view_.phase_ms = e.duration_ms;
  if (e.block_index < 0) view_.exercise = "";
  if (interactive_) return;
  std::string where;
  if (e.set_index >= 0) absl::StrAppend(&where, " set ", e.set_index + 1);
  if (e.rep_index >= 0) absl::StrAppend(&where, " rep ", e.rep_index + 1);
  if (e.side != v1::SIDE_UNSPECIFIED) absl::StrAppend(&where, " ", SideName(e.side));
  Print(absl::StrCat(at, "   ", e.text, where, " (", Clock(e.duration_ms), ")"));
}

void Player::Handle(const Event& e) {
  const std::string at = Clock(e.at_ms - paused_total_);
  switch (e.type) {
    case v1::SessionEvent::EXERCISE_STARTED:
      view_.exercise = e.text;
      view_.set = view_.rep = -1;
      view_.side = v1::SIDE_UNSPECIFIED;
      Print(absl::StrCat(at, " == ", e.text));
      break;
    case v1::SessionEvent::PHASE_STARTED:
      ShowPhase(e, at);
      break;
    case v1::SessionEvent::CUE:
      Print(absl::StrCat(at, "   \xC2\xBB ", e.text));
      if (setup_.speak) Speak(e.text, wpm_, voice_);
      break;
    case v1::SessionEvent::CUE_SKIPPED:
      Print(absl::StrCat(at, "   (not said in time) ", e.text));
      break;
    case v1::SessionEvent::PAUSED:
      view_.paused = true;
      paused_at_ = e.at_ms;
      Print(absl::StrCat(at, " Paused"));
      break;
    case v1::SessionEvent::RESUMED:
      view_.paused = false;
      paused_total_ += e.at_ms - paused_at_;
      Print(absl::StrCat(Clock(e.at_ms - paused_total_), " Resumed"));
      break;
    case v1::SessionEvent::SAFETY_STOP:
      Print(absl::StrCat(at, " !! Safety stop: the session ends here"));
      break;
    case v1::SessionEvent::EXERCISE_COMPLETED:
      Print(absl::StrCat(at, " -- ", e.text, " done"));
      break;
    case v1::SessionEvent::SESSION_COMPLETED:
      Print(absl::StrCat(at, " ", e.text));
      break;
    default:
      break;
  }
}

void Player::Save() {
  if (setup_.state_path.empty() || save_failed_) return;
  v1::PlayerState state;
  *state.mutable_snapshot() = session_.SnapshotProto();
  *state.mutable_routine() = setup_.routine;
  state.set_session_ms(last_t_);
  state.set_saved_at_unix_ms(UnixMs());
  state.set_session_uid(setup_.uid);
  state.set_speed(static_cast<uint32_t>(setup_.speed));
  state.set_history_path(setup_.history_path);
  state.set_no_history(setup_.no_history);
  if (absl::Status s = WriteState(setup_.state_path, state); !s.ok()) {
    Print(absl::StrCat("regimen: ", s.message(), " (the session goes on without a state file)"));
    save_failed_ = true;
  }
}

void Player::Drain(bool force) {
  Event e;
  bool any = false;
  while (session_.Poll(&e)) {
    Handle(e);
    any = true;
  }
  if (any || force) Save();
}

void Player::Apply(const absl::Status& status, int64_t t) {
  last_t_ = t;
  if (!status.ok()) Print(absl::StrCat("regimen: ", status.message()));
  Drain(/*force=*/true);
}

void Player::Key(char key, int64_t t) {
  if (ask_ == Ask::kPain) {
    if (key >= '0' && key <= '9' && typed_.size() < 2) {
      typed_.push_back(key);
    } else if (key == '\n' || key == '\r') {
      int value = -1;
      if (absl::SimpleAtoi(typed_, &value)) {
        Apply(session_.Report(v1::REPORT_PAIN, value, v1::SIDE_UNSPECIFIED, t), t);
      }
      ask_ = Ask::kNone;
      typed_.clear();
    } else if (key == 27) {
      ask_ = Ask::kNone;
      typed_.clear();
    }
    return;
  }
  if (ask_ == Ask::kSide) {
    if (key == 'l' || key == 'r') {
      Apply(session_.Report(v1::REPORT_ASYMMETRY, 0, key == 'l' ? v1::LEFT : v1::RIGHT, t), t);
    }
    ask_ = Ask::kNone;
    return;
  }
  switch (key) {
    case ' ':
      Apply(session_.Signal(view_.paused ? v1::SIGNAL_RESUME : v1::SIGNAL_PAUSE, t), t);
      break;
    case 's':
      Apply(session_.Signal(v1::SIGNAL_SKIP, t), t);
      break;
    case 'p':
      ask_ = Ask::kPain;
      break;
    case 'a':
      ask_ = Ask::kSide;
      break;
    case 'q':
      Apply(session_.Signal(v1::SIGNAL_STOP, t), t);
      break;
    default:
      break;
  }
}

int Player::Run() {
  std::optional<RawTerminal> raw;
  if (interactive_) {
    raw.emplace();
    std::cout << (setup_.resumed ? "Resuming " : "Playing ") << setup_.routine.name() << " ("
              << Clock(planned_) << ") at " << setup_.speed
              << "x. Keys: space pause/resume, s skip, p pain, a asymmetry, q quit.\n";
    if (setup_.resumed && !session_.Finished()) Print("Paused where it was left: space goes on.");
  }
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  Drain(/*force=*/true);
  while (!session_.Finished()) {
    int64_t t = Now();
    if (interrupted) {
      Apply(session_.Signal(v1::SIGNAL_STOP, t), t);
      break;
    }
    last_t_ = t;
    if (absl::Status s = session_.Tick(t); !s.ok()) Print(absl::StrCat("regimen: ", s.message()));
    Drain();
    if (session_.Finished()) break;
    StatusLine(t);
    // Sleep until the next deadline, at most 100 ms so the bars move, waking for a key.
    const int64_t deadline = session_.NextDeadline();
    int64_t wait_ms = 100;
    if (deadline >= 0) wait_ms = std::clamp<int64_t>((deadline - t) / setup_.speed, 0, 100);
    if (!interactive_) {
      if (deadline < 0) {
        std::cerr << "regimen: the session waits for input, which a non-terminal cannot give\n";
        Apply(session_.Signal(v1::SIGNAL_STOP, t), t);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      continue;
    }
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(wait_ms)) <= 0) continue;
    char key = 0;
    if (read(STDIN_FILENO, &key, 1) != 1) continue;
    Key(key, Now());
  }
  return Finish();
}

int Player::Finish() {
  Drain();
  const v1::SessionRecord record = session_.Record();
  int rc = 0;
  if (setup_.history.has_value()) {
    if (absl::Status s = setup_.history->Append(setup_.routine, record, UnixMs(), setup_.uid);
        !s.ok()) {
      Print(absl::StrCat("regimen: the record was not kept: ", s.message()));
      rc = 1;
    }
  }
  if (!setup_.state_path.empty() && rc == 0) RemoveState(setup_.state_path);
  uint32_t reps = 0, planned_reps = 0;
  for (const v1::BlockRecord& b : record.blocks()) {
    for (const v1::SideRecord& s : b.sides()) {
      reps += s.reps_done();
      planned_reps += s.reps_planned();
    }
  }
  const char* end = record.end() == v1::SESSION_END_STOPPED       ? "stopped"
                    : record.end() == v1::SESSION_END_SAFETY_STOP ? "ended for safety"
                                                                  : "completed";
  std::cout << (interactive_ ? "\r\033[K" : "") << "Finished: " << end << ", " << reps << "/"
            << planned_reps << " reps, active " << Clock(record.active_ms()) << ", "
            << record.skips() << " skipped, " << record.safety_stops_size()
            << " safety stops, cues " << record.cues_spoken() << " said / " << record.cues_dropped()
            << " dropped.\n"
            << std::flush;
  return rc;
}

}  // namespace

const CommandHelp kPlayHelp = {
    "play",
    kUsage,
    "plays a routine in real time (or faster) in the terminal",
    "In a terminal: a status line (exercise, set, rep, side, a bar for the phase and one for the\n"
    "session), each cue as it comes, and keys: space pause/resume, s skip, p pain (0-10, Enter),\n"
    "a asymmetry (l or r), q quit. Ctrl-C stops the session. Without a terminal it plays\n"
    "through and prints the phases and cues. Ends with a summary line (Finished: ...).\n"
    "The finished session's record goes to the history (see regimen help history).\n"
    "ROUTINE is a routine id, a routine or decision file, or `next`: the routine that\n"
    "`regimen next` stored in the history. With --state FILE the player keeps its place there\n"
    "after every input and event; `regimen play --resume FILE` goes on after a crash or a kill,\n"
    "paused where it was, the time in between counted as a pause.\n",
    {
        {"--speed", "N", "play N times faster than real time, 1..1000 (default 1)"},
        {"--speak", nullptr, "speak the cues with espeak-ng (when it is installed)"},
        {"--catalog", "F", "the content pack to read instead of the built-in one"},
        {"--attest", "NAME",
         "an attestation the user gives (repeatable), e.g. --attest\n"
         "spine_flexible_strong_balanced for back_basics_plus"},
        {"--locale", "TAG",
         "the language of the cues (BCP 47: de, es-MX, ...); an unknown one falls\n"
         "back to the pack's language with a note in the record"},
        {"--state", "FILE", "keep the session's place in FILE (written durably), to resume"},
        {"--resume", "FILE", "go on with the session kept in FILE (no ROUTINE then)"},
        {"--history", "FILE",
         "the history to record to (default $XDG_DATA_HOME/regimen/history.sqlite3)"},
        {"--no-history", nullptr, "record nothing"},
    },
    {RoutineInput()},
    "regimen play examples/cli/routine.json --speed 20 --no-history",
};

int RunPlay(const std::vector<std::string>& argv) {
  absl::StatusOr<Args> args = Args::Parse(argv, kPlayHelp);
  if (!args.ok()) return UsageError(args.status().message(), kUsage);
  const bool resume = args->Has("--resume");
  if (resume ? !args->positional().empty() : args->positional().size() != 1) {
    return UsageError(resume ? "--resume takes no routine" : "expected one routine id", kUsage);
  }
  if (args->Has("--history") && args->Has("--no-history")) {
    return UsageError("--history and --no-history exclude each other", kUsage);
  }
  int speed = 1;
  if (absl::Status s = ParseSpeed(*args, &speed); !s.ok()) return UsageError(s.message(), kUsage);
  const bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  absl::StatusOr<PlaySetup> setup = resume ? ResumePlay(*args, interactive) : NewPlay(*args);
  if (!setup.ok()) return FailSession(setup.status());
  setup->speak = args->Has("--speak") && HaveEspeak();
  if (args->Has("--speak") && !setup->speak) {
    std::cerr << "regimen: espeak-ng not found; not speaking\n";
  }
  return Player(std::move(*setup), interactive).Run();
}

}  // namespace regimen::cli
