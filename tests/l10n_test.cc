// Localization: locale tags and their fallback, the pack's message ids, translations checked and
// laid over the pack, sessions compiled in a locale (words, engine labels, the locale's speaking
// rate, per-text speaking times), and the host's speech-end reports.
#include "regimen/l10n.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/generator.h"
#include "regimen/plan.h"
#include "regimen/session.h"

namespace regimen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CanonicalLocale, CanonicalCaseForWellFormedTags) {
  EXPECT_EQ(*CanonicalLocale("de"), "de");
  EXPECT_EQ(*CanonicalLocale("DE-at"), "de-AT");
  EXPECT_EQ(*CanonicalLocale("pt-br"), "pt-BR");
  EXPECT_EQ(*CanonicalLocale("es-419"), "es-419");
  EXPECT_EQ(*CanonicalLocale("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(*CanonicalLocale("de-CH-1996"), "de-CH-1996");
  EXPECT_EQ(*CanonicalLocale("en-US-u-ca-gregory"), "en-US-u-ca-gregory");
  EXPECT_EQ(*CanonicalLocale("de-x-formal"), "de-x-formal");
}

TEST(CanonicalLocale, MalformedTagsAreInvalidArgumentsSayingWhy) {
  for (const char* bad : {"", "de_AT", "e", "deutsch-", "-de", "de--AT", "toolongsubtag", "de-a",
                          "1de", "de-AT-x", "de@AT"}) {
    absl::StatusOr<std::string> got = CanonicalLocale(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(got.status().message(), HasSubstr("BCP 47")) << bad;
  }
  EXPECT_THAT(CanonicalLocale("de_AT").status().message(), HasSubstr("\"de-AT\""));
}

TEST(LocaleFallbacks, MostSpecificFirst) {
  EXPECT_THAT(LocaleFallbacks("de-AT"), ElementsAre("de-AT", "de"));
  EXPECT_THAT(LocaleFallbacks("zh-Hant-TW"), ElementsAre("zh-Hant-TW", "zh-Hant", "zh"));
  EXPECT_THAT(LocaleFallbacks("de-x-formal"), ElementsAre("de-x-formal", "de"));
  EXPECT_THAT(LocaleFallbacks("es"), ElementsAre("es"));
}

TEST(Localize, ShippedLocalesAndTheirFallbacks) {
  const Catalog& pack = Catalog::Default();
  EXPECT_EQ(pack.Locale(), "en");
  EXPECT_THAT(pack.Locales(), ElementsAre("en", "de", "es"));
  struct Case {
    const char* asked;
    const char* chosen;
    bool note;
  };
  for (const Case& c :
       {Case{"de", "de", false}, Case{"de-AT", "de", false}, Case{"es-MX", "es", false},
        Case{"en-GB", "en", false}, Case{"xx", "en", true}, Case{"pt-BR", "en", true}}) {
    absl::StatusOr<LocalizedCatalog> got = pack.Localize(c.asked);
    ASSERT_TRUE(got.ok()) << c.asked << ": " << got.status();
    EXPECT_EQ(got->locale, c.chosen) << c.asked;
    EXPECT_EQ(got->catalog.Locale(), c.chosen) << c.asked;
    EXPECT_EQ(!got->note.empty(), c.note) << c.asked << ": " << got->note;
  }
  EXPECT_THAT(pack.Localize("xx")->note, HasSubstr("\"xx\" is not in the pack (en, de, es)"));
  EXPECT_EQ(pack.Localize("de_AT").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Localize, TheGermanPackHasGermanWordsAndTheSameStructure) {
  const Catalog& pack = Catalog::Default();
  const Catalog de = pack.Localize("de")->catalog;
  EXPECT_EQ(de.proto().words_per_minute(), 125u);
  EXPECT_EQ(de.proto().exercises_size(), pack.proto().exercises_size());
  EXPECT_EQ(de.proto().rules_size(), pack.proto().rules_size());
  EXPECT_EQ(de.proto().translations_size(), 0);
  EXPECT_EQ(de.FindExercise("prone_lift")->name(), "Anheben in Bauchlage");
  EXPECT_EQ(de.FindRoutine("back_basics")->blocks_size(),
            pack.FindRoutine("back_basics")->blocks_size());
  EXPECT_EQ(de.EngineWord("engine.phase.count_in"), "Mach dich bereit");
  EXPECT_EQ(pack.EngineWord("engine.phase.count_in"), "Get ready");
  EXPECT_EQ(pack.EngineWord("engine.no_such_word"), "");
  // Every text of the pack is translated, and none is left in English.
  for (const TranslationStatus& status : CheckTranslations(pack.proto())) {
    EXPECT_THAT(status.missing, ::testing::IsEmpty()) << status.locale;
    EXPECT_THAT(status.outdated, ::testing::IsEmpty()) << status.locale;
    EXPECT_THAT(status.obsolete, ::testing::IsEmpty()) << status.locale;
    EXPECT_EQ(status.translated, status.messages) << status.locale;
  }
}

TEST(CatalogMessages, StableIdsWithTranslatorComments) {
  const std::vector<CatalogMessage> messages = CatalogMessages(Catalog::Default().proto());
  auto find = [&](const std::string& id) -> const CatalogMessage* {
    for (const CatalogMessage& m : messages) {
      if (m.id == id) return &m;
    }
    return nullptr;
  };
  const CatalogMessage* cue = find("exercise.prone_lift.cue.soft_joints");
  ASSERT_NE(cue, nullptr);
  EXPECT_TRUE(cue->spoken);
  EXPECT_EQ(cue->exercise_id, "prone_lift");
  EXPECT_THAT(cue->comment, HasSubstr("Prone lift"));
  EXPECT_THAT(cue->comment, HasSubstr("form"));
  EXPECT_THAT(cue->comment, HasSubstr("hold"));
  const CatalogMessage* variant = find("exercise.prone_lift.cue.grow_then_lift.variant.0");
  ASSERT_NE(variant, nullptr);
  EXPECT_EQ(variant->text, "Lengthen first, then lift.");
  for (const char* id : {"catalog.name", "routine.back_basics.name", "session_cue.count_in",
                         "habit.posture_check.text", "engine.event.paused"}) {
    EXPECT_NE(find(id), nullptr) << id;
  }
  const CatalogMessage* name = find("exercise.prone_lift.name");
  ASSERT_NE(name, nullptr);
  EXPECT_FALSE(name->spoken);
}

v1::Catalog WithGerman(const std::string& extra) {
  v1::Catalog proto = Catalog::Default().proto();
  proto.clear_translations();
  v1::Translations* de = proto.add_translations();
  de->set_locale("de");
  v1::Translation* t = de->add_messages();
  t->set_id("exercise.prone_lift.name");
  t->set_text("Anheben");
  if (extra == "duplicate") *de->add_messages() = *t;
  if (extra == "speak_ms on a name") t->set_speak_ms(1000);
  if (extra == "source locale") de->set_locale("en");
  if (extra == "bad tag") de->set_locale("de_DE");
  if (extra == "rate") de->set_words_per_minute(20);
  if (extra == "empty text") t->set_text("");
  if (extra.rfind("engine word", 0) == 0) {
    v1::Translation* word = de->add_messages();
    word->set_id("engine.phase.rest");
    word->set_text("Pause");
    if (extra == "engine word twice") *de->add_messages() = *word;
    if (extra == "engine word with speak_ms") word->set_speak_ms(800);
  }
  if (extra == "template with another argument") {
    v1::Translation* lowered = de->add_messages();
    lowered->set_id("generator.lowered");
    lowered->set_text(
        "{exercise} auf Stufe {level} (von {from}) gesenkt, Budget {budget} in {minutes}");
  }
  if (extra == "second translation") {
    // Another locale translating the same ids is no duplicate.
    v1::Translations* es = proto.add_translations();
    *es = *de;
    es->set_locale("es");
  }
  if (extra == "obsolete") {
    v1::Translation* gone = de->add_messages();
    gone->set_id("exercise.no_such.name");
    gone->set_text("Weg");
  }
  return proto;
}

TEST(Translations, ProblemsAreErrorsWithTheirPath) {
  struct Case {
    const char* what;
    const char* path;
  };
  for (const Case& c :
       {Case{"duplicate", "translations[0].messages[1].id"},
        Case{"speak_ms on a name", "translations[0].messages[0].speak_ms"},
        Case{"source locale", "translations[0].locale"}, Case{"bad tag", "translations[0].locale"},
        Case{"rate", "translations[0].words_per_minute"},
        Case{"empty text", "translations[0].messages[0].text: must not be empty"},
        Case{"engine word twice",
             "translations[0].messages[2].id: \"engine.phase.rest\" is translated twice"},
        Case{"engine word with speak_ms",
             "translations[0].messages[1].speak_ms: \"engine.phase.rest\" is not spoken"},
        Case{"template with another argument",
             "translations[0].messages[1].text: must use the arguments {budget}, {exercise}, "
             "{from}, "
             "{level} of \"generator.lowered\""}}) {
    absl::StatusOr<Catalog> got = Catalog::FromProto(WithGerman(c.what));
    ASSERT_FALSE(got.ok()) << c.what;
    EXPECT_THAT(got.status().message(), HasSubstr(c.path)) << c.what;
  }
  for (const char* fine : {"engine word", "second translation"}) {
    absl::StatusOr<Catalog> got = Catalog::FromProto(WithGerman(fine));
    EXPECT_TRUE(got.ok()) << fine << ": " << got.status();
  }
  // An id the pack no longer has is obsolete, not an error (a derived pack keeps loading).
  absl::StatusOr<Catalog> obsolete = Catalog::FromProto(WithGerman("obsolete"));
  ASSERT_TRUE(obsolete.ok()) << obsolete.status();
  EXPECT_THAT(CheckTranslations(obsolete->proto())[0].obsolete,
              ElementsAre("exercise.no_such.name"));
  // A partial translation: the rest stays in the source language.
  const Catalog de = obsolete->Localize("de")->catalog;
  EXPECT_EQ(de.FindExercise("prone_lift")->name(), "Anheben");
  EXPECT_EQ(de.FindExercise("prone_leg_lift")->name(), "Prone leg lift");
}

v1::Plan Compile(const std::string& locale, std::optional<uint32_t> wpm = std::nullopt) {
  v1::SessionOptions options;
  options.set_locale(locale);
  if (wpm.has_value()) options.set_words_per_minute(*wpm);
  absl::StatusOr<v1::Plan> plan =
      CompilePlan(Catalog::Default(), *Catalog::Default().FindRoutine("back_basics"), options);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : v1::Plan();
}

TEST(CompilePlanInALocale, WordsRateAndEngineLabels) {
  const v1::Plan de = Compile("de-AT");
  EXPECT_EQ(de.locale(), "de");
  EXPECT_EQ(de.options().locale(), "de-AT");
  EXPECT_TRUE(de.locale_note().empty());
  EXPECT_EQ(de.routine_name(),
            Catalog::Default().Localize("de")->catalog.FindRoutine("back_basics")->name());
  EXPECT_EQ(de.options().words_per_minute(), 125u);                  // the locale's rate
  EXPECT_EQ(Compile("de", 170).options().words_per_minute(), 170u);  // the host's rate wins
  EXPECT_EQ(de.engine_words().at("engine.phase.rest"), "Pause");
  EXPECT_EQ(de.exercises(1).name(), "Anheben in Bauchlage");
  EXPECT_EQ(Compile("es").options().words_per_minute(), 130u);
  const v1::Plan xx = Compile("xx");
  EXPECT_EQ(xx.locale(), "en");
  EXPECT_THAT(xx.locale_note(), HasSubstr("\"xx\""));
  // No locale: the source language, as before (no locale in the plan).
  const v1::Plan none = Compile("");
  EXPECT_EQ(none.locale(), "");
  EXPECT_EQ(none.options().words_per_minute(), 150u);

  v1::SessionOptions bad;
  bad.set_locale("de_AT");
  absl::StatusOr<v1::Plan> refused =
      CompilePlan(Catalog::Default(), *Catalog::Default().FindRoutine("back_basics"), bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("locale"));
}

TEST(CompilePlanInALocale, ATranslatorsSpeakingTimeIsUsedForThatTextOnly) {
  v1::Catalog proto = Catalog::Default().proto();
  v1::Translations* de = proto.mutable_translations(0);
  ASSERT_EQ(de->locale(), "de");
  for (v1::Translation& t : *de->mutable_messages()) {
    if (t.id() == "exercise.prone_lift.cue.grow_then_lift.variant.0") t.set_speak_ms(4321);
  }
  absl::StatusOr<Catalog> catalog = Catalog::FromProto(proto);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  v1::SessionOptions options;
  options.set_locale("de");
  absl::StatusOr<std::unique_ptr<Session>> session =
      Session::Create(*catalog, *catalog->FindRoutine("back_basics"), options);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE((*session)->Start(0).ok());
  std::vector<int64_t> times;  // grow_then_lift's speaking times, in firing order
  Event event;
  while (!(*session)->Finished()) {
    while ((*session)->Poll(&event)) {
      if (event.type == v1::SessionEvent::CUE && std::string(event.cue_id) == "grow_then_lift") {
        times.push_back(event.speak_ms);
      }
    }
    const int64_t deadline = (*session)->NextDeadline();
    if (deadline < 0) break;
    ASSERT_TRUE((*session)->Tick(deadline).ok());
  }
  ASSERT_GE(times.size(), 2u);
  EXPECT_NE(times[0], 4321);  // its text: estimated at the locale's rate
  EXPECT_EQ(times[1], 4321);  // its first variant: the translator's time
}

// Runs back_basics with `options`, reporting every cue's end `speak_for` ms after it starts; the
// start times of the cues.
std::vector<int64_t> CueStarts(v1::SessionOptions options, int64_t speak_for) {
  absl::StatusOr<std::unique_ptr<Session>> made =
      Session::Create(Catalog::Default(), *Catalog::Default().FindRoutine("back_basics"), options);
  EXPECT_TRUE(made.ok()) << made.status();
  if (!made.ok()) return {};
  Session& session = **made;
  std::vector<int64_t> starts;
  EXPECT_TRUE(session.Start(0).ok());
  std::string speaking;
  int64_t ends_at = -1;
  Event event;
  while (!session.Finished()) {
    while (session.Poll(&event)) {
      if (event.type != v1::SessionEvent::CUE) continue;
      starts.push_back(event.at_ms);
      speaking = event.cue_id;
      if (speak_for >= 0) ends_at = event.at_ms + speak_for;  // < 0: the host reports nothing
    }
    const int64_t deadline = session.NextDeadline();
    if (ends_at >= 0 && (deadline < 0 || ends_at <= deadline)) {
      EXPECT_TRUE(session.SpeechEnded(speaking, ends_at).ok());
      ends_at = -1;
    } else if (deadline >= 0) {
      EXPECT_TRUE(session.Tick(deadline).ok());
    } else {
      break;
    }
  }
  return starts;
}

TEST(SpeechEnded, EveryCueWaitsForTheRealEndPlusTheGap) {
  v1::SessionOptions options;
  options.set_await_speech_end(true);
  const std::vector<int64_t> starts = CueStarts(options, 3500);  // longer than most estimates
  ASSERT_GT(starts.size(), 30u);
  for (size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i], starts[i - 1] + 3500 + 250) << "cue " << i;
  }
}

TEST(SpeechEnded, HostsThatReportNothingOrAskNotToWaitKeepTheEstimatedPlan) {
  // No reports: the estimated schedule.
  const std::vector<int64_t> planned = CueStarts(v1::SessionOptions(), -1);
  ASSERT_GT(planned.size(), 30u);
  // Reports after every estimate, with await_speech_end false: the same schedule.
  v1::SessionOptions never;
  never.set_await_speech_end(false);
  EXPECT_EQ(CueStarts(never, 60000), planned);
  // Early reports may only bring a cue earlier.
  const std::vector<int64_t> early = CueStarts(never, 100);
  ASSERT_EQ(early.size(), planned.size());
  bool any_earlier = false;
  for (size_t i = 0; i < early.size(); ++i) {
    EXPECT_LE(early[i], planned[i]) << i;
    any_earlier |= early[i] < planned[i];
  }
  EXPECT_TRUE(any_earlier);
}

TEST(SpeechEnded, ErrorsAndStaleReports) {
  absl::StatusOr<std::unique_ptr<Session>> made = Session::Create(
      Catalog::Default(), *Catalog::Default().FindRoutine("back_basics"), v1::SessionOptions());
  ASSERT_TRUE(made.ok());
  Session& session = **made;
  EXPECT_EQ(session.SpeechEnded("count_in", 0).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(session.Start(0).ok());
  EXPECT_EQ(session.SpeechEnded("no_such_cue", 10).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(session.SpeechEnded("", 10).code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(session.Tick(100).ok());
  EXPECT_EQ(session.SpeechEnded("count_in", 50).code(), absl::StatusCode::kInvalidArgument);
  // A cue of the plan that is not the one being said: accepted, changes nothing.
  const int64_t before = session.NextDeadline();
  EXPECT_TRUE(session.SpeechEnded("soft_joints", 200).ok());
  EXPECT_EQ(session.NextDeadline(), before);
}

TEST(SpeechEnded, ASnapshotTakenWhileACueIsSpokenKeepsWaitingForItsEnd) {
  v1::SessionOptions options;
  options.set_await_speech_end(true);
  absl::StatusOr<std::unique_ptr<Session>> made =
      Session::Create(Catalog::Default(), *Catalog::Default().FindRoutine("back_basics"), options);
  ASSERT_TRUE(made.ok());
  Session& session = **made;
  ASSERT_TRUE(session.Start(0).ok());
  Event event;
  std::string first;
  while (session.Poll(&event)) {
    if (event.type == v1::SessionEvent::CUE && first.empty()) first = event.cue_id;
  }
  ASSERT_EQ(first, "count_in");
  EXPECT_GT(session.SnapshotProto().state().speaking_cue(), 0u);
  absl::StatusOr<std::string> snapshot = session.Snapshot(Format::kBinary);
  ASSERT_TRUE(snapshot.ok());
  absl::StatusOr<std::unique_ptr<Session>> restored = Session::Restore(*snapshot, Format::kBinary);
  ASSERT_TRUE(restored.ok()) << restored.status();
  // Both answer the report the same way: the next cue comes after 9000 + the gap.
  for (Session* s : {&session, restored->get()}) {
    ASSERT_TRUE(s->SpeechEnded("count_in", 9000).ok());
    int64_t next_cue = -1;
    while (next_cue < 0 && !s->Finished()) {
      while (s->Poll(&event)) {
        if (event.type == v1::SessionEvent::CUE && next_cue < 0) next_cue = event.at_ms;
      }
      if (next_cue >= 0) break;
      ASSERT_TRUE(s->Tick(s->NextDeadline()).ok());
    }
    EXPECT_GE(next_cue, 9250);
  }
}

TEST(GenerateRoutineInALocale, NotesAndNamesInTheProfilesLanguage) {
  v1::Profile profile;
  profile.set_level(1);
  profile.add_conditions("pregnancy");
  profile.set_locale("de-AT");
  absl::StatusOr<v1::Routine> de = GenerateRoutine(Catalog::Default(), profile);
  ASSERT_TRUE(de.ok()) << de.status();
  EXPECT_EQ(de->name(), "Eigene Routine");
  ASSERT_GT(de->notes_size(), 0);
  EXPECT_EQ(de->notes(0), "prone_lift weggelassen: kontraindiziert bei pregnancy");
  profile.set_locale("");
  absl::StatusOr<v1::Routine> en = GenerateRoutine(Catalog::Default(), profile);
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->notes(0), "left out prone_lift: contraindicated with pregnancy");
  EXPECT_EQ(en->blocks_size(), de->blocks_size());  // the words change, never the routine
  profile.set_locale("xx");
  absl::StatusOr<v1::Routine> xx = GenerateRoutine(Catalog::Default(), profile);
  ASSERT_TRUE(xx.ok());
  EXPECT_THAT(xx->notes(0), HasSubstr("\"xx\" is not in the pack"));
  profile.set_locale("de_AT");
  EXPECT_EQ(GenerateRoutine(Catalog::Default(), profile).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Templates, FillAndNames) {
  EXPECT_EQ(FillTemplate("left out {exercise}: {why} {unknown}",
                         {{"exercise", "prone_lift"}, {"why", "pain"}}),
            "left out prone_lift: pain {unknown}");
  EXPECT_EQ(FillTemplate("no braces {", {}), "no braces {");
  EXPECT_THAT(TemplateNames("{b} and {a} and {b}"), ElementsAre("a", "b"));
  // A translation must keep the template's arguments.
  v1::Catalog proto = Catalog::Default().proto();
  for (v1::Translation& t : *proto.mutable_translations(0)->mutable_messages()) {
    if (t.id() == "generator.lowered") t.set_text("{exercise} gesenkt");
  }
  absl::StatusOr<Catalog> bad = Catalog::FromProto(proto);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("must use the arguments {budget}, {exercise}"));
}

}  // namespace
}  // namespace regimen
