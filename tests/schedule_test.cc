// Schedules: session days, habit prompts in waking hours, daylight-saving changes, errors.
#include "regimen/schedule.h"

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"

namespace regimen {
namespace {

MATCHER_P2(StatusIs, code, message_part, "") {
  const absl::Status status = arg.status();
  *result_listener << "status is " << status;
  return status.code() == code && absl::StrContains(status.message(), message_part);
}

v1::ScheduleRequest Request(const std::string& zone, const std::string& start, uint32_t days) {
  v1::ScheduleRequest request;
  request.mutable_profile()->set_time_zone(zone);
  request.mutable_profile()->set_seed(42);
  request.set_start_date(start);
  request.set_days(days);
  return request;
}

absl::Time Parse(const std::string& rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) << error;
  return time;
}

TEST(ScheduleTest, TwoWeeksAcrossTheEndOfSummerTimeInBerlin) {
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin)) << "tzdata is missing";
  absl::StatusOr<v1::Schedule> schedule =
      MakeSchedule(Catalog::Default(), Request("Europe/Berlin", "2026-10-19", 14));
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  ASSERT_EQ(schedule->sessions_size(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(schedule->sessions(i).routine_id(), "back_basics");
  for (int i = 1; i < 4; ++i) {
    absl::CivilDay a, b;
    ASSERT_TRUE(absl::ParseCivilTime(schedule->sessions(i - 1).date(), &a));
    ASSERT_TRUE(absl::ParseCivilTime(schedule->sessions(i).date(), &b));
    EXPECT_GE(b - a, 3) << "2 a week are at least 3 days apart";
  }
  ASSERT_EQ(schedule->prompts_size(), 140);
  std::map<std::string, int> per_day;
  absl::Time previous = absl::InfinitePast();
  for (const v1::HabitPrompt& prompt : schedule->prompts()) {
    EXPECT_EQ(prompt.habit_id(), "posture_check");
    const absl::Time time = Parse(prompt.time());
    const absl::CivilSecond local = absl::ToCivilSecond(time, berlin);
    EXPECT_GE(absl::CivilMinute(local) - absl::CivilMinute(absl::CivilDay(local)), 8 * 60)
        << prompt.time();
    EXPECT_LT(absl::CivilMinute(local) - absl::CivilMinute(absl::CivilDay(local)), 21 * 60)
        << prompt.time();
    EXPECT_TRUE(absl::EndsWith(prompt.time(),
                               local.day() < 25 && local.month() == 10 ? "+02:00" : "+01:00"))
        << prompt.time();
    EXPECT_GE(time - previous, absl::Minutes(45)) << prompt.time();
    previous = time;
    ++per_day[prompt.time().substr(0, 10)];
  }
  EXPECT_EQ(per_day.size(), 14u);
  for (const auto& [day, count] : per_day) EXPECT_EQ(count, 10) << day;
}

TEST(ScheduleTest, NoPromptInTheHourSkippedBySpringForward) {
  v1::ScheduleRequest request = Request("Europe/Berlin", "2026-03-29", 1);
  request.mutable_profile()->set_wake_time("00:00");
  request.mutable_profile()->set_sleep_time("23:59");
  absl::TimeZone berlin;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Berlin", &berlin));
  for (uint64_t seed = 0; seed < 200; ++seed) {
    request.mutable_profile()->set_seed(seed);
    absl::StatusOr<v1::Schedule> schedule = MakeSchedule(Catalog::Default(), request);
    ASSERT_TRUE(schedule.ok()) << schedule.status();
    ASSERT_EQ(schedule->prompts_size(), 10);
    absl::Time previous = absl::InfinitePast();
    for (const v1::HabitPrompt& prompt : schedule->prompts()) {
      // 02:00-02:59 does not exist that night; every printed time must be a real local time.
      EXPECT_FALSE(absl::StrContains(prompt.time(), "T02:")) << prompt.time();
      const absl::Time time = Parse(prompt.time());
      EXPECT_EQ(absl::FormatTime(absl::RFC3339_sec, time, berlin), prompt.time());
      EXPECT_GE(time - previous, absl::Minutes(45));
      previous = time;
    }
  }
}

TEST(ScheduleTest, PreferredWeekdaysAreSpreadAsFarAsTheyCanBe) {
  v1::ScheduleRequest request = Request("UTC", "2026-06-01", 28);  // a Monday
  request.mutable_profile()->add_weekdays(v1::MONDAY);
  request.mutable_profile()->add_weekdays(v1::WEDNESDAY);
  request.mutable_profile()->add_weekdays(v1::FRIDAY);
  absl::StatusOr<v1::Schedule> schedule = MakeSchedule(Catalog::Default(), request);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  ASSERT_EQ(schedule->sessions_size(), 8);
  for (const v1::ScheduledSession& session : schedule->sessions()) {
    absl::CivilDay day;
    ASSERT_TRUE(absl::ParseCivilTime(session.date(), &day));
    // Monday and Friday are 4 and 3 days apart; Wednesday would make a gap of 2.
    EXPECT_TRUE(absl::GetWeekday(day) == absl::Weekday::monday ||
                absl::GetWeekday(day) == absl::Weekday::friday)
        << session.date();
  }
  EXPECT_TRUE(absl::EndsWith(schedule->prompts(0).time(), "+00:00"));
}

TEST(ScheduleTest, SameRequestSameScheduleAndTheSeedMatters) {
  v1::ScheduleRequest request = Request("America/New_York", "2026-11-01", 3);
  absl::StatusOr<v1::Schedule> a = MakeSchedule(Catalog::Default(), request);
  absl::StatusOr<v1::Schedule> b = MakeSchedule(Catalog::Default(), request);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString());
  request.mutable_profile()->set_seed(43);
  absl::StatusOr<v1::Schedule> c = MakeSchedule(Catalog::Default(), request);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->SerializeAsString(), c->SerializeAsString());
}

// Only names of the tz database: not the files beside the zones, not paths, not a name that a
// NUL cuts short (which the zone loader would read as "Europe/Berlin").
TEST(ScheduleTest, OnlyTzDatabaseZoneNames) {
  for (const std::string& zone :
       {std::string("localtime"), std::string("posixrules"), std::string("Factory"),
        std::string("Europe/Berlin\0xyz", 17), std::string("posix/Europe/Berlin"),
        std::string("right/UTC"), std::string("../zoneinfo/UTC"), std::string("/etc/localtime"),
        std::string("Europe//Berlin"), std::string("Europe/Berlin/"), std::string("zone.tab"),
        std::string("leapseconds"), std::string("europe/berlin"), std::string(" UTC"),
        std::string("Nowhere/Land")}) {
    EXPECT_THAT(MakeSchedule(Catalog::Default(), Request(zone, "2026-01-01", 3)),
                StatusIs(absl::StatusCode::kInvalidArgument, "profile.time_zone: unknown IANA"))
        << absl::CHexEscape(zone);
  }
  for (const char* zone : {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires",
                           "America/Port-au-Prince", "Etc/GMT+5", "EST5EDT"}) {
    EXPECT_TRUE(MakeSchedule(Catalog::Default(), Request(zone, "2026-01-01", 3)).ok()) << zone;
  }
}

TEST(ScheduleTest, DatesFrom1970To2199) {
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "1969-12-31", 3)),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "request.start_date: must be 1970-01-01..2199-12-31, got 1969-12-31"));
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "0001-01-01", 3)),
              StatusIs(absl::StatusCode::kOutOfRange, "request.start_date"));
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "9999-12-31", 3)),
              StatusIs(absl::StatusCode::kOutOfRange, "request.start_date"));
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "2199-12-30", 3)),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "request.days: 3 days from 2199-12-30 end after 2199-12-31"));
  EXPECT_TRUE(MakeSchedule(Catalog::Default(), Request("UTC", "1970-01-01", 3)).ok());
  EXPECT_TRUE(MakeSchedule(Catalog::Default(), Request("UTC", "2199-12-29", 3)).ok());
}

// Every prompt time is RFC 3339: four-digit year, 'T', seconds, a whole-minute offset; also in
// 1970 in Monrovia, whose local mean time was 44 min 30 s behind UTC until 1972.
TEST(ScheduleTest, EveryTimeIsRfc3339) {
  for (const auto& [zone, start] :
       std::vector<std::pair<std::string, std::string>>{{"Africa/Monrovia", "1970-01-01"},
                                                        {"Europe/Berlin", "2199-12-01"},
                                                        {"Asia/Kathmandu", "2026-03-01"},
                                                        {"America/St_Johns", "2026-03-01"}}) {
    absl::StatusOr<v1::Schedule> schedule =
        MakeSchedule(Catalog::Default(), Request(zone, start, 30));
    ASSERT_TRUE(schedule.ok()) << zone << ": " << schedule.status();
    ASSERT_GT(schedule->prompts_size(), 0);
    for (const v1::HabitPrompt& prompt : schedule->prompts()) {
      EXPECT_THAT(prompt.time(),
                  ::testing::MatchesRegex(
                      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"))
          << zone;
      absl::Time parsed;
      std::string error;
      ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, prompt.time(), &parsed, &error)) << error;
    }
  }
  // The Monrovia prompts are at their true instants: 08:00 local mean time is 08:44:30 UTC.
  absl::StatusOr<v1::Schedule> monrovia =
      MakeSchedule(Catalog::Default(), Request("Africa/Monrovia", "1970-01-01", 1));
  ASSERT_TRUE(monrovia.ok());
  absl::Time first;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, monrovia->prompts(0).time(), &first, &error));
  EXPECT_GE(first, absl::FromCivil(absl::CivilSecond(1970, 1, 1, 8, 44, 30), absl::UTCTimeZone()));
  EXPECT_THAT(monrovia->prompts(0).time(), ::testing::EndsWith("-00:44"));
}

TEST(ScheduleTest, ErrorsNameTheField) {
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "2026-13-01", 3)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "request.start_date: not a YYYY-MM-DD date, got \"2026-13-01\""));
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "26-01-01", 3)),
              StatusIs(absl::StatusCode::kInvalidArgument, "request.start_date"));
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("UTC", "2026-01-01", 0)),
              StatusIs(absl::StatusCode::kInvalidArgument, "request.days: must be 1..366, got 0"));
  EXPECT_THAT(MakeSchedule(Catalog::Default(), Request("Nowhere/Land", "2026-01-01", 3)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "profile.time_zone: unknown IANA time zone \"Nowhere/Land\""));
  v1::ScheduleRequest one_day = Request("UTC", "2026-01-01", 3);
  one_day.mutable_profile()->add_weekdays(v1::TUESDAY);
  EXPECT_THAT(MakeSchedule(Catalog::Default(), one_day),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "profile.weekdays: 1 preferred weekday cannot hold 2 sessions a week"));
  v1::ScheduleRequest short_day = Request("UTC", "2026-01-01", 3);
  short_day.mutable_profile()->set_wake_time("08:00");
  short_day.mutable_profile()->set_sleep_time("12:00");
  EXPECT_THAT(MakeSchedule(Catalog::Default(), short_day),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "too short for 10 posture_check prompts 45 min apart"));
}

}  // namespace
}  // namespace regimen
