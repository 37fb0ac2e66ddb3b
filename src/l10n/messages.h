// The message ids of a pack's texts, walked over the pack itself, and translations applied to
// and checked against it. Internal: catalog.cc validates and localizes with it; CatalogMessages
// (regimen/l10n.h) lists it for translators.
#ifndef REGIMEN_SRC_L10N_MESSAGES_H_
#define REGIMEN_SRC_L10N_MESSAGES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "regimen/catalog.h"
#include "regimen/v1/catalog.pb.h"

namespace regimen::l10n_internal {

// The engine's words of one locale by id ("engine.phase.rest" → "Pause"). Ordered containers,
// as everywhere in catalog parsing (see src/catalog/catalog.cc: Abseil's hash maps are not safe
// when an allocation fails).
using EngineWords = std::map<std::string, std::string, std::less<>>;

// One text of a pack, in place.
struct MessageRef {
  std::string id;
  std::string* text = nullptr;
  // The cue a spoken text belongs to (null for texts that are not spoken) and which of its
  // texts it is: -1 its text, k its variant k.
  v1::Cue* cue = nullptr;
  int variant = -1;
  std::string exercise_id;
  // What holds it and what it is for (only when asked for).
  std::string comment;
};

// Calls `visit` for every text of `catalog` in pack order (empty texts are skipped). It never
// writes to `catalog` itself (a read-only `visit` may walk a const catalog).
void VisitMessages(v1::Catalog* catalog, bool comments,
                   const std::function<void(MessageRef&)>& visit);

// Every problem of `catalog.translations`, with paths "translations[1].messages[4].id".
void ValidateTranslations(const v1::Catalog& catalog, std::vector<ValidationError>* errors);

// `source` (its translations left out of the copy) with the texts of
// `translations` in place, locale and rate set; untranslated texts keep the source's words and
// speaking times, translated ones take the translation's speak_ms (0: estimated). `engine_words`
// gets the translated "engine.…" words.
v1::Catalog ApplyTranslations(const v1::Catalog& source, const v1::Translations& translations,
                              EngineWords* engine_words);

// A named argument of a template, the value borrowed.
struct ArgView {
  absl::string_view name;
  absl::string_view value;
};
// Appends `pattern` to *out with every {name} of `args` replaced by its value (FillTemplate,
// without a string of its own).
void AppendTemplate(absl::string_view pattern, absl::Span<const ArgView> args, std::string* out);

}  // namespace regimen::l10n_internal

#endif  // REGIMEN_SRC_L10N_MESSAGES_H_
