// Profile defaults and validation, shared by generation, progression and schedules.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
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

absl::Status CheckTime(absl::string_view value, const char* field, int* minutes) {
  absl::StatusOr<int> parsed = internal::ParseClock(value);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.", field, ": ", parsed.status().message()));
  }
  *minutes = *parsed;
  return absl::OkStatus();
}

// Whether `name` is shaped like a zone of the tz database: components separated by '/', each
// starting with an upper-case letter followed by letters, digits, '_', '-' or '+'. That leaves
// out the files beside the zones ("localtime", "posixrules", "zone.tab"), the "posix/" and
// "right/" copies, paths ("../", "/etc/…") and embedded NULs.
bool IsZoneName(absl::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  bool start = true;
  for (const char c : name) {
    if (c == '/') {
      if (start) return false;
      start = true;
      continue;
    }
    if (start ? !absl::ascii_isupper(c)
              : !(absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '+')) {
      return false;
    }
    start = false;
  }
  return !start;
}

absl::Status CheckTimeZone(const std::string& name) {
  absl::TimeZone zone;
  // "Factory" is a zone file, but a placeholder ("-00"), not a place.
  if (!IsZoneName(name) || name == "Factory" || !absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.time_zone: unknown IANA time zone \"", absl::CHexEscape(name),
                     "\" (a name from the tz database such as \"Europe/Berlin\", "
                     "\"America/New_York\", \"UTC\")"));
  }
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

namespace internal {

absl::Status CheckProfile(const Catalog& catalog, const v1::Profile& profile) {
  const uint32_t level = profile.level() == 0 ? 1 : profile.level();
  if (level > 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.level: must be 1..5 (0 = 1), got ", profile.level()));
  }
  const uint32_t minutes_per_week =
      profile.minutes_per_week() == 0 ? 10 : profile.minutes_per_week();
  if (minutes_per_week > kMaxMinutesPerWeek) {
    return absl::InvalidArgumentError(absl::StrCat("profile.minutes_per_week: must be 1..",
                                                   kMaxMinutesPerWeek, " (0 = 10), got ",
                                                   profile.minutes_per_week()));
  }
  const uint32_t sessions_per_week =
      profile.sessions_per_week() == 0 ? 2 : profile.sessions_per_week();
  if (sessions_per_week > 7) {
    return absl::InvalidArgumentError(absl::StrCat(
        "profile.sessions_per_week: must be 1..7 (0 = 2), got ", profile.sessions_per_week()));
  }
  for (int i = 0; i < profile.conditions_size(); ++i) {
    if (catalog.FindCondition(profile.conditions(i)) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile.conditions[", i, "]: unknown condition \"", profile.conditions(i),
                       "\" (known: ", KnownIds(catalog.proto().conditions()), ")"));
    }
  }
  for (int i = 0; i < profile.attestations_size(); ++i) {
    if (catalog.FindAttestation(profile.attestations(i)) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "profile.attestations[", i, "]: unknown attestation \"", profile.attestations(i),
          "\" (known: ", KnownIds(catalog.proto().attestations()), ")"));
    }
  }
  uint32_t seen_days = 0;
  for (int i = 0; i < profile.weekdays_size(); ++i) {
    const int day = profile.weekdays(i);
    if (day < v1::MONDAY || day > v1::SUNDAY) {
      return absl::InvalidArgumentError(
          absl::StrCat("profile.weekdays[", i, "]: must be MONDAY..SUNDAY (1..7), got ", day));
    }
    if (seen_days & (1u << day)) {
      return absl::InvalidArgumentError(absl::StrCat("profile.weekdays[", i,
                                                     "]: ", v1::Weekday_Name(profile.weekdays(i)),
                                                     " is listed twice"));
    }
    seen_days |= 1u << day;
  }
  // An empty time zone is UTC, which always loads.
  if (!profile.time_zone().empty()) {
    if (absl::Status s = CheckTimeZone(profile.time_zone()); !s.ok()) return s;
  }
  const absl::string_view wake_time =
      profile.wake_time().empty() ? absl::string_view("08:00") : profile.wake_time();
  const absl::string_view sleep_time =
      profile.sleep_time().empty() ? absl::string_view("21:00") : profile.sleep_time();
  int wake = 0;
  int sleep = 0;
  if (absl::Status s = CheckTime(wake_time, "wake_time", &wake); !s.ok()) return s;
  if (absl::Status s = CheckTime(sleep_time, "sleep_time", &sleep); !s.ok()) return s;
  if (wake >= sleep) {
    return absl::InvalidArgumentError(
        absl::StrCat("profile.wake_time: must be before sleep_time, got wake ", wake_time,
                     " and sleep ", sleep_time));
  }
  return absl::OkStatus();
}

}  // namespace internal

absl::StatusOr<v1::Profile> NormalizeProfile(const Catalog& catalog, const v1::Profile& profile) {
  if (absl::Status status = internal::CheckProfile(catalog, profile); !status.ok()) return status;
  v1::Profile out = profile;
  if (out.level() == 0) out.set_level(1);
  if (out.minutes_per_week() == 0) out.set_minutes_per_week(10);
  if (out.sessions_per_week() == 0) out.set_sessions_per_week(2);
  if (out.time_zone().empty()) out.set_time_zone("UTC");
  if (out.wake_time().empty()) out.set_wake_time("08:00");
  if (out.sleep_time().empty()) out.set_sleep_time("21:00");
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
