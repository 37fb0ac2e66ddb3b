// The message ids of a pack (docs/localization.md), the translator's comment for each, the
// engine's own words, translations checked against a pack and applied to it.
#include "src/l10n/messages.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "regimen/l10n.h"
#include "src/catalog/catalog_internal.h"
#include "src/model/labels.h"
#include "src/progression/words.h"

namespace regimen {
namespace l10n_internal {
namespace {

constexpr size_t kMaxTranslations = 100;
constexpr int64_t kMaxSpeakMs = 60000;

// The {names} of a template, each once, in the order they first appear.
using NameViews = absl::InlinedVector<absl::string_view, 8>;
NameViews TemplateNameViews(absl::string_view pattern) {
  NameViews names;
  size_t i = 0;
  while (true) {
    const size_t open = pattern.find('{', i);
    if (open == absl::string_view::npos) break;
    const size_t close = pattern.find('}', open);
    if (close == absl::string_view::npos) break;
    const absl::string_view name = pattern.substr(open + 1, close - open - 1);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    i = close + 1;
  }
  return names;
}

// "at the start of the hold", "1500 ms into the lift", … for the translator's comment.
std::string TriggerWords(const v1::CueTrigger& trigger) {
  const std::string phase = trigger.phase() == v1::PHASE_KIND_UNSPECIFIED
                                ? "every phase"
                                : labels::PhaseKindName(trigger.phase());
  switch (trigger.kind()) {
    case v1::TRIGGER_PHASE_ENTRY:
      return absl::StrCat("said when the ", phase, " phase starts");
    case v1::TRIGGER_PHASE_OFFSET:
      return absl::StrCat("said ", trigger.offset_ms(), " ms into the ", phase, " phase");
    case v1::TRIGGER_BEFORE_PHASE_END:
      return absl::StrCat("said ", trigger.offset_ms(), " ms before the ", phase,
                          " phase ends (a countdown)");
    case v1::TRIGGER_EVERY_NTH_REP:
      return absl::StrCat("said in the ", phase, " phase of every ",
                          trigger.every_n() == 0 ? 1 : trigger.every_n(), ". rep");
    case v1::TRIGGER_FIRST_REP:
      return absl::StrCat("said in the ", phase, " phase of the first rep");
    case v1::TRIGGER_SIDE_SWITCH:
      return "said when the side changes";
    case v1::TRIGGER_REPORT:
      return absl::StrCat("said right after the user reports ",
                          trigger.report() == v1::REPORT_PAIN        ? "pain"
                          : trigger.report() == v1::REPORT_ASYMMETRY ? "that one side takes over"
                                                                     : "effort",
                          trigger.report() == v1::REPORT_ASYMMETRY
                              ? ""
                              : absl::StrCat(" of ", trigger.min_value(), "..",
                                             trigger.max_value() == 0 ? 10 : trigger.max_value()));
    case v1::TRIGGER_EXERCISE_START:
      return "said when the exercise starts";
    case v1::TRIGGER_SESSION_START:
      return "said when the session starts";
    case v1::TRIGGER_SAFETY_STOP:
      return "said when the session stops for safety";
    case v1::TRIGGER_SESSION_END:
      return "said when the session ends";
    default:
      return "";
  }
}

const char* CueKindWords(v1::CueKind kind) {
  switch (kind) {
    case v1::CUE_KIND_SETUP:
      return "setup";
    case v1::CUE_KIND_FORM:
      return "form";
    case v1::CUE_KIND_BREATH:
      return "breath";
    case v1::CUE_KIND_SAFETY:
      return "safety";
    case v1::CUE_KIND_TIP:
      return "tip";
    case v1::CUE_KIND_MISTAKE:
      return "mistake correction";
    case v1::CUE_KIND_COUNT:
      return "count";
    case v1::CUE_KIND_INSTRUCTION:
      return "instruction";
    default:
      return "cue";
  }
}

// A cue's text and variants, with ids under `prefix` ("exercise.prone_lift.cue.soft_joints").
void VisitCue(v1::Cue* cue, const std::string& prefix, const std::string& holder,
              const std::string& exercise_id, bool comments,
              const std::function<void(MessageRef&)>& visit) {
  std::string what;
  if (comments) {
    what = absl::StrCat(holder, ", cue ", cue->id(), ": ", CueKindWords(cue->kind()), ", ",
                        TriggerWords(cue->trigger()), ". Spoken aloud");
  }
  MessageRef ref;
  ref.exercise_id = exercise_id;
  if (!cue->text().empty()) {
    ref.id = prefix;
    ref.text = cue->mutable_text();
    ref.cue = cue;
    ref.comment = what;
    visit(ref);
  }
  for (int k = 0; k < cue->variants_size(); ++k) {
    if (cue->variants(k).empty()) continue;
    ref.id = absl::StrCat(prefix, ".variant.", k);
    ref.text = cue->mutable_variants(k);
    ref.cue = cue;
    ref.variant = k;
    if (comments) ref.comment = absl::StrCat(what, "; another wording of the same cue");
    visit(ref);
  }
}

}  // namespace

void VisitMessages(v1::Catalog* catalog, bool comments,
                   const std::function<void(MessageRef&)>& visit) {
  auto text = [&](std::string id, std::string* words, std::string exercise_id,
                  std::string comment) {
    if (words->empty()) return;
    MessageRef ref;
    ref.id = std::move(id);
    ref.text = words;
    ref.exercise_id = std::move(exercise_id);
    if (comments) ref.comment = std::move(comment);
    visit(ref);
  };
  auto c = [&](auto... parts) { return comments ? absl::StrCat(parts...) : std::string(); };
  text("catalog.name", catalog->mutable_name(), "", "The content pack's name, shown in a list");
  for (v1::ConditionDef& condition : *catalog->mutable_conditions()) {
    const std::string id = absl::StrCat("condition.", condition.id());
    text(id + ".description", condition.mutable_description(), "",
         c("A health condition a user may declare (", condition.id(), "), shown in a form"));
    text(id + ".advice", condition.mutable_advice(), "",
         c("Advice shown to a user who declares ", condition.id()));
  }
  for (v1::AttestationDef& attestation : *catalog->mutable_attestations()) {
    text(absl::StrCat("attestation.", attestation.id(), ".description"),
         attestation.mutable_description(), "",
         c("A statement the user attests about themselves (", attestation.id(),
           "), in the first person"));
  }
  for (v1::Exercise& exercise : *catalog->mutable_exercises()) {
    const std::string id = absl::StrCat("exercise.", exercise.id());
    const std::string holder = c("Exercise \"", exercise.name(), "\" (", exercise.id(), ")");
    text(id + ".name", exercise.mutable_name(), exercise.id(), c(holder, ": its name, shown"));
    text(id + ".description", exercise.mutable_description(), exercise.id(),
         c(holder, ": what it is, shown before it"));
    for (int p = 0; p < exercise.phases_size(); ++p) {
      v1::Phase& phase = *exercise.mutable_phases(p);
      text(absl::StrCat(id, ".phase.", p, ".label"), phase.mutable_label(), exercise.id(),
           c(holder, ": the short label of its ", labels::PhaseKindName(phase.kind()),
             " phase, shown large while it runs"));
    }
    for (v1::Cue& cue : *exercise.mutable_cues()) {
      VisitCue(&cue, absl::StrCat(id, ".cue.", cue.id()), holder, exercise.id(), comments, visit);
    }
    for (v1::Mistake& mistake : *exercise.mutable_mistakes()) {
      text(absl::StrCat(id, ".mistake.", mistake.id()), mistake.mutable_description(),
           exercise.id(), c(holder, ": a common mistake (", mistake.id(), "), shown"));
    }
    if (exercise.has_gate()) {
      text(id + ".gate.reason", exercise.mutable_gate()->mutable_reason(), exercise.id(),
           c(holder, ": why it is gated, shown to a user it is not yet open to"));
    }
  }
  for (v1::Cue& cue : *catalog->mutable_session_cues()) {
    VisitCue(&cue, absl::StrCat("session_cue.", cue.id()), c("Session cue"), "", comments, visit);
  }
  for (v1::Routine& routine : *catalog->mutable_routines()) {
    const std::string id = absl::StrCat("routine.", routine.id());
    text(id + ".name", routine.mutable_name(), "", c("Routine ", routine.id(), ": its name"));
    text(id + ".description", routine.mutable_description(), "",
         c("Routine ", routine.id(), ": what it is, shown"));
    for (int k = 0; k < routine.notes_size(); ++k) {
      text(absl::StrCat(id, ".note.", k), routine.mutable_notes(k), "",
           c("Routine ", routine.id(), ": a note shown with it"));
    }
  }
  for (v1::Habit& habit : *catalog->mutable_habits()) {
    const std::string id = absl::StrCat("habit.", habit.id());
    text(id + ".name", habit.mutable_name(), "", c("Habit ", habit.id(), ": its name"));
    text(id + ".text", habit.mutable_text(), "",
         c("Habit ", habit.id(), ": the prompt's words, shown in a notification during the day"));
  }
  for (v1::ProgressionRule& rule : *catalog->mutable_rules()) {
    text(absl::StrCat("rule.", rule.id(), ".description"), rule.mutable_description(), "",
         c("Progression rule ", rule.id(), ": why it decides, part of a decision's reason"));
  }
}

namespace {

// The engine's words by id, each with its place in EngineMessages() and the {names} it uses
// (sorted, each once; empty for plain words), found once per process.
struct EngineWord {
  size_t index = 0;
  std::vector<std::string> arguments;
};
const std::map<absl::string_view, EngineWord, std::less<>>& EngineWordIndex() {
  static const auto* const kIndex = [] {
    auto* index = new std::map<absl::string_view, EngineWord, std::less<>>;
    const std::vector<CatalogMessage>& words = EngineMessages();
    for (size_t i = 0; i < words.size(); ++i) {
      index->emplace(words[i].id, EngineWord{i, TemplateNames(words[i].text)});
    }
    return index;
  }();
  return *kIndex;
}

// Whether `text` uses exactly the {names} of `arguments` (sorted, each once), each at least once
// and no other; without an allocation for up to 8 different names.
bool UsesExactly(absl::string_view text, const std::vector<std::string>& arguments) {
  const NameViews names = TemplateNameViews(text);
  if (names.size() != arguments.size()) return false;
  for (absl::string_view name : names) {
    if (!std::binary_search(arguments.begin(), arguments.end(), name,
                            [](absl::string_view a, absl::string_view b) { return a < b; })) {
      return false;
    }
  }
  return true;
}

}  // namespace

void ValidateTranslations(const v1::Catalog& catalog, std::vector<ValidationError>* errors) {
  if (catalog.translations_size() == 0) return;
  if (static_cast<size_t>(catalog.translations_size()) > kMaxTranslations) {
    internal::AddError(
        errors, "translations",
        absl::StrCat(catalog.translations_size(), " translations; the limit is ", kMaxTranslations),
        absl::StatusCode::kResourceExhausted);
    return;
  }
  // The ids of the pack: spoken or not, and the last translation that translated each (for
  // translations of one id twice); the same for the engine's words, by their index.
  struct Known {
    bool spoken = false;
    int translated_in = -1;
  };
  std::map<std::string, Known, std::less<>> known;
  // The walk only reads here: VisitMessages itself never writes, nor does this callback.
  VisitMessages(const_cast<v1::Catalog*>(&catalog), false, [&](MessageRef& ref) {
    known.emplace(std::move(ref.id), Known{ref.cue != nullptr, -1});
  });
  const std::map<absl::string_view, EngineWord, std::less<>>& engine = EngineWordIndex();
  std::vector<int> engine_translated_in(engine.size(), -1);
  std::string source = kDefaultSourceLocale;
  if (!catalog.locale().empty()) {
    absl::StatusOr<std::string> canonical = CanonicalLocale(catalog.locale());
    if (!canonical.ok()) {
      internal::AddError(errors, "locale", std::string(canonical.status().message()));
    } else {
      source = *canonical;
    }
  }
  std::set<std::string, std::less<>> locales;
  for (int t = 0; t < catalog.translations_size(); ++t) {
    const v1::Translations& translations = catalog.translations(t);
    const std::string path = absl::StrCat("translations[", t, "]");
    absl::StatusOr<std::string> locale = CanonicalLocale(translations.locale());
    if (!locale.ok()) {
      internal::AddError(errors, path + ".locale", std::string(locale.status().message()));
    } else if (*locale == source) {
      internal::AddError(errors, path + ".locale",
                         absl::StrCat("\"", *locale, "\" is the pack's own language"));
    } else if (!locales.insert(*locale).second) {
      internal::AddError(errors, path + ".locale",
                         absl::StrCat("\"", *locale, "\" is translated twice"));
    }
    const uint32_t wpm = translations.words_per_minute();
    if (wpm != 0 && (wpm < 60 || wpm > 400)) {
      internal::AddError(errors, path + ".words_per_minute",
                         absl::StrCat("must be 0 or 60..400, got ", wpm));
    }
    for (int m = 0; m < translations.messages_size(); ++m) {
      const v1::Translation& message = translations.messages(m);
      // The message's path, made only for an error.
      auto at = [&](absl::string_view field) {
        return absl::StrCat(path, ".messages[", m, "].", field);
      };
      // An id the pack no longer has is obsolete, not an error: a pack derived from another
      // (a rule dropped, an exercise renamed) keeps its translations. `regimen validate` and
      // `regimen l10n import` list them.
      int* translated_in = nullptr;
      bool spoken = false;
      const std::vector<std::string>* arguments = nullptr;
      if (auto it = known.find(message.id()); it != known.end()) {
        translated_in = &it->second.translated_in;
        spoken = it->second.spoken;
      } else if (auto word = engine.find(message.id()); word != engine.end()) {
        translated_in = &engine_translated_in[word->second.index];
        if (!word->second.arguments.empty()) arguments = &word->second.arguments;
      } else {
        continue;
      }
      if (*translated_in == t) {
        internal::AddError(errors, at("id"),
                           absl::StrCat("\"", message.id(), "\" is translated twice"));
      }
      *translated_in = t;
      if (message.text().empty()) internal::AddError(errors, at("text"), "must not be empty");
      if (arguments != nullptr && !UsesExactly(message.text(), *arguments)) {
        internal::AddError(
            errors, at("text"),
            absl::StrCat("must use the arguments {", absl::StrJoin(*arguments, "}, {"), "} of \"",
                         message.id(), "\", each as in the source"));
      }
      if (message.text().size() > kMaxCueTextChars) {
        internal::AddError(
            errors, at("text"),
            absl::StrCat("at most ", kMaxCueTextChars, " characters, got ", message.text().size()));
      }
      if (message.speak_ms() < 0 || message.speak_ms() > kMaxSpeakMs) {
        internal::AddError(errors, at("speak_ms"),
                           absl::StrCat("must be 0..", kMaxSpeakMs, ", got ", message.speak_ms()));
      } else if (message.speak_ms() != 0 && !spoken) {
        internal::AddError(errors, at("speak_ms"),
                           absl::StrCat("\"", message.id(), "\" is not spoken (only cues are)"));
      }
    }
  }
}

v1::Catalog ApplyTranslations(const v1::Catalog& source, const v1::Translations& translations,
                              EngineWords* engine_words) {
  std::map<absl::string_view, const v1::Translation*> by_id;
  for (const v1::Translation& message : translations.messages()) {
    by_id.emplace(message.id(), &message);
  }
  v1::Catalog out = source;
  out.clear_translations();
  out.set_locale(*CanonicalLocale(translations.locale()));  // validated by the caller
  if (translations.words_per_minute() != 0) {
    out.set_words_per_minute(translations.words_per_minute());
  }
  VisitMessages(&out, false, [&](MessageRef& ref) {
    auto it = by_id.find(ref.id);
    if (it == by_id.end()) return;
    *ref.text = it->second->text();
    if (ref.cue == nullptr) return;
    if (ref.variant < 0) {
      ref.cue->set_speak_ms(it->second->speak_ms());
    } else {
      while (ref.cue->variant_speak_ms_size() < ref.cue->variants_size()) {
        ref.cue->add_variant_speak_ms(0);
      }
      ref.cue->set_variant_speak_ms(ref.variant, it->second->speak_ms());
    }
  });
  // Variant speaking times that say nothing are dropped again.
  auto trim = [](v1::Cue& cue) {
    bool any = false;
    for (int64_t ms : cue.variant_speak_ms()) any |= ms != 0;
    if (!any) cue.clear_variant_speak_ms();
  };
  for (v1::Exercise& exercise : *out.mutable_exercises()) {
    for (v1::Cue& cue : *exercise.mutable_cues()) trim(cue);
  }
  for (v1::Cue& cue : *out.mutable_session_cues()) trim(cue);
  engine_words->clear();
  for (const CatalogMessage& word : EngineMessages()) {
    auto it = by_id.find(word.id);
    if (it != by_id.end()) engine_words->emplace(word.id, it->second->text());
  }
  return out;
}

}  // namespace l10n_internal

const std::vector<CatalogMessage>& EngineMessages() {
  static const std::vector<CatalogMessage>* const kWords = [] {
    auto* words = new std::vector<CatalogMessage>;
    auto add = [&](std::string id, std::string text, std::string comment) {
      CatalogMessage& word = words->emplace_back();
      word.id = std::move(id);
      word.text = std::move(text);
      word.comment = std::move(comment);
    };
    for (int kind = v1::PHASE_SETUP; kind <= v1::PHASE_COUNT_IN; ++kind) {
      add(absl::StrCat("engine.phase.", labels::PhaseKindName(kind)),
          labels::PhaseLabel(static_cast<v1::PhaseKind>(kind)),
          absl::StrCat("The engine's label of a ", labels::PhaseKindName(kind),
                       " phase (when the exercise gives none), shown large while it runs"));
    }
    for (const labels::EventWord& event : labels::EventWords()) {
      add(event.id, labels::EventLabel(event.type, event.end), event.comment);
    }
    // The generator's notes (src/generator/generator.cc), with their named arguments.
    const std::pair<const char*, const char*> notes[] = {
        {"generator.left_out.primer_only", "left out {exercise}: not with {condition}"},
        {"generator.left_out.contraindicated",
         "left out {exercise}: contraindicated with {condition}"},
        {"generator.left_out.attestation",
         "left out {exercise}: gated, needs the attestation {attestation}"},
        {"generator.left_out.history",
         "left out {exercise}: gated, needs a history of the last {sessions} sessions{completed} "
         "with pain at most {max_pain}{no_asymmetry}; progression unlocks it once the records "
         "show it"},
        {"generator.history.completed", " completed"},
        {"generator.history.no_asymmetry", " and no asymmetry report"},
        {"generator.left_out.level",
         "left out {exercise}: its level {level} is more than one above the profile's level "
         "{profile_level}"},
        {"generator.left_out.budget",
         "left out {exercise}: the routine would take {estimate}, more than the session budget "
         "of {budget}"},
        {"generator.only_primer", "only the primer {exercise}, because of {condition}{advice}"},
        {"generator.lowered",
         "lowered {exercise} to level {level} (from {from}) to fit the session budget of {budget}"},
        {"generator.duration", "{minutes} min {seconds} s"},
        {"generator.custom_name", "Custom routine"},
        {"generator.custom_description", "Generated for the profile from the {pack} pack"},
    };
    for (const auto& [id, text] : notes) {
      add(id, text,
          "A note of the routine generator, shown with a generated routine; keep every {name} "
          "(filled in by the engine) and the meaning");
    }
    // The FIT workout's step names of the two sides (src/export/fit.cc).
    add("engine.fit.left", "{exercise} (left)",
        "A step of a workout exported for a watch: the exercise done on the left side");
    add("engine.fit.right", "{exercise} (right)",
        "A step of a workout exported for a watch: the exercise done on the right side");
    // The progression's reasons and notes (src/progression/words.cc).
    for (const internal::WordDef& word : internal::ProgressionWords()) {
      add(std::string(word.id), std::string(word.text),
          absl::StartsWith(word.id, "progression.metric.") ||
                  absl::StartsWith(word.id, "progression.why.") || word.id == "progression.level"
              ? "A piece of a progression reason (the words of a rule that holds), put into "
                "another reason; keep every {name} (filled in by the engine: numbers, ids, "
                "comparison signs) and the meaning"
              : "A reason of a progression decision or a note of the routine it decides, shown "
                "to the user with the next routine; keep every {name} (filled in by the engine) "
                "and the meaning");
    }
    return words;
  }();
  return *kWords;
}

namespace l10n_internal {

void AppendTemplate(absl::string_view pattern, absl::Span<const ArgView> args, std::string* out) {
  // One allocation at most: the pattern and every argument once is enough for most templates.
  size_t room = out->size() + pattern.size();
  for (const ArgView& arg : args) room += arg.value.size();
  out->reserve(room);
  size_t i = 0;
  while (i < pattern.size()) {
    const size_t open = pattern.find('{', i);
    if (open == absl::string_view::npos) break;
    const size_t close = pattern.find('}', open);
    if (close == absl::string_view::npos) break;
    out->append(pattern.data() + i, open - i);
    const absl::string_view name = pattern.substr(open + 1, close - open - 1);
    const ArgView* arg = nullptr;
    for (const ArgView& a : args) {
      if (a.name == name) arg = &a;
    }
    const absl::string_view value =
        arg != nullptr ? arg->value : pattern.substr(open, close - open + 1);
    out->append(value.data(), value.size());
    i = close + 1;
  }
  if (i < pattern.size()) out->append(pattern.data() + i, pattern.size() - i);
}

}  // namespace l10n_internal

std::string FillTemplate(absl::string_view pattern, const std::vector<TemplateArg>& args) {
  absl::InlinedVector<l10n_internal::ArgView, 8> views;
  for (const TemplateArg& arg : args) views.push_back({arg.name, arg.value});
  std::string out;
  out.reserve(pattern.size() + 32);
  l10n_internal::AppendTemplate(pattern, views, &out);
  return out;
}

std::vector<std::string> TemplateNames(absl::string_view pattern) {
  const l10n_internal::NameViews views = l10n_internal::TemplateNameViews(pattern);
  std::vector<std::string> names(views.begin(), views.end());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<TranslationStatus> CheckTranslations(const v1::Catalog& catalog) {
  const std::vector<CatalogMessage> messages = CatalogMessages(catalog);
  std::map<absl::string_view, const CatalogMessage*> by_id;
  for (const CatalogMessage& message : messages) by_id.emplace(message.id, &message);
  std::vector<TranslationStatus> out;
  for (const v1::Translations& translations : catalog.translations()) {
    TranslationStatus& status = out.emplace_back();
    absl::StatusOr<std::string> locale = CanonicalLocale(translations.locale());
    status.locale = locale.ok() ? *locale : translations.locale();
    status.name = translations.name();
    status.messages = messages.size();
    std::set<absl::string_view> done;
    for (const v1::Translation& translation : translations.messages()) {
      auto it = by_id.find(translation.id());
      if (it == by_id.end()) {
        status.obsolete.push_back(translation.id());
        continue;
      }
      if (!done.insert(it->first).second) continue;
      ++status.translated;
      if (!translation.source().empty() && translation.source() != it->second->text) {
        status.outdated.push_back(translation.id());
      }
    }
    for (const CatalogMessage& message : messages) {
      if (done.count(message.id) == 0) status.missing.push_back(message.id);
    }
  }
  return out;
}

std::vector<CatalogMessage> CatalogMessages(const v1::Catalog& catalog) {
  std::vector<CatalogMessage> out;
  v1::Catalog copy = catalog;
  copy.clear_translations();
  l10n_internal::VisitMessages(&copy, true, [&](l10n_internal::MessageRef& ref) {
    CatalogMessage& message = out.emplace_back();
    message.id = std::move(ref.id);
    message.text = *ref.text;
    message.comment = std::move(ref.comment);
    message.exercise_id = std::move(ref.exercise_id);
    message.spoken = ref.cue != nullptr;
  });
  for (const CatalogMessage& word : EngineMessages()) out.push_back(word);
  return out;
}

}  // namespace regimen
