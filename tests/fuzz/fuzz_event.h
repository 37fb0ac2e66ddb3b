// What the session fuzz targets print for an event: every field, so two events that differ in
// anything print differently.
#ifndef REGIMEN_TESTS_FUZZ_FUZZ_EVENT_H_
#define REGIMEN_TESTS_FUZZ_FUZZ_EVENT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "regimen/session.h"

inline std::string DescribeEvent(const regimen::Event& e) {
  return absl::StrCat(regimen::EventTypeName(e.type), "@", e.at_ms, " b", e.block_index, " s",
                      e.set_index, " r", e.rep_index, " side", e.side, " d", e.duration_ms, " ",
                      e.exercise_id, "/", e.phase, "/", e.cue_id, " '", e.text, "' k", e.cue_kind,
                      " p", e.priority, " sp", e.speak_ms);
}

#endif  // REGIMEN_TESTS_FUZZ_FUZZ_EVENT_H_
