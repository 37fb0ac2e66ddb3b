// Localization: locale tags, the message ids of a pack's words, and the pack in a locale.
//
//   const regimen::Catalog& pack = regimen::Catalog::Default();
//   absl::StatusOr<regimen::LocalizedCatalog> de = pack.Localize("de-AT");  // → "de"
//   de->catalog.FindExercise("prone_lift")->name();                          // "Anheben in
//   Bauchlage"
//
// Every user-facing text of a pack has a stable message id derived from the ids around it
// (docs/localization.md): "exercise.prone_lift.cue.soft_joints", "session_cue.count_in.variant.0",
// "routine.back_basics.name", "engine.phase.rest". Translations (proto/regimen/v1/l10n.proto)
// map ids to the locale's words.
#ifndef REGIMEN_L10N_H_
#define REGIMEN_L10N_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/catalog.h"
#include "regimen/v1/catalog.pb.h"

namespace regimen {

// The pack's language when Catalog.locale is empty.
inline constexpr const char* kDefaultSourceLocale = "en";

// `tag` checked as a BCP 47 language tag (RFC 5646: language, optional script, region,
// variants, extensions, private use) and in canonical case: "de-at" → "de-AT", "zh-hant-tw" →
// "zh-Hant-TW". INVALID_ARGUMENT, naming the offending subtag, for a malformed tag ("de_AT",
// "e", "deutsch-", "").
absl::StatusOr<std::string> CanonicalLocale(absl::string_view tag);

// The lookup chain of a canonical tag, most specific first: "de-AT-1996" → {"de-AT-1996",
// "de-AT", "de"} (RFC 4647 lookup; a single-letter subtag is dropped with what follows it).
std::vector<std::string> LocaleFallbacks(absl::string_view canonical_tag);

// One user-facing text of a pack, for translators.
struct CatalogMessage {
  // Stable id, e.g. "exercise.prone_lift.cue.soft_joints".
  std::string id;
  // The words in the pack's source language (for templates, with their {arguments}).
  std::string text;
  // For the translator: what holds the text and what it is for, e.g. "Exercise "Prone lift"
  // (prone_lift), cue soft_joints: form, said when the hold starts. Spoken aloud."
  std::string comment;
  // The exercise it belongs to, "" for none.
  std::string exercise_id;
  // Spoken (a cue's text or variant): its speaking time matters.
  bool spoken = false;
};

// Every message of `catalog` in a fixed order: the pack's texts in the pack's order, then the
// engine's own words ("engine.…").
std::vector<CatalogMessage> CatalogMessages(const v1::Catalog& catalog);

// The engine's own words in the source language, by id ("engine.phase.rest" → "Rest"), and the
// generator's note templates ("generator.left_out.contraindicated" → "left out {exercise}:
// contraindicated with {condition}"); the default when a translation has none.
const std::vector<CatalogMessage>& EngineMessages();

// A named argument of a template: {name} → value.
struct TemplateArg {
  absl::string_view name;
  std::string value;
};
// `pattern` with every {name} of `args` replaced by its value; other braces stay as they are.
std::string FillTemplate(absl::string_view pattern, const std::vector<TemplateArg>& args);
// The {names} a template uses, sorted, each once.
std::vector<std::string> TemplateNames(absl::string_view pattern);

// How complete one translation of a pack is (for `regimen validate` and translators).
struct TranslationStatus {
  std::string locale;  // canonical
  std::string name;    // Translations.name
  // Texts of the pack (with the engine's words) and how many have a translation.
  size_t messages = 0, translated = 0;
  // Ids with no translation; translated from a source text that has changed since
  // (Translation.source differs: outdated, still used); translations of ids the pack no longer
  // has (obsolete, ignored).
  std::vector<std::string> missing, outdated, obsolete;
};

// The status of every translation of `catalog`, in its order.
std::vector<TranslationStatus> CheckTranslations(const v1::Catalog& catalog);

// The pack in one locale: the catalog with every translated text in place (cue speaking times
// the translation's or, untranslated, the source's), and what was chosen.
struct LocalizedCatalog {
  Catalog catalog;
  // The locale chosen: a translation's tag or the pack's source locale.
  std::string locale;
  // Set when nothing in the pack matched the tag asked for and the source language was used:
  // "locale \"xx\" is not in the pack (en, de, es); using en".
  std::string note;
};

}  // namespace regimen

#endif  // REGIMEN_L10N_H_
