// `regimen play`: runs a routine in real time (optionally faster) in the terminal, driven by the
// session's next deadline. In a terminal: a status line with the exercise, set, rep and side, a
// bar for the phase and one for the session, each cue as it comes, and keys (space pause/resume,
// s skip, p pain, a asymmetry, q quit). Without a terminal it plays through and prints events.
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

extern char** environ;

namespace regimen::cli {
namespace {

constexpr const char* kUsage =
    "play ROUTINE [--speed N] [--speak] [--catalog F] [--attest NAME]...";

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
void Speak(const std::string& text, int words_per_minute) {
  const std::string rate = std::to_string(words_per_minute);
  std::vector<char*> argv = {const_cast<char*>("espeak-ng"), const_cast<char*>("-s"),
                             const_cast<char*>(rate.c_str()), const_cast<char*>(text.c_str()),
                             nullptr};
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

}  // namespace

const CommandHelp kPlayHelp = {
    "play",
    kUsage,
    "plays a routine in real time (or faster) in the terminal",
    "In a terminal: a status line (exercise, set, rep, side, a bar for the phase and one for the\n"
    "session), each cue as it comes, and keys: space pause/resume, s skip, p pain (0-10, Enter),\n"
    "a asymmetry (l or r), q quit. Ctrl-C stops the session. Without a terminal it plays\n"
    "through and prints the phases and cues. Ends with a summary line (Finished: ...).\n",
    {
        {"--speed", "N", "play N times faster than real time, 1..1000 (default 1)"},
        {"--speak", nullptr, "speak the cues with espeak-ng (when it is installed)"},
        {"--catalog", "F", "the content pack to read instead of the built-in one"},
        {"--attest", "NAME",
         "an attestation the user gives (repeatable), e.g. --attest\n"
         "spine_flexible_strong_balanced for back_basics_plus"},
    },
    {RoutineInput()},
    "regimen play examples/cli/routine.json --speed 20",
};

int RunPlay(const std::vector<std::string>& argv) {
  absl::StatusOr<Args> args = Args::Parse(argv, kPlayHelp);
  if (!args.ok()) return UsageError(args.status().message(), kUsage);
  if (args->positional().size() != 1) return UsageError("expected one routine", kUsage);
  int speed = 1;
  if (auto value = args->Get("--speed"); value.has_value()) {
    if (!absl::SimpleAtoi(*value, &speed) || speed < 1 || speed > 1000) {
      return UsageError(absl::StrCat("--speed must be a whole number 1..1000, got ", *value),
                        kUsage);
    }
  }
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  absl::StatusOr<v1::Routine> routine = LoadRoutine(*catalog, args->positional()[0]);
  if (!routine.ok()) return Fail(routine.status());
  // Attestations the user gives (e.g. spine_flexible_strong_balanced for the rock's gate).
  v1::SessionOptions options;
  for (std::string& attestation : args->GetAll("--attest")) {
    options.add_attestations(std::move(attestation));
  }
  absl::StatusOr<std::unique_ptr<Session>> made = Session::Create(*catalog, *routine, options);
  if (!made.ok()) return FailSession(made.status());
  Session& session = **made;
  const bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  const bool speak = args->Has("--speak") && HaveEspeak();
  if (args->Has("--speak") && !speak) std::cerr << "regimen: espeak-ng not found; not speaking\n";
  const int wpm = static_cast<int>(session.plan().options().words_per_minute());
  const int64_t planned = session.plan().planned_ms();

  std::optional<RawTerminal> raw;
  if (interactive) {
    raw.emplace();
    std::cout << "Playing " << routine->name() << " (" << Clock(planned) << ") at " << speed
              << "x. Keys: space pause/resume, s skip, p pain, a asymmetry, q quit.\n";
  }
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  const auto wall_start = std::chrono::steady_clock::now();
  auto now_ms = [&]() -> int64_t {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - wall_start);
    return static_cast<int64_t>(elapsed.count()) * speed;
  };
  View view;
  enum class Ask { kNone, kPain, kSide } ask = Ask::kNone;
  std::string typed;
  int64_t paused_total = 0, paused_at = 0;

  auto status_line = [&](int64_t t) {
    if (!interactive) return;
    const int64_t elapsed = t - paused_total - (view.paused ? t - paused_at : 0);
    std::string where = view.exercise.empty() ? "" : view.exercise;
    if (view.set >= 0) absl::StrAppend(&where, " set ", view.set + 1);
    if (view.rep >= 0) absl::StrAppend(&where, " rep ", view.rep + 1);
    if (view.side != v1::SIDE_UNSPECIFIED) absl::StrAppend(&where, " ", SideName(view.side));
    const int64_t in_phase = view.paused ? paused_at - view.phase_start : t - view.phase_start;
    std::string line =
        absl::StrCat(where, " | ", view.phase, " ", Bar(in_phase, view.phase_ms, 10), " | ",
                     Clock(elapsed), "/", Clock(planned), " ", Bar(elapsed, planned, 20));
    if (view.paused) absl::StrAppend(&line, " PAUSED");
    if (ask == Ask::kPain) line = "Pain 0-10, then Enter: " + typed;
    if (ask == Ask::kSide) line = "Which side takes over? l or r: ";
    std::cout << "\r\033[K" << line << std::flush;
  };
  auto print = [&](const std::string& text) {
    if (interactive) {
      std::cout << "\r\033[K" << text << "\n";
    } else {
      std::cout << text << "\n";
    }
  };
  auto handle = [&](const Event& e) {
    const std::string at = Clock(e.at_ms - paused_total);
    switch (e.type) {
      case v1::SessionEvent::EXERCISE_STARTED:
        view.exercise = e.text;
        view.set = view.rep = -1;
        view.side = v1::SIDE_UNSPECIFIED;
        print(absl::StrCat(at, " == ", e.text));
        break;
      case v1::SessionEvent::PHASE_STARTED:
        view.phase = e.text;
        view.set = e.set_index;
        view.rep = e.rep_index;
        view.side = e.side;
        view.phase_start = e.at_ms;
        view.phase_ms = e.duration_ms;
        if (e.block_index < 0) view.exercise = "";
        if (!interactive) {
          std::string where;
          if (e.set_index >= 0) absl::StrAppend(&where, " set ", e.set_index + 1);
          if (e.rep_index >= 0) absl::StrAppend(&where, " rep ", e.rep_index + 1);
          if (e.side != v1::SIDE_UNSPECIFIED) absl::StrAppend(&where, " ", SideName(e.side));
          print(absl::StrCat(at, "   ", e.text, where, " (", Clock(e.duration_ms), ")"));
        }
        break;
      case v1::SessionEvent::CUE:
        print(absl::StrCat(at, "   \xC2\xBB ", e.text));
        if (speak) Speak(e.text, wpm);
        break;
      case v1::SessionEvent::PAUSED:
        view.paused = true;
        paused_at = e.at_ms;
        print(absl::StrCat(at, " Paused"));
        break;
      case v1::SessionEvent::RESUMED:
        view.paused = false;
        paused_total += e.at_ms - paused_at;
        print(absl::StrCat(Clock(e.at_ms - paused_total), " Resumed"));
        break;
      case v1::SessionEvent::SAFETY_STOP:
        print(absl::StrCat(at, " !! Safety stop: the session ends here"));
        break;
      case v1::SessionEvent::EXERCISE_COMPLETED:
        print(absl::StrCat(at, " -- ", e.text, " done"));
        break;
      case v1::SessionEvent::SESSION_COMPLETED:
        print(absl::StrCat(at, " ", e.text));
        break;
      default:
        break;
    }
  };
  auto drain = [&] {
    Event e;
    while (session.Poll(&e)) handle(e);
  };
  auto report = [&](absl::Status status) {
    if (!status.ok()) print(absl::StrCat("regimen: ", status.message()));
    drain();
  };

  if (absl::Status s = session.Start(0); !s.ok()) return Fail(s);
  drain();
  while (!session.Finished()) {
    if (interrupted) {
      report(session.Signal(v1::SIGNAL_STOP, now_ms()));
      break;
    }
    int64_t t = now_ms();
    report(session.Tick(t));
    if (session.Finished()) break;
    status_line(t);
    // Sleep until the next deadline, at most 100 ms so the bars move, waking for a key.
    const int64_t deadline = session.NextDeadline();
    int64_t wait_ms = 100;
    if (deadline >= 0) wait_ms = std::clamp<int64_t>((deadline - t) / speed, 0, 100);
    if (!interactive) {
      if (deadline < 0) {
        std::cerr << "regimen: the session waits for input, which a non-terminal cannot give\n";
        report(session.Signal(v1::SIGNAL_STOP, t));
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      continue;
    }
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(wait_ms)) <= 0) continue;
    char key = 0;
    if (read(STDIN_FILENO, &key, 1) != 1) continue;
    t = now_ms();
    if (ask == Ask::kPain) {
      if (key >= '0' && key <= '9' && typed.size() < 2) {
        typed.push_back(key);
      } else if (key == '\n' || key == '\r') {
        int value = -1;
        if (absl::SimpleAtoi(typed, &value)) {
          report(session.Report(v1::REPORT_PAIN, value, v1::SIDE_UNSPECIFIED, t));
        }
        ask = Ask::kNone;
        typed.clear();
      } else if (key == 27) {
        ask = Ask::kNone;
        typed.clear();
      }
      continue;
    }
    if (ask == Ask::kSide) {
      if (key == 'l' || key == 'r') {
        report(session.Report(v1::REPORT_ASYMMETRY, 0, key == 'l' ? v1::LEFT : v1::RIGHT, t));
      }
      ask = Ask::kNone;
      continue;
    }
    switch (key) {
      case ' ':
        report(session.Signal(view.paused ? v1::SIGNAL_RESUME : v1::SIGNAL_PAUSE, t));
        break;
      case 's':
        report(session.Signal(v1::SIGNAL_SKIP, t));
        break;
      case 'p':
        ask = Ask::kPain;
        break;
      case 'a':
        ask = Ask::kSide;
        break;
      case 'q':
        report(session.Signal(v1::SIGNAL_STOP, t));
        break;
      default:
        break;
    }
  }
  drain();
  const v1::SessionRecord record = session.Record();
  uint32_t reps = 0, planned_reps = 0;
  for (const v1::BlockRecord& b : record.blocks()) {
    for (const v1::SideRecord& s : b.sides()) {
      reps += s.reps_done();
      planned_reps += s.reps_planned();
    }
  }
  std::cout << (interactive ? "\r\033[K" : "") << "Finished: "
            << (record.end() == v1::SESSION_END_STOPPED       ? "stopped"
                : record.end() == v1::SESSION_END_SAFETY_STOP ? "safety stop"
                                                              : "completed")
            << ", " << reps << "/" << planned_reps << " reps, active " << Clock(record.active_ms())
            << ", " << record.skips() << " skipped, " << record.safety_stops_size()
            << " safety stops, cues " << record.cues_spoken() << " said / " << record.cues_dropped()
            << " dropped.\n"
            << std::flush;
  return 0;
}

}  // namespace regimen::cli
