// A pack's localized catalogs are made on the first Localize into each locale: once, whichever
// threads ask first and at once, and they live as long as any copy of the pack or of themselves
// (label thread: TSan runs this program).
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "regimen/catalog.h"
#include "regimen/l10n.h"
#include "regimen/session.h"

namespace {

using regimen::Catalog;
using regimen::LocalizedCatalog;

// A pack parsed here, so that none of its locales has been asked for yet.
Catalog FreshPack() {
  absl::StatusOr<Catalog> pack =
      Catalog::Parse(Catalog::Default().proto().SerializeAsString(), regimen::Format::kBinary);
  EXPECT_TRUE(pack.ok()) << pack.status();
  return *std::move(pack);
}

TEST(LocalizeOnce, TheSameCatalogForEveryCallOfALocale) {
  const Catalog pack = FreshPack();
  absl::StatusOr<LocalizedCatalog> first = pack.Localize("de");
  absl::StatusOr<LocalizedCatalog> again = pack.Localize("de-AT");  // falls back to "de"
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(&first->catalog.proto(), &again->catalog.proto());
  EXPECT_EQ(first->catalog.Locale(), "de");
  const Catalog copy = pack;  // copies share the localized catalogs too
  EXPECT_EQ(&copy.Localize("de")->catalog.proto(), &first->catalog.proto());
  EXPECT_NE(&pack.Localize("es")->catalog.proto(), &first->catalog.proto());
  EXPECT_EQ(&pack.Localize("en")->catalog.proto(), &pack.proto());
}

TEST(LocalizeOnce, ALocalizedCatalogOutlivesThePack) {
  absl::StatusOr<LocalizedCatalog> de;
  {
    const Catalog pack = FreshPack();
    de = pack.Localize("de");
    ASSERT_TRUE(de.ok());
  }
  const regimen::v1::Exercise* lift = de->catalog.FindExercise("prone_lift");
  ASSERT_NE(lift, nullptr);
  EXPECT_EQ(lift->name(),
            Catalog::Default().Localize("de")->catalog.FindExercise("prone_lift")->name());
  EXPECT_NE(lift->name(), Catalog::Default().FindExercise("prone_lift")->name());
  EXPECT_EQ(de->catalog.EngineWord("engine.phase.rest"),
            Catalog::Default().Localize("de")->catalog.EngineWord("engine.phase.rest"));
}

TEST(LocalizeOnce, ManyThreadsAskingFirstGetOneCatalogPerLocale) {
  const std::vector<std::string> asked = {"de", "es-MX", "de-AT", "es", "xx", "es"};
  for (int round = 0; round < 5; ++round) {
    const Catalog pack = FreshPack();
    constexpr int kThreads = 8;
    // What each thread saw, per locale asked: the catalog's address and its words.
    std::vector<std::vector<const regimen::v1::Catalog*>> seen(kThreads);
    std::vector<std::vector<std::string>> names(kThreads), notes(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (size_t k = 0; k < asked.size(); ++k) {
          // Each thread starts with another locale, so that first calls race for each.
          const std::string& locale = asked[(k + t) % asked.size()];
          absl::StatusOr<LocalizedCatalog> localized = pack.Localize(locale);
          if (!localized.ok()) continue;
          seen[t].push_back(&localized->catalog.proto());
          names[t].push_back(localized->catalog.FindExercise("prone_lift")->name());
          notes[t].push_back(localized->note);
          // A session in the locale, from this thread.
          auto session = regimen::Session::Create(localized->catalog,
                                                  *localized->catalog.FindRoutine("back_basics"));
          EXPECT_TRUE(session.ok() && (*session)->Start(0).ok()) << locale;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (int t = 0; t < kThreads; ++t) {
      ASSERT_EQ(seen[t].size(), asked.size());
      for (size_t k = 0; k < asked.size(); ++k) {
        const std::string& locale = asked[(k + t) % asked.size()];
        absl::StatusOr<LocalizedCatalog> expected = pack.Localize(locale);
        EXPECT_EQ(seen[t][k], &expected->catalog.proto()) << locale;
        EXPECT_EQ(names[t][k], expected->catalog.FindExercise("prone_lift")->name()) << locale;
        EXPECT_EQ(notes[t][k], expected->note) << locale;
      }
    }
    std::set<const regimen::v1::Catalog*> catalogs;
    for (const auto& thread_seen : seen) catalogs.insert(thread_seen.begin(), thread_seen.end());
    EXPECT_EQ(catalogs.size(), 3u);  // the source (for "xx"), de, es
  }
}

}  // namespace
