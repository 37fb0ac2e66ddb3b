// Schedules (see include/regimen/schedule.h).
#include "regimen/schedule.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "regimen/generator.h"
#include "src/generator/profile_util.h"
#include "src/generator/random.h"

namespace regimen {
namespace {

// The dates a schedule may cover.
constexpr absl::CivilDay kFirstDay(1970, 1, 1);
constexpr absl::CivilDay kLastDay(2199, 12, 31);

uint32_t BitCount(uint32_t bits) {
  uint32_t count = 0;
  for (; bits != 0; bits &= bits - 1) ++count;
  return count;
}

// Monday = 1 … Sunday = 7, as v1::Weekday.
int WeekdayNumber(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 0;
}

absl::StatusOr<absl::CivilDay> ParseDate(const std::string& text) {
  auto bad = [&text]() {
    return absl::InvalidArgumentError(
        absl::StrCat("request.start_date: not a YYYY-MM-DD date, got \"", text, "\""));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(text[i])) return bad();
  }
  auto number = [&text](size_t from, size_t count) {
    int value = 0;
    for (size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  const absl::CivilDay civil(year, month, day);
  // CivilDay normalizes 2026-02-30 to 2026-03-02; a date that does not survive is invalid.
  if (civil.year() != year || civil.month() != month || civil.day() != day) return bad();
  if (civil < kFirstDay || civil > kLastDay) {
    return absl::OutOfRangeError(absl::StrCat("request.start_date: must be ",
                                              absl::FormatCivilTime(kFirstDay), "..",
                                              absl::FormatCivilTime(kLastDay), ", got ", text));
  }
  return civil;
}

// RFC 3339 with the local offset. RFC 3339 offsets are whole minutes: where a zone's offset had
// seconds (local mean time, e.g. Africa/Monrovia's -00:44:30 until 1972), the same instant is
// written with the offset cut to the minute.
std::string FormatRfc3339(absl::Time time, absl::TimeZone zone) {
  const int offset = zone.At(time).offset;
  if (offset % 60 != 0) zone = absl::FixedTimeZone(offset - offset % 60);
  return absl::FormatTime(absl::RFC3339_sec, time, zone);
}

// The weekdays (bit d for v1::Weekday d) that hold a session: `count` of the `allowed` ones, as
// evenly spread around the week as possible (the smallest gap between two sessions, counted
// around the week, as large as possible); ties drawn from the seed.
uint32_t SessionDays(uint32_t allowed, uint32_t count, uint64_t seed) {
  std::vector<uint32_t> best;
  int best_gap = -1;
  for (uint32_t mask = 0; mask < (1u << 7); ++mask) {
    const uint32_t days = mask << 1;  // bit 1 Monday … bit 7 Sunday
    if ((days & ~allowed) != 0) continue;
    if (BitCount(days) != count) continue;
    int gap = 7;
    int first = -1;
    int previous = -1;
    for (int d = 1; d <= 7; ++d) {
      if (!(days & (1u << d))) continue;
      if (previous >= 0) gap = std::min(gap, d - previous);
      if (first < 0) first = d;
      previous = d;
    }
    if (count > 1) gap = std::min(gap, first + 7 - previous);
    if (gap > best_gap) {
      best_gap = gap;
      best.clear();
    }
    if (gap == best_gap) best.push_back(days);
  }
  internal::Random random(internal::MixSeed(seed, 0x7363686564756c65ULL));
  return best[random.Below(best.size())];
}

// The first instant at which the local clock of `zone` shows `minute` (for a minute skipped by
// a daylight-saving change, the instant the clock jumps).
absl::Time LocalInstant(absl::CivilMinute minute, absl::TimeZone zone) {
  const absl::TimeZone::TimeInfo info = zone.At(minute);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

struct Prompt {
  absl::Time time;
  const std::string* habit_id;
};

}  // namespace

absl::StatusOr<v1::Schedule> MakeSchedule(const Catalog& catalog,
                                          const v1::ScheduleRequest& request) {
  absl::StatusOr<v1::Profile> normalized = NormalizeProfile(catalog, request.profile());
  if (!normalized.ok()) return normalized.status();
  const v1::Profile& profile = *normalized;
  absl::StatusOr<absl::CivilDay> start = ParseDate(request.start_date());
  if (!start.ok()) return start.status();
  if (request.days() < 1 || request.days() > kMaxScheduleDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("request.days: must be 1..", kMaxScheduleDays, ", got ", request.days()));
  }
  if (*start + (request.days() - 1) > kLastDay) {
    return absl::OutOfRangeError(absl::StrCat("request.days: ", request.days(), " days from ",
                                              request.start_date(), " end after ",
                                              absl::FormatCivilTime(kLastDay)));
  }
  absl::StatusOr<v1::Routine> routine = GenerateRoutine(catalog, profile);
  if (!routine.ok()) return routine.status();

  uint32_t allowed = 0;
  for (int day : profile.weekdays()) allowed |= 1u << day;
  if (allowed == 0) allowed = 0xfe;
  const uint32_t preferred = BitCount(allowed);
  if (preferred < profile.sessions_per_week()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "profile.weekdays: ", preferred, " preferred weekday", preferred == 1 ? "" : "s",
        " cannot hold ", profile.sessions_per_week(), " sessions a week"));
  }
  const uint32_t session_days = SessionDays(allowed, profile.sessions_per_week(), profile.seed());

  absl::TimeZone zone;
  absl::LoadTimeZone(profile.time_zone(), &zone);  // NormalizeProfile checked that it loads
  const int wake = *internal::ParseClock(profile.wake_time());
  const int sleep = *internal::ParseClock(profile.sleep_time());

  v1::Schedule schedule;
  std::vector<Prompt> prompts;
  std::vector<int64_t> draws;
  for (uint32_t i = 0; i < request.days(); ++i) {
    const absl::CivilDay day = *start + i;
    if (session_days & (1u << WeekdayNumber(day))) {
      v1::ScheduledSession* session = schedule.add_sessions();
      session->set_date(absl::FormatCivilTime(day));
      session->set_routine_id(routine->id());
    }
    // The waking window in real time, so that a daylight-saving change inside it neither puts a
    // prompt at a time the clock skips nor squeezes two prompts closer than their gap.
    const absl::Time from = LocalInstant(absl::CivilMinute(day) + wake, zone);
    const absl::Time until = LocalInstant(absl::CivilMinute(day) + sleep, zone);
    const int64_t window = (until - from) / absl::Minutes(1);
    for (const v1::Habit& habit : catalog.proto().habits()) {
      const int64_t count = std::max<uint32_t>(1, habit.times_per_day());
      const int64_t gap = habit.min_gap_minutes() == 0 ? 30 : habit.min_gap_minutes();
      const int64_t slack = window - 1 - (count - 1) * gap;
      if (slack < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("profile.wake_time: the waking hours ", profile.wake_time(), "-",
                         profile.sleep_time(), " on ", absl::FormatCivilTime(day), " last ", window,
                         " min, too short for ", count, " ", habit.id(), " prompts ", gap,
                         " min apart (they need ", (count - 1) * gap + 1, " min)"));
      }
      // `count` sorted draws from 0..slack, then the i-th moved i gaps later: uniform over every
      // arrangement that keeps the gaps.
      internal::Random random(
          internal::MixSeed(internal::MixSeed(profile.seed(), internal::Fnv1a64(habit.id())),
                            static_cast<uint64_t>(day - absl::CivilDay(1970, 1, 1))));
      draws.clear();
      for (int64_t k = 0; k < count; ++k) {
        draws.push_back(static_cast<int64_t>(random.Below(static_cast<uint64_t>(slack) + 1)));
      }
      std::sort(draws.begin(), draws.end());
      for (int64_t k = 0; k < count; ++k) {
        prompts.push_back({from + absl::Minutes(draws[k] + k * gap), &habit.id()});
      }
    }
  }
  std::sort(prompts.begin(), prompts.end(), [](const Prompt& a, const Prompt& b) {
    return std::tie(a.time, *a.habit_id) < std::tie(b.time, *b.habit_id);
  });
  for (const Prompt& prompt : prompts) {
    v1::HabitPrompt* out = schedule.add_prompts();
    out->set_time(FormatRfc3339(prompt.time, zone));
    out->set_habit_id(*prompt.habit_id);
  }
  return schedule;
}

}  // namespace regimen
