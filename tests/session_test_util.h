// Helpers shared by the session tests: a small catalog, a status matcher, and a compact
// one-line form of events so traces read as expected lists.
#ifndef REGIMEN_TESTS_SESSION_TEST_UTIL_H_
#define REGIMEN_TESTS_SESSION_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "regimen/catalog.h"
#include "regimen/session.h"

namespace regimen::testing {

// Abseil 20220623 has no StatusIs: a tiny local one.
MATCHER_P(StatusIs, code, "") {
  const absl::Status& status = arg;
  if (status.code() == code) return true;
  *result_listener << "status is " << status;
  return false;
}
MATCHER_P2(StatusIs, code, substring, "") {
  const absl::Status& status = arg;
  if (status.code() == code && std::string(status.message()).find(substring) != std::string::npos) {
    return true;
  }
  *result_listener << "status is " << status;
  return false;
}

// splitmix64: seeded random test inputs that every platform draws the same.
struct SplitMix64 {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // 0 .. n-1 (n small: the modulo bias does not matter for test inputs).
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
};

// A bilateral lift with a hold and three cues, an alternating leg exercise with a side-switch
// and a report cue, an open-ended tap, and session cues. Fixed speaking times keep traces easy
// to work out by hand.
inline constexpr const char* kTestCatalog = R"pb(
  id: "test"
  exercises {
    id: "lift"
    name: "Lift"
    laterality: LATERALITY_BILATERAL
    phases {
      kind: PHASE_SETUP
      scope: PHASE_SCOPE_EXERCISE_START
      duration { fixed_ms: 1000 }
    }
    phases {
      kind: PHASE_LIFT
      duration { fixed_ms: 1000 }
    }
    phases {
      kind: PHASE_HOLD
      duration { prescribed_hold {} }
    }
    phases {
      kind: PHASE_LOWER
      duration { fixed_ms: 1000 }
    }
    cues {
      id: "go"
      text: "Go."
      variants: "Go again."
      kind: CUE_KIND_INSTRUCTION
      trigger { kind: TRIGGER_PHASE_ENTRY phase: PHASE_LIFT }
      priority: CUE_PRIORITY_INSTRUCTION
      speak_ms: 500
    }
    cues {
      id: "tip"
      text: "A tip."
      kind: CUE_KIND_TIP
      trigger { kind: TRIGGER_PHASE_OFFSET phase: PHASE_HOLD offset_ms: 1000 }
      priority: CUE_PRIORITY_TIP
      speak_ms: 300
    }
    cues {
      id: "down"
      text: "Down."
      kind: CUE_KIND_COUNT
      trigger { kind: TRIGGER_BEFORE_PHASE_END phase: PHASE_HOLD offset_ms: 500 }
      priority: CUE_PRIORITY_INSTRUCTION
      speak_ms: 200
    }
    safe_ranges {
      sets { min: 1 max: 3 }
      reps { min: 1 max: 10 }
      hold_ms { min: 1000 max: 10000 }
    }
    default_prescription {
      sets: 1
      reps: 2
      hold { ms: 2000 }
    }
  }
  exercises {
    id: "legs"
    name: "Legs"
    laterality: LATERALITY_ALTERNATING
    phases {
      kind: PHASE_SWITCH_SIDE
      duration { fixed_ms: 500 }
    }
    phases {
      kind: PHASE_LIFT
      duration { fixed_ms: 1000 }
    }
    cues {
      id: "switch"
      text: "Switch."
      kind: CUE_KIND_INSTRUCTION
      trigger { kind: TRIGGER_SIDE_SWITCH }
      priority: CUE_PRIORITY_INSTRUCTION
      speak_ms: 200
    }
    cues {
      id: "even"
      text: "Even out."
      kind: CUE_KIND_MISTAKE
      trigger { kind: TRIGGER_REPORT report: REPORT_ASYMMETRY }
      priority: CUE_PRIORITY_INSTRUCTION
      speak_ms: 300
    }
    default_prescription { reps: 2 }
  }
  exercises {
    id: "tap"
    name: "Tap"
    phases {
      kind: PHASE_LIFT
      duration { open {} }
    }
    default_prescription { reps: 1 }
  }
  routines {
    id: "r"
    name: "R"
    blocks { exercise_id: "lift" rest_after_ms: 2000 }
    blocks { exercise_id: "legs" }
  }
  session_cues {
    id: "start"
    text: "Start."
    kind: CUE_KIND_INSTRUCTION
    trigger { kind: TRIGGER_SESSION_START }
    priority: CUE_PRIORITY_INSTRUCTION
    speak_ms: 100
  }
  session_cues {
    id: "stop"
    text: "Stop now."
    kind: CUE_KIND_SAFETY
    trigger { kind: TRIGGER_SAFETY_STOP }
    priority: CUE_PRIORITY_SAFETY
    speak_ms: 100
  }
  session_cues {
    id: "ease"
    text: "Ease off."
    kind: CUE_KIND_SAFETY
    trigger { kind: TRIGGER_REPORT report: REPORT_PAIN min_value: 4 max_value: 5 }
    priority: CUE_PRIORITY_SAFETY
    speak_ms: 100
  }
  session_cues {
    id: "end"
    text: "Done."
    kind: CUE_KIND_INSTRUCTION
    trigger { kind: TRIGGER_SESSION_END }
    priority: CUE_PRIORITY_INSTRUCTION
    speak_ms: 100
  }
)pb";

inline const Catalog& TestCatalog() {
  static const Catalog* catalog = [] {
    absl::StatusOr<Catalog> parsed = Catalog::Parse(kTestCatalog, Format::kText);
    if (!parsed.ok()) {
      ADD_FAILURE() << parsed.status();
      return new Catalog(Catalog::Default());
    }
    return new Catalog(*std::move(parsed));
  }();
  return *catalog;
}

// "2000 CUE 0/0/0 - lift go" / "1000 PHASE_STARTED 0/-1/-1 - setup 1000".
inline std::string Line(const Event& e) {
  const char* side = e.side == v1::LEFT ? "L" : e.side == v1::RIGHT ? "R" : "-";
  std::string out = absl::StrCat(e.at_ms, " ", EventTypeName(e.type), " ", e.block_index, "/",
                                 e.set_index, "/", e.rep_index, " ", side);
  if (e.type == v1::SessionEvent::PHASE_STARTED) {
    absl::StrAppend(&out, " ", e.phase, " ", e.duration_ms);
  } else if (e.type == v1::SessionEvent::CUE || e.type == v1::SessionEvent::CUE_SKIPPED) {
    absl::StrAppend(&out, " ", e.phase, " ", e.cue_id, " \"", e.text, "\"");
  }
  return out;
}

inline std::vector<std::string> Drain(Session& session) {
  std::vector<std::string> lines;
  Event e;
  while (session.Poll(&e)) lines.push_back(Line(e));
  return lines;
}

// Ticks from deadline to deadline until the session finishes or nothing is pending.
inline std::vector<std::string> RunToEnd(Session& session) {
  std::vector<std::string> lines = Drain(session);
  for (int64_t d = session.NextDeadline(); d >= 0 && !session.Finished();
       d = session.NextDeadline()) {
    EXPECT_TRUE(session.Tick(d).ok());
    for (std::string& line : Drain(session)) lines.push_back(std::move(line));
  }
  return lines;
}

inline v1::SessionOptions TestOptions() {
  v1::SessionOptions options;
  options.set_count_in_ms(1000);
  options.set_cue_gap_ms(0);
  return options;
}

}  // namespace regimen::testing

#endif  // REGIMEN_TESTS_SESSION_TEST_UTIL_H_
