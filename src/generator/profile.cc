// Profile defaults and validation, shared by generation, progression and schedules.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "regimen/generator.h"
#include "src/generator/profile_util.h"

namespace regimen {
namespace {

// The ids a catalog declares, for "known: …" in messages.
template <typename Defs>
std::string KnownIds(const Defs& defs) {
  std::string out;
  for (const auto& def : defs) absl::StrAppend(&out, out.empty() ? "" : ", ", def.id());
  return out.empty() ? "none" : out;
}

absl::Status CheckTime(const std::string& value, const char* field, int* minutes) {
  absl::StatusOr<int> parsed = internal::ParseClock(value);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.", field, ": ", parsed.status().message()));
  }
  *minutes = *parsed;
  return absl::OkStatus();
}

}  // namespace

namespace internal {

absl::StatusOr<int> ParseClock(absl::string_view text) {
  const bool shaped = text.size() == 5 && text[2] == ':' && absl::ascii_isdigit(text[0]) &&
                      absl::ascii_isdigit(text[1]) && absl::ascii_isdigit(text[3]) &&
                      absl::ascii_isdigit(text[4]);
  if (shaped) {
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours < 24 && minutes < 60) return hours * 60 + minutes;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("must be a local time \"HH:MM\" (00:00..23:59), got \"", text, "\""));
}

}  // namespace internal

absl::StatusOr<v1::Profile> NormalizeProfile(const Catalog& catalog, const v1::Profile& profile) {
  v1::Profile out = profile;
  if (out.level() == 0) out.set_level(1);
  if (out.level() > 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.level: must be 1..5 (0 = 1), got ", profile.level()));
  }
  if (out.minutes_per_week() == 0) out.set_minutes_per_week(10);
  if (out.minutes_per_week() > kMaxMinutesPerWeek) {
    return absl::InvalidArgumentError(absl::StrCat("profile.minutes_per_week: must be 1..",
                                                   kMaxMinutesPerWeek, " (0 = 10), got ",
                                                   profile.minutes_per_week()));
  }
  if (out.sessions_per_week() == 0) out.set_sessions_per_week(2);
  if (out.sessions_per_week() > 7) {
    return absl::InvalidArgumentError(absl::StrCat(
        "profile.sessions_per_week: must be 1..7 (0 = 2), got ", profile.sessions_per_week()));
  }
  for (int i = 0; i < out.conditions_size(); ++i) {
    if (catalog.FindCondition(out.conditions(i)) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile.conditions[", i, "]: unknown condition \"", out.conditions(i),
                       "\" (known: ", KnownIds(catalog.proto().conditions()), ")"));
    }
  }
  for (int i = 0; i < out.attestations_size(); ++i) {
    if (catalog.FindAttestation(out.attestations(i)) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile.attestations[", i, "]: unknown attestation \"", out.attestations(i),
                       "\" (known: ", KnownIds(catalog.proto().attestations()), ")"));
    }
  }
  uint32_t seen_days = 0;
  for (int i = 0; i < out.weekdays_size(); ++i) {
    const int day = out.weekdays(i);
    if (day < v1::MONDAY || day > v1::SUNDAY) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile.weekdays[", i, "]: must be MONDAY..SUNDAY (1..7), got ", day));
    }
    if (seen_days & (1u << day)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "profile.weekdays[", i, "]: ", v1::Weekday_Name(out.weekdays(i)), " is listed twice"));
    }
    seen_days |= 1u << day;
  }
  if (out.time_zone().empty()) out.set_time_zone("UTC");
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(out.time_zone(), &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.time_zone: unknown IANA time zone \"", out.time_zone(), "\""));
  }
  if (out.wake_time().empty()) out.set_wake_time("08:00");
  if (out.sleep_time().empty()) out.set_sleep_time("21:00");
  int wake = 0;
  int sleep = 0;
  if (absl::Status s = CheckTime(out.wake_time(), "wake_time", &wake); !s.ok()) return s;
  if (absl::Status s = CheckTime(out.sleep_time(), "sleep_time", &sleep); !s.ok()) return s;
  if (wake >= sleep) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.wake_time: must be before sleep_time, got wake ", out.wake_time(),
                     " and sleep ", out.sleep_time()));
  }
  return out;
}

int64_t SessionBudgetMs(const v1::Profile& normalized_profile) {
  const int64_t sessions =
      normalized_profile.sessions_per_week() == 0 ? 2 : normalized_profile.sessions_per_week();
  const int64_t minutes =
      normalized_profile.minutes_per_week() == 0 ? 10 : normalized_profile.minutes_per_week();
  return minutes * 60000 / sessions;
}

}  // namespace regimen
