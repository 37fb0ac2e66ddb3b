// `regimen catalog list|show` and `regimen validate`: inspect and check content packs.
#include <cctype>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "regimen/catalog.h"
#include "regimen/coverage.h"
#include "regimen/format.h"
#include "regimen/l10n.h"
#include "regimen/routine.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"

namespace regimen::cli {
namespace {

constexpr const char* kCatalogUsage = "catalog list [--catalog F] | catalog show ID [--catalog F]";
constexpr const char* kValidateUsage = "validate FILE [--strict]";
constexpr const char* kCatalogInput =
    "a content pack (regimen.v1.Catalog: exercises, routines, habits, ladders, rules), e.g.\n"
    "catalog/back_care.textproto, the pack built in; docs/catalog.md describes its fields";

// The lower-case enum name without its prefix: POSITION_PRONE -> "prone".
std::string Short(const std::string& name, absl::string_view prefix) {
  std::string out = name;
  if (absl::string_view(out).substr(0, prefix.size()) == prefix) out = out.substr(prefix.size());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "1 habit", "2 habits".
std::string Count(int n, absl::string_view noun) {
  return absl::StrCat(n, " ", noun, n == 1 ? "" : "s");
}

// "4:13" for 253000 ms.
std::string Minutes(int64_t ms) {
  const int64_t seconds = (ms + 999) / 1000;
  return absl::StrFormat("%d:%02d", seconds / 60, seconds % 60);
}

int List(const Catalog& catalog) {
  const v1::Catalog& pack = catalog.proto();
  std::cout << "catalog " << pack.id();
  if (!pack.name().empty()) std::cout << " (" << pack.name() << ")";
  if (!pack.version().empty()) std::cout << " version " << pack.version();
  std::cout << "\n\nexercises (" << pack.exercises_size() << "):\n";
  std::cout << absl::StrFormat("  %-22s %-34s %-8s %-5s %-11s %s\n", "id", "name", "position",
                               "level", "laterality", "access");
  for (const v1::Exercise& e : pack.exercises()) {
    std::string access = e.primer() ? "primer" : "open";
    if (e.has_gate()) access = "gated";
    std::string laterality = Short(v1::Laterality_Name(e.laterality()), "LATERALITY_");
    if (laterality == "unspecified") laterality = "bilateral";
    std::cout << absl::StrFormat("  %-22s %-34s %-8s %-5d %-11s %s\n", e.id(), e.name(),
                                 Short(v1::Position_Name(e.position()), "POSITION_"), e.level(),
                                 laterality, access);
  }
  std::cout << "\nroutines (" << pack.routines_size() << "):\n";
  for (const v1::Routine& r : pack.routines()) {
    absl::StatusOr<int64_t> ms = EstimateRoutineMs(r, catalog);
    std::cout << absl::StrFormat("  %-22s %-34s %2d blocks  %s\n", r.id(), r.name(),
                                 r.blocks_size(),
                                 ms.ok() ? absl::StrCat(Minutes(*ms), " (", *ms, " ms)")
                                         : std::string(ms.status().message()));
  }
  std::cout << "\nhabits (" << pack.habits_size() << "):\n";
  for (const v1::Habit& h : pack.habits()) {
    std::cout << absl::StrFormat("  %-22s %-34s %d a day\n", h.id(), h.name(), h.times_per_day());
  }
  return 0;
}

int Show(const Catalog& catalog, const std::string& id) {
  const google::protobuf::Message* found = catalog.FindExercise(id);
  const char* what = "exercise";
  if (found == nullptr) found = catalog.FindRoutine(id), what = "routine";
  if (found == nullptr) found = catalog.FindHabit(id), what = "habit";
  if (found == nullptr) {
    const v1::Catalog& pack = catalog.proto();
    auto ids = [](const auto& items) {
      std::vector<std::string> out;
      for (const auto& item : items) out.push_back(item.id());
      return absl::StrJoin(out, ", ");
    };
    return Fail(absl::NotFoundError(
        absl::StrCat("no exercise, routine or habit \"", id, "\" in catalog ", pack.id(),
                     "; its exercises are ", ids(pack.exercises()), "; its routines ",
                     ids(pack.routines()), "; its habits ", ids(pack.habits()))));
  }
  absl::StatusOr<std::string> text = SerializeMessage(*found, Format::kText);
  if (!text.ok()) return Fail(text.status());
  std::cout << "# " << what << " " << id << "\n" << *text;
  return 0;
}

}  // namespace

const CommandHelp kCatalogHelp = {
    "catalog",
    kCatalogUsage,
    "lists a content pack (exercises, routines, habits) or shows one item of it",
    "  catalog list       every exercise (position, level, laterality, open/primer/gated), every\n"
    "                     routine with its length, every habit\n"
    "  catalog show ID    the exercise, routine or habit ID in text format\n",
    {{"--catalog", "F", "the content pack to read instead of the built-in one"}},
    {{"--catalog F", &v1::Catalog::descriptor, kCatalogInput, false}},
    "regimen catalog show back_basics",
};

const CommandHelp kValidateHelp = {
    "validate",
    kValidateUsage,
    "checks a content pack and prints its counts and cue coverage",
    "Prints every error with its field path (exit 1), or the pack's counts and, per routine and\n"
    "option set, how many cues were triggered, spoken, deferred and skipped.\n",
    {{"--strict", nullptr, "also fail (exit 1) when a cue is skipped or never spoken"}},
    {{"FILE", &v1::Catalog::descriptor, kCatalogInput, false}},
    "regimen validate --strict catalog/back_care.textproto",
};

int RunCatalog(const std::vector<std::string>& args) {
  absl::StatusOr<Args> parsed = Args::Parse(args, kCatalogHelp);
  if (!parsed.ok()) return UsageError(parsed.status().message(), kCatalogUsage);
  const std::vector<std::string>& positional = parsed->positional();
  if (positional.empty()) return UsageError("catalog needs list or show", kCatalogUsage);
  const std::string& verb = positional[0];
  if (verb == "list" && positional.size() == 1) {
    absl::StatusOr<Catalog> catalog = LoadCatalog(parsed->Get("--catalog"));
    if (!catalog.ok()) return Fail(catalog.status());
    return List(*catalog);
  }
  if (verb == "show" && positional.size() == 2) {
    absl::StatusOr<Catalog> catalog = LoadCatalog(parsed->Get("--catalog"));
    if (!catalog.ok()) return Fail(catalog.status());
    return Show(*catalog, positional[1]);
  }
  return UsageError(absl::StrCat("bad arguments to catalog ", verb), kCatalogUsage);
}

// One line per routine and option set: "  back_basics defaults: 79 triggered, 79 spoken (3
// deferred, largest delay 1200 ms), 0 skipped", then the ids never spoken. Returns how many
// cues were skipped or never spoken, or -1 when a routine could not run.
int PrintCoverage(const Catalog& catalog, const std::string& locale) {
  absl::StatusOr<std::vector<CueCoverage>> all = CheckCatalogCoverage(catalog, locale);
  if (!all.ok()) {
    std::cerr << "regimen: cue coverage: " << all.status().message() << "\n";
    return -1;
  }
  int problems = 0;
  std::cout << "cue coverage in " << (locale.empty() ? catalog.Locale() : locale)
            << " (triggered / spoken / deferred / skipped, largest delay):\n";
  for (const CueCoverage& c : *all) {
    std::cout << "  " << c.routine_id << " " << c.case_name << ": " << c.triggered << " / "
              << c.spoken << " / " << c.deferred << " / " << c.skipped << ", " << c.max_delay_ms
              << " ms\n";
    for (const std::string& id : c.skipped_ids) std::cout << "    skipped: " << id << "\n";
    for (const std::string& id : c.never_spoken) std::cout << "    never spoken: " << id << "\n";
    problems += static_cast<int>(c.skipped + c.never_spoken.size());
  }
  return problems;
}

int RunValidate(const std::vector<std::string>& args) {
  absl::StatusOr<Args> parsed = Args::Parse(args, kValidateHelp);
  if (!parsed.ok()) return UsageError(parsed.status().message(), kValidateUsage);
  if (parsed->positional().size() != 1) return UsageError("validate needs FILE", kValidateUsage);
  const std::string& path = parsed->positional()[0];
  v1::Catalog catalog;
  if (absl::Status status = ReadMessage(path, &catalog); !status.ok()) return Fail(status);
  // The translations beside the pack file (back_care.de.textproto) are part of it.
  if (absl::Status status = AddSiblingTranslations(path, &catalog); !status.ok()) {
    return Fail(status);
  }
  const std::vector<ValidationError> errors = ValidateCatalog(catalog);
  if (!errors.empty()) {
    for (const ValidationError& error : errors) std::cout << error.ToString() << "\n";
    std::cerr << "regimen: " << path << ": " << errors.size()
              << (errors.size() == 1 ? " error" : " errors") << "\n";
    return 1;
  }
  std::cout << path << ": valid catalog " << catalog.id() << ": "
            << Count(catalog.exercises_size(), "exercise") << ", "
            << Count(catalog.routines_size(), "routine") << ", "
            << Count(catalog.habits_size(), "habit") << ", "
            << Count(catalog.ladders_size(), "ladder") << ", "
            << Count(catalog.rules_size(), "rule") << ", "
            << Count(catalog.session_cues_size(), "session cue") << "\n";
  for (const TranslationStatus& t : CheckTranslations(catalog)) {
    std::cout << "locale " << t.locale << (t.name.empty() ? "" : " (" + t.name + ")") << ": "
              << t.translated << " of " << t.messages << " texts translated, " << t.missing.size()
              << " missing, " << t.outdated.size() << " outdated, " << t.obsolete.size()
              << " obsolete\n";
    for (const std::string& id : t.missing) std::cout << "    missing: " << id << "\n";
    for (const std::string& id : t.outdated) std::cout << "    outdated: " << id << "\n";
    for (const std::string& id : t.obsolete) std::cout << "    obsolete: " << id << "\n";
  }
  absl::StatusOr<Catalog> loaded = Catalog::FromProto(std::move(catalog));
  if (!loaded.ok()) return Fail(loaded.status());
  // The coverage rule in every locale the pack ships: its words take their own time to say.
  int problems = 0;
  for (const std::string& locale : loaded->Locales()) {
    const int found = PrintCoverage(*loaded, locale == loaded->Locale() ? "" : locale);
    if (found < 0) return 1;
    problems += found;
  }
  if (problems > 0 && parsed->Has("--strict")) {
    std::cerr << "regimen: " << path << ": " << problems
              << " cues skipped or never spoken (--strict)\n";
    return 1;
  }
  return 0;
}

}  // namespace regimen::cli
