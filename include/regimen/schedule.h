// Schedules: which days a profile exercises on, and when in each day its habits prompt it.
//
//   regimen::v1::ScheduleRequest request;
//   request.mutable_profile()->set_time_zone("Europe/Berlin");
//   request.set_start_date("2026-10-19");
//   request.set_days(14);
//   absl::StatusOr<regimen::v1::Schedule> schedule =
//       regimen::MakeSchedule(regimen::Catalog::Default(), request);
//   // schedule->sessions(): {date "2026-10-19", routine_id "back_basics"}, …
//   // schedule->prompts(): {time "2026-10-19T08:41:00+02:00", habit_id "posture_check"}, …
//
// Deterministic for (catalog, request): the seed of the profile decides every choice.
// Thread-safe.
#ifndef REGIMEN_SCHEDULE_H_
#define REGIMEN_SCHEDULE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "regimen/catalog.h"
#include "regimen/v1/profile.pb.h"

namespace regimen {

// Largest ScheduleRequest.days.
inline constexpr uint32_t kMaxScheduleDays = 366;

// The schedule of `request.days` civil days from `request.start_date` in the profile's time zone.
//
// Sessions: `sessions_per_week` weekdays chosen among the profile's preferred weekdays (any day
// when none), the same every week, as evenly spread around the week as possible (2 a week are at
// least 3 days apart, e.g. Monday and Thursday; ties broken by the seed); each day's session
// runs the routine GenerateRoutine gives the profile (its id, e.g. "back_basics").
//
// Prompts: for every habit of the catalog, `times_per_day` prompts a day between wake time
// (inclusive) and sleep time (exclusive), at least `min_gap_minutes` (default 30) of real time
// apart, at random whole minutes drawn from the seed, the day and the habit. Times are RFC 3339
// with the local offset of that moment. Across a daylight-saving change the waking window is
// measured in real time, so no prompt falls in a skipped hour nor twice in a repeated one.
// Prompts are in time order (then by habit id).
//
// Errors: INVALID_ARGUMENT naming the field ("request.start_date: not a YYYY-MM-DD date, got
// \"2026-13-01\"", "request.days: must be 1..366, got 0", a profile error as in
// NormalizeProfile, fewer preferred weekdays than sessions a week, waking hours too short for a
// habit's prompts, a time zone that is not a tz database name such as "Europe/Berlin": not
// "localtime", "posixrules", "Factory", a path or a name with a NUL); OUT_OF_RANGE for dates
// outside 1970-01-01..2199-12-31 ("request.start_date: must be 1970-01-01..2199-12-31, got
// 1969-12-31", or days that run past the last) and as GenerateRoutine. An offset with seconds
// (local mean time) is printed cut to the minute, the instant unchanged.
absl::StatusOr<v1::Schedule> MakeSchedule(const Catalog& catalog,
                                          const v1::ScheduleRequest& request);

}  // namespace regimen

#endif  // REGIMEN_SCHEDULE_H_
