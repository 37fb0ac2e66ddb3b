// `regimen simulate-population`: synthetic users, each with a profile and a scripted pattern of
// reports, run through twice-weekly sessions (real regimen::Session runs on a virtual clock) and
// a weekly progression decision over the recent records (the default rules look at the last 2
// to 4 sessions, so a week is their natural step), on T threads. Prints a summary, with a line
// "unlocked <exercise id>: <share>% of users" for each exercise that some user's decisions
// unlocked (catalog order); shows its progress on stderr while it runs, when that is a terminal.
//
// Every user is a pure function of (seed, user index), so the summary is the same for any
// number of threads. With --export DIR it also writes, per user, the inputs of the last weekly
// decision and that decision (tools/regimen/population_export.h), in user order.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/plan.h"
#include "regimen/progression.h"
#include "regimen/session.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"
#include "tools/regimen/population_export.h"

namespace regimen::cli {
namespace {

constexpr const char* kUsage =
    "simulate-population [--users N] [--weeks W] [--threads T] [--seed S] [--first-user K] "
    "[--catalog F] [--export DIR]";
constexpr int kSessionsPerWeek = 2;
// Records kept for progression: the longest window of the default rules and gates is 4.
constexpr size_t kHistory = 6;

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// How a synthetic user reports.
enum class Pattern { kSteady, kPainEpisode, kAsymmetryPhase, kStruggling };

struct User {
  v1::Profile profile;
  Pattern pattern;
  int episode_start;  // week of the pain episode or asymmetry phase
};

User MakeUser(uint64_t seed, uint64_t index) {
  uint64_t state = seed ^ (index * 0xD1B54A32D192ED03ULL);
  User user;
  user.profile.set_seed(SplitMix64(state));
  user.profile.set_sessions_per_week(kSessionsPerWeek);
  user.profile.set_minutes_per_week(10 + static_cast<uint32_t>(SplitMix64(state) % 21));
  if (SplitMix64(state) % 10 < 3) {
    user.profile.add_attestations("spine_flexible_strong_balanced");
  }
  user.pattern = static_cast<Pattern>(SplitMix64(state) % 4);
  user.episode_start = 4 + static_cast<int>(SplitMix64(state) % 20);
  return user;
}

struct ScriptedReport {
  v1::ReportKind kind;
  int32_t value;
  v1::Side side;
};

// What `user` reports at the start of each exercise in session `s` of `week` (0-based).
void ReportsFor(const User& user, int week, int s, std::vector<ScriptedReport>* out) {
  out->clear();
  const bool in_episode = week >= user.episode_start && week < user.episode_start + 2;
  switch (user.pattern) {
    case Pattern::kSteady:
      out->push_back({v1::REPORT_PAIN, week < 2 ? 2 : 0, v1::SIDE_UNSPECIFIED});
      break;
    case Pattern::kPainEpisode:
      out->push_back({v1::REPORT_PAIN, in_episode ? (s == 0 ? 5 : 7) : 1, v1::SIDE_UNSPECIFIED});
      break;
    case Pattern::kAsymmetryPhase:
      out->push_back({v1::REPORT_PAIN, 1, v1::SIDE_UNSPECIFIED});
      if (week >= user.episode_start && week < user.episode_start + 4) {
        out->push_back({v1::REPORT_ASYMMETRY, 0, v1::RIGHT});
      }
      break;
    case Pattern::kStruggling:
      out->push_back({v1::REPORT_PAIN, (week + s) % 3 == 0 ? 4 : 2, v1::SIDE_UNSPECIFIED});
      break;
  }
}

struct Totals {
  explicit Totals(int exercises) : unlocked_users(static_cast<size_t>(exercises), 0) {}

  uint64_t users = 0;
  uint64_t sessions = 0;
  uint64_t events = 0;
  uint64_t decisions = 0;
  // Per exercise of the catalog (in its order): the users whose decisions unlocked it.
  std::vector<uint64_t> unlocked_users;
  uint64_t regressed_users = 0;
  uint64_t safety_stops = 0;
  uint64_t errors = 0;

  void Add(const Totals& other) {
    users += other.users;
    sessions += other.sessions;
    events += other.events;
    decisions += other.decisions;
    for (size_t i = 0; i < unlocked_users.size(); ++i) {
      unlocked_users[i] += other.unlocked_users[i];
    }
    regressed_users += other.regressed_users;
    safety_stops += other.safety_stops;
    errors += other.errors;
  }
};

// Prepared plans per routine, per thread: most users share a handful of routines, and every
// session of a routine shares its prepared plan (nothing per plan is copied per session).
// Keyed by the routine's serialized bytes without its notes (hashed; equal bytes on a hit): the
// notes are words for the user that change from week to week, and CompilePlan does not read
// them; and the session options (the user's attestations, which the gates need), appended.
// Most decisions keep the routine, so the last key is checked first, without hashing.
class PlanCache {
 public:
  // `routine` is restored before this returns (its notes are moved out for the key).
  std::shared_ptr<const PreparedPlan> Get(const Catalog& catalog, v1::Routine& routine,
                                          const v1::SessionOptions& options) {
    key_.clear();
    notes_.Swap(routine.mutable_notes());
    const bool serialized = routine.SerializeToString(&key_) && options.AppendToString(&key_);
    notes_.Swap(routine.mutable_notes());
    if (!serialized) return nullptr;
    if (last_ != nullptr && key_ == last_key_) return last_;
    std::shared_ptr<const PreparedPlan> found;
    if (auto it = plans_.find(key_); it != plans_.end()) {
      found = it->second;
    } else {
      absl::StatusOr<v1::Plan> plan = CompilePlan(catalog, routine, options);
      if (!plan.ok()) return nullptr;
      absl::StatusOr<std::shared_ptr<const PreparedPlan>> prepared =
          Session::Prepare(*std::move(plan));
      if (!prepared.ok()) return nullptr;
      if (plans_.size() > 4096) plans_.clear();  // bound memory on exotic populations
      found = *std::move(prepared);
      plans_.emplace(key_, found);
    }
    last_key_.swap(key_);  // both strings keep their capacity
    last_ = found;
    return found;
  }

 private:
  std::string key_;  // reused: no allocation per lookup once warm
  std::string last_key_;
  google::protobuf::RepeatedPtrField<std::string> notes_;  // empty between calls
  std::shared_ptr<const PreparedPlan> last_;
  absl::flat_hash_map<std::string, std::shared_ptr<const PreparedPlan>> plans_;
};

// The position of exercise `id` in `catalog`, or -1 when it has none of that id.
int ExerciseIndex(const Catalog& catalog, const std::string& id) {
  const auto& exercises = catalog.proto().exercises();
  for (int i = 0; i < exercises.size(); ++i) {
    if (exercises.Get(i).id() == id) return i;
  }
  return -1;
}

// What a thread keeps from one user to the next so that their memory is reused: the session,
// the request (its records' messages), the decision (its blocks, changes and strings) and
// which exercises the user has unlocked.
struct Scratch {
  std::unique_ptr<Session> session;
  v1::ProgressRequest request;
  v1::ProgressDecision decision;
  std::vector<bool> unlocked;  // per exercise of the catalog
};

// Runs one user for `weeks` weeks; adds to `totals`. `scratch.session` is the thread's session,
// reset for each run (made on the first). When `exported` is set, the inputs of the last week's
// decision and the decision go into it, under `user_id`.
void RunUser(const Catalog& catalog, const User& user, uint64_t user_id, int weeks,
             PlanCache& plans, Scratch& scratch, Totals& totals, ExportBatch* exported) {
  ++totals.users;
  absl::StatusOr<v1::Routine> generated = GenerateRoutine(catalog, user.profile);
  if (!generated.ok()) {
    ++totals.errors;
    return;
  }
  std::unique_ptr<Session>& made = scratch.session;
  v1::ProgressRequest& request = scratch.request;
  v1::ProgressDecision& decision = scratch.decision;
  request.Clear();  // keeps the cleared records' messages, which are reused below
  *request.mutable_profile() = user.profile;
  *request.mutable_routine() = *std::move(generated);
  std::vector<ScriptedReport> reports;
  std::vector<bool>& unlocked = scratch.unlocked;
  unlocked.assign(totals.unlocked_users.size(), false);
  bool regressed = false;
  // The user's attestations, given to every session (a gated exercise needs them).
  v1::SessionOptions options;
  *options.mutable_attestations() = user.profile.attestations();
  // The routine changes only with a decision: look its prepared plan up once per decision.
  std::shared_ptr<const PreparedPlan> plan =
      plans.Get(catalog, *request.mutable_routine(), options);
  for (int week = 0; week < weeks; ++week) {
    for (int s = 0; s < kSessionsPerWeek; ++s) {
      if (plan == nullptr) {
        ++totals.errors;
        return;
      }
      if (made == nullptr) {
        made = Session::FromPrepared(plan);
      } else {
        made->Reset(plan);
      }
      Session& session = *made;
      ReportsFor(user, week, s, &reports);
      int64_t now = 0;
      (void)session.Start(now);
      (void)session.Report(v1::REPORT_EFFORT, user.pattern == Pattern::kStruggling ? 8 : 5,
                           v1::SIDE_UNSPECIFIED, now);
      Event event;
      for (;;) {
        bool exercise_started = false;
        while (session.Poll(&event)) {
          ++totals.events;
          exercise_started |= event.type == v1::SessionEvent::EXERCISE_STARTED;
        }
        if (exercise_started) {
          for (const ScriptedReport& report : reports) {
            (void)session.Report(report.kind, report.value, report.side, now);
          }
          continue;  // poll what the reports caused
        }
        if (session.Finished()) break;
        now = session.NextDeadline();
        if (now < 0 || !session.Tick(now).ok()) break;
      }
      ++totals.sessions;
      // The oldest record's message is reused for the newest (no allocation once warm).
      v1::SessionRecord* record = nullptr;
      if (request.records_size() >= static_cast<int>(kHistory)) {
        request.mutable_records()->ExtractSubrange(0, 1, &record);
        session.Record(record);
        request.mutable_records()->AddAllocated(record);
      } else {
        record = request.add_records();  // a cleared one of an earlier user when there is one
        session.Record(record);
      }
      totals.safety_stops += static_cast<uint64_t>(request.records().rbegin()->safety_stops_size());
    }
    const bool last_week = week + 1 == weeks;
    if (exported != nullptr && last_week) exported->AddInputs(user_id, request);
    if (!Progress(catalog, request, &decision).ok()) {
      ++totals.errors;
      return;
    }
    ++totals.decisions;
    if (exported != nullptr && last_week) exported->AddDecision(user_id, decision);
    for (const v1::Change& change : decision.changes()) {
      if (change.action() == v1::UNLOCK) {
        const int exercise = ExerciseIndex(catalog, change.exercise_id());
        if (exercise < 0) {
          ++totals.errors;  // progression unlocks only exercises of the catalog
          return;
        }
        unlocked[static_cast<size_t>(exercise)] = true;
      }
      regressed |= change.action() == v1::REGRESS;
    }
    // The decided routine becomes the request's; the old one's blocks serve the next decision.
    request.mutable_routine()->Swap(decision.mutable_routine());
    plan = plans.Get(catalog, *request.mutable_routine(), options);
  }
  for (size_t i = 0; i < unlocked.size(); ++i) totals.unlocked_users[i] += unlocked[i] ? 1 : 0;
  totals.regressed_users += regressed ? 1 : 0;
}

}  // namespace

// Progress while the workers run: on a terminal, one line redrawn about once a second (users
// done, sessions per second, time left); when stderr is not a terminal (a pipe, a log file, a
// test), nothing.
void ShowProgress(const std::atomic<uint64_t>& done_users, const std::atomic<uint64_t>& sessions,
                  uint64_t users, std::chrono::steady_clock::time_point begin) {
  const bool terminal = isatty(STDERR_FILENO) == 1;
  auto last_print = begin;
  bool printed = false;
  for (;;) {
    const uint64_t done = done_users.load();
    if (done >= users) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto now = std::chrono::steady_clock::now();
    if (!terminal || now - last_print < std::chrono::seconds(1)) continue;
    last_print = now;
    const double seconds = std::chrono::duration<double>(now - begin).count();
    const double rate = static_cast<double>(done) / seconds;
    const std::string left =
        done == 0 ? "?" : absl::StrFormat("%.0f s", static_cast<double>(users - done) / rate);
    std::cerr << absl::StrFormat(
        "\rsimulate-population: %d/%d users (%.0f%%), %.0f sessions/s, %s left   ", done, users,
        100.0 * static_cast<double>(done) / static_cast<double>(users),
        static_cast<double>(sessions.load()) / seconds, left);
    printed = true;
  }
  if (printed) std::cerr << "\n";
}

namespace {

// The summary of a run: counts, speed, and the share of users each exercise was unlocked for.
void PrintSummary(const Catalog& catalog, const Totals& all, uint64_t weeks, uint64_t threads,
                  uint64_t seed, double seconds) {
  auto share = [&](uint64_t n) {
    return all.users == 0 ? 0.0 : 100.0 * static_cast<double>(n) / static_cast<double>(all.users);
  };
  std::cout << absl::StrFormat("users:              %d\n", all.users)
            << absl::StrFormat("weeks:              %d\n", weeks)
            << absl::StrFormat("threads:            %d\n", threads)
            << absl::StrFormat("seed:               %d\n", seed)
            << absl::StrFormat("sessions:           %d\n", all.sessions)
            << absl::StrFormat("events:             %d\n", all.events)
            << absl::StrFormat("decisions:          %d\n", all.decisions)
            << absl::StrFormat("safety stops:       %d\n", all.safety_stops)
            << absl::StrFormat("wall time:          %.2f s\n", seconds)
            << absl::StrFormat("sessions per second: %.0f\n",
                               seconds > 0 ? static_cast<double>(all.sessions) / seconds : 0.0);
  for (int i = 0; i < catalog.proto().exercises_size(); ++i) {
    const uint64_t unlocked = all.unlocked_users[static_cast<size_t>(i)];
    if (unlocked == 0) continue;
    std::cout << absl::StrFormat("unlocked %s: %.2f%% of users\n",
                                 catalog.proto().exercises(i).id(), share(unlocked));
  }
  std::cout << absl::StrFormat("regressed:          %.2f%% of users\n", share(all.regressed_users))
            << absl::StrFormat("errors:             %d\n", all.errors);
}

}  // namespace

const CommandHelp kSimulatePopulationHelp = {
    "simulate-population",
    kUsage,
    "runs synthetic users through weeks of sessions and progression, and prints a summary",
    "Each user (a profile and a pattern of reports: steady, a pain episode, an asymmetry phase,\n"
    "struggling) does 2 sessions a week on a virtual clock with a progression decision each\n"
    "week. Prints users, sessions, events, decisions, safety stops, the share of users each\n"
    "gated exercise was unlocked for and the share that regressed; the same for any --threads.\n"
    "On a terminal, stderr shows progress (users done, sessions per second, time left).\n",
    {
        {"--users", "N", "how many users, 1..100000000 (default 1000)"},
        {"--weeks", "W", "weeks per user, 1..520 (default 52)"},
        {"--threads", "T", "worker threads, 1..256 (default: the cores)"},
        {"--seed", "S", "seeds every user (default 0)"},
        {"--first-user", "K",
         "simulate users K .. K+N-1 (default 0): ranges run on several\n"
         "machines add up to one run"},
        {"--catalog", "F", "the content pack to read instead of the built-in one"},
        {"--export", "DIR",
         "also write each user's last weekly decision and its inputs\n"
         "as JSON lines (protobuf binary in base64; users in order, the\n"
         "same for any --threads): DIR/profiles.jsonl (user_id, profile,\n"
         "routine), DIR/records.jsonl (user_id, seq, record, safety_stops:\n"
         "the records the decision read, oldest first) and\n"
         "DIR/decisions.jsonl (user_id, decision). For Parquet:\n"
         "examples/spark/jsonl_to_parquet.py DIR OUT (docs/spark.md)"},
    },
    {},
    "regimen simulate-population --users 200 --weeks 12 --threads 2",
};

int RunSimulatePopulation(const std::vector<std::string>& raw) {
  absl::StatusOr<Args> args = Args::Parse(raw, kSimulatePopulationHelp);
  if (!args.ok()) return UsageError(args.status().message(), kUsage);
  if (!args->positional().empty()) return UsageError("unexpected argument", kUsage);
  auto number = [&](const char* flag, uint64_t fallback, uint64_t max, uint64_t* out) -> bool {
    std::optional<std::string> value = args->Get(flag);
    if (!value.has_value()) {
      *out = fallback;
      return true;
    }
    return absl::SimpleAtoi(*value, out) && *out >= 1 && *out <= max;
  };
  uint64_t users = 0, weeks = 0, threads = 0, seed = 0;
  if (!number("--users", 1000, 100000000, &users)) {
    return UsageError("--users must be 1..100000000", kUsage);
  }
  if (!number("--weeks", 52, 520, &weeks)) return UsageError("--weeks must be 1..520", kUsage);
  if (!number("--threads", std::max(1u, std::thread::hardware_concurrency()), 256, &threads)) {
    return UsageError("--threads must be 1..256", kUsage);
  }
  if (args->Has("--seed") && !absl::SimpleAtoi(*args->Get("--seed"), &seed)) {
    return UsageError("--seed must be a whole number", kUsage);
  }
  // Users first_user .. first_user + users - 1: machines that each run a range of users add up
  // to exactly one run over all of them (docs/performance.md, scaling past one machine).
  uint64_t first_user = 0;
  if (args->Has("--first-user") && !absl::SimpleAtoi(*args->Get("--first-user"), &first_user)) {
    return UsageError("--first-user must be a whole number", kUsage);
  }
  absl::StatusOr<Catalog> catalog = LoadCatalog(args->Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  // Opened before the run, so an unwritable folder fails at once.
  std::unique_ptr<PopulationExport> exported;
  if (std::optional<std::string> dir = args->Get("--export"); dir.has_value()) {
    if (dir->empty()) return UsageError("--export needs a folder", kUsage);
    absl::StatusOr<std::unique_ptr<PopulationExport>> opened = PopulationExport::Open(*dir);
    if (!opened.ok()) return Fail(opened.status());
    exported = *std::move(opened);
  }

  const auto begin = std::chrono::steady_clock::now();
  std::atomic<uint64_t> next_user{0};
  std::atomic<uint64_t> done_users{0};
  std::atomic<uint64_t> done_sessions{0};
  const int exercises = catalog->proto().exercises_size();
  std::vector<Totals> totals(threads, Totals(exercises));
  std::vector<std::thread> workers;
  // Users are handed out in small batches so threads stay busy to the end.
  constexpr uint64_t kBatch = 64;
  for (uint64_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      PlanCache plans;
      Scratch scratch;
      for (;;) {
        const uint64_t first = next_user.fetch_add(kBatch);
        if (first >= users) break;
        const uint64_t last = std::min(users, first + kBatch);
        const uint64_t sessions_before = totals[t].sessions;
        ExportBatch batch;
        for (uint64_t u = first; u < last; ++u) {
          RunUser(*catalog, MakeUser(seed, first_user + u), first_user + u, static_cast<int>(weeks),
                  plans, scratch, totals[t], exported != nullptr ? &batch : nullptr);
        }
        if (exported != nullptr) exported->Submit(first / kBatch, std::move(batch));
        done_sessions.fetch_add(totals[t].sessions - sessions_before);
        done_users.fetch_add(last - first);
      }
    });
  }
  ShowProgress(done_users, done_sessions, users, begin);
  for (std::thread& worker : workers) worker.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  Totals all(exercises);
  for (const Totals& part : totals) all.Add(part);
  // Closed before the summary is printed: a failed write leaves nothing on stdout.
  if (exported != nullptr) {
    if (absl::Status written = exported->Close(); !written.ok()) return Fail(written);
  }
  PrintSummary(*catalog, all, weeks, threads, seed, seconds);
  return all.errors == 0 ? 0 : 1;
}

}  // namespace regimen::cli
