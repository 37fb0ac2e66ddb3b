// regimen l10n: translator tools. `export --po` writes a locale's texts as a gettext PO file,
// `import` turns a translated PO file into the locale's Translations textproto, and `speak`
// measures every spoken text with espeak-ng and stores the durations as speak_ms.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/text_format.h"
#include "regimen/l10n.h"
#include "regimen/plan.h"
#include "regimen/v1/l10n.pb.h"
#include "tools/regimen/cli_util.h"
#include "tools/regimen/commands.h"
#include "tools/regimen/po_file.h"

extern char** environ;

namespace regimen::cli {

const CommandHelp kL10nHelp = {
    "l10n",
    "l10n export --po LOCALE [-o FILE.po] [--catalog F] | "
    "l10n import FILE.po [--locale TAG] [-o FILE] [--catalog F] | "
    "l10n speak LOCALE [--voice V] [--wpm N] [-o FILE] [--catalog F]",
    "translator tools: a locale's texts as a gettext PO file and back, measured speaking times",
    "export --po writes every text of the pack as a gettext PO file for LOCALE (a BCP 47 tag):\n"
    "msgctxt is the message id, msgid the source text, msgstr the pack's translation (empty for\n"
    "a new locale), and a #. comment says what holds the text and what it is for. A translation\n"
    "made from an older source text is marked fuzzy, with that text as the previous msgid.\n"
    "\n"
    "import reads a translated PO file (the locale from its Language header, or --locale) and\n"
    "writes the locale's regimen.v1.Translations textproto, in the order of the pack's\n"
    "translation (new texts in pack order), and reports on stderr the missing, fuzzy (left out)\n"
    "and obsolete (not in the pack) entries. A fuzzy entry with a previous msgid is kept as an\n"
    "outdated translation, so a round trip loses nothing. A malformed PO file fails (exit 1)\n"
    "with its file and line, and nothing is written.\n"
    "\n"
    "speak renders every spoken text of LOCALE with espeak-ng (Debian package espeak-ng), prints\n"
    "the estimate at the locale's words per minute beside the measured time, and writes the\n"
    "locale's Translations with the measured speak_ms. For the pack's source locale it prints\n"
    "the table only (its speaking times are the cues' speak_ms in the pack).\n"
    "\n"
    "Output goes to -o FILE, else stdout; an existing -o file keeps its leading comment block.\n",
    {
        {"--po", "LOCALE", "export: the locale to write a PO file for"},
        {"-o", "FILE", "the file to write instead of stdout"},
        {"--locale", "TAG", "import: the locale, instead of the PO header's Language"},
        {"--voice", "V", "speak: the espeak-ng voice (default: the locale's language, e.g. de)"},
        {"--wpm", "N", "speak: espeak-ng's speaking rate, words per minute (default 150)"},
        {"--catalog", "F",
         "the content pack to read instead of the built-in one (with its translation files)"},
    },
    {
        {"FILE.po", nullptr,
         "a gettext PO file, as l10n export --po writes it (any PO editor or msgmerge keeps it "
         "valid)",
         false},
    },
    "regimen l10n export --po de",
};

namespace {

// The pack's translation into `locale` (canonical), or nullptr.
const v1::Translations* FindTranslations(const v1::Catalog& pack, const std::string& locale) {
  for (const v1::Translations& translations : pack.translations()) {
    absl::StatusOr<std::string> tag = CanonicalLocale(translations.locale());
    if (tag.ok() && *tag == locale) return &translations;
  }
  return nullptr;
}

std::map<std::string, const v1::Translation*> ById(const v1::Translations* translations) {
  std::map<std::string, const v1::Translation*> by_id;
  if (translations == nullptr) return by_id;
  for (const v1::Translation& t : translations->messages()) by_id[t.id()] = &t;
  return by_id;
}

// `text` to `path`, or to stdout when there is none.
int WriteOutput(const std::optional<std::string>& path, const std::string& text) {
  if (!path.has_value()) {
    std::cout << text;
    std::cout.flush();
    return std::cout ? 0 : Fail(absl::UnavailableError("cannot write to stdout"));
  }
  std::ofstream out(*path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Fail(absl::UnavailableError(absl::StrCat("cannot write ", *path)));
  return 0;
}

constexpr char kTextprotoHeader[] =
    "# proto-file: regimen/v1/l10n.proto\n# proto-message: regimen.v1.Translations\n";

// The comment block a rewritten file keeps: the leading '#' lines (and blank lines among them)
// of the existing file at `path`; the proto-file header lines for a new file.
std::string LeadingComments(const std::optional<std::string>& path) {
  std::string kept;
  if (path.has_value()) {
    std::ifstream in(*path);
    std::string line;
    std::string pending;  // blank lines, kept only when a comment follows
    while (std::getline(in, line)) {
      if (absl::StartsWith(line, "#")) {
        absl::StrAppend(&kept, pending, line, "\n");
        pending.clear();
      } else if (absl::StripAsciiWhitespace(line).empty()) {
        pending += "\n";
      } else {
        break;
      }
    }
  }
  if (!absl::StrContains(kept, "# proto-message:")) kept = kTextprotoHeader + kept;
  return kept;
}

// The text format of `translations`, diff-friendly: a message per line when it fits in 100
// columns, else one field per line; a blank line where the id's first part changes
// ("condition." after "catalog.", and between exercises). Strings are escaped by protobuf's printer
// (UTF-8 kept).
std::string FormatTranslations(const v1::Translations& translations, const std::string& header) {
  google::protobuf::TextFormat::Printer line_printer;
  line_printer.SetSingleLineMode(true);
  line_printer.SetUseUtf8StringEscaping(true);
  google::protobuf::TextFormat::Printer block_printer;
  block_printer.SetInitialIndentLevel(1);
  block_printer.SetUseUtf8StringEscaping(true);

  v1::Translations top = translations;
  top.clear_messages();
  std::string out = header;
  std::string fields;
  google::protobuf::TextFormat::Printer top_printer;
  top_printer.SetUseUtf8StringEscaping(true);
  top_printer.PrintToString(top, &fields);
  absl::StrAppend(&out, fields);

  std::string group = "\x01";
  for (const v1::Translation& message : translations.messages()) {
    std::vector<absl::string_view> parts = absl::StrSplit(message.id(), '.');
    const std::string first = parts[0] == "exercise" && parts.size() > 1
                                  ? absl::StrCat(parts[0], ".", parts[1])
                                  : std::string(parts[0]);
    if (first != group) out += "\n";
    group = first;
    std::string line;
    line_printer.PrintToString(message, &line);
    line = absl::StrCat("messages { ", absl::StripTrailingAsciiWhitespace(line), " }");
    if (line.size() <= 100) {
      absl::StrAppend(&out, line, "\n");
    } else {
      std::string block;
      block_printer.PrintToString(message, &block);
      absl::StrAppend(&out, "messages {\n", block, "}\n");
    }
  }
  return out;
}

// "de" for "de-AT": the language subtag.
std::string Language(const std::string& locale) { return locale.substr(0, locale.find('-')); }

// The locale argument canonicalized; the error names the argument.
absl::StatusOr<std::string> LocaleArg(const std::string& what, const std::string& tag) {
  absl::StatusOr<std::string> locale = CanonicalLocale(tag);
  if (!locale.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " \"", tag,
        "\" is not a BCP 47 language tag (e.g. de, de-AT, pt-BR): ", locale.status().message()));
  }
  return locale;
}

// Usage error unless every flag given is one of `allowed`.
std::optional<std::string> OnlyFlags(const Args& args, const std::string& subcommand,
                                     const std::vector<std::string>& allowed) {
  for (const OptionHelp& option : kL10nHelp.options) {
    if (args.Has(option.flag) &&
        std::find(allowed.begin(), allowed.end(), option.flag) == allowed.end()) {
      return absl::StrCat(option.flag, " does not apply to l10n ", subcommand);
    }
  }
  return std::nullopt;
}

// --- export ---------------------------------------------------------------------------------

int Export(const Args& args, const char* usage) {
  if (auto bad = OnlyFlags(args, "export", {"--po", "-o", "--catalog"})) {
    return UsageError(*bad, usage);
  }
  if (args.positional().size() > 1) {
    return UsageError(absl::StrCat("unexpected argument ", args.positional()[1]), usage);
  }
  const std::optional<std::string> tag = args.Get("--po");
  if (!tag.has_value()) return UsageError("l10n export needs --po LOCALE", usage);
  absl::StatusOr<std::string> locale = LocaleArg("--po", *tag);
  if (!locale.ok()) return Fail(locale.status());
  absl::StatusOr<Catalog> catalog = LoadCatalog(args.Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  const v1::Catalog& pack = catalog->proto();
  if (*locale == catalog->Locale()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(*locale, " is the pack's source locale; export a locale to translate into (",
                     absl::StrJoin(catalog->Locales(), ", "), ", or a new one)")));
  }
  const v1::Translations* translations = FindTranslations(pack, *locale);
  std::map<std::string, const v1::Translation*> by_id = ById(translations);

  PoFile po;
  po.header = absl::StrCat("Project-Id-Version: ", pack.id(), pack.version().empty() ? "" : " ",
                           pack.version(), "\nLanguage: ", *locale,
                           "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
                           "Content-Transfer-Encoding: 8bit\n");
  if (translations != nullptr) {
    if (!translations->name().empty()) {
      absl::StrAppend(&po.header, "X-Regimen-Language-Name: ", translations->name(), "\n");
    }
    if (translations->words_per_minute() != 0) {
      absl::StrAppend(&po.header, "X-Regimen-Words-Per-Minute: ", translations->words_per_minute(),
                      "\n");
    }
  }
  size_t translated = 0, fuzzy = 0;
  std::map<std::string, bool> in_pack;
  for (const CatalogMessage& message : CatalogMessages(pack)) {
    in_pack[message.id] = true;
    if (message.text.empty()) continue;
    PoEntry entry;
    entry.context = message.id;
    entry.id = message.text;
    entry.extracted_comments = message.comment;
    if (auto it = by_id.find(message.id); it != by_id.end() && !it->second->text().empty()) {
      entry.str = it->second->text();
      ++translated;
      const std::string& source = it->second->source();
      if (!source.empty() && source != message.text) {
        entry.fuzzy = true;
        entry.previous_id = source;
        ++fuzzy;
      }
    }
    po.entries.push_back(std::move(entry));
  }
  // Translations of texts the pack no longer has, as gettext keeps them: obsolete ("#~").
  size_t obsolete = 0;
  if (translations != nullptr) {
    for (const v1::Translation& t : translations->messages()) {
      if (in_pack.count(t.id()) != 0 || t.text().empty()) continue;
      PoEntry entry;
      entry.context = t.id();
      entry.id = t.source().empty() ? t.id() : t.source();
      entry.str = t.text();
      entry.obsolete = true;
      po.entries.push_back(std::move(entry));
      ++obsolete;
    }
  }
  absl::StatusOr<std::string> text = FormatPo(po);
  if (!text.ok()) return Fail(text.status());
  if (int rc = WriteOutput(args.Get("-o"), *text); rc != 0) return rc;
  std::cerr << "exported " << *locale << ": " << po.entries.size() - obsolete << " messages, "
            << translated << " translated (" << fuzzy << " fuzzy: the source text changed), "
            << obsolete << " obsolete\n";
  return 0;
}

// --- import ---------------------------------------------------------------------------------

int Import(const Args& args, const char* usage) {
  if (auto bad = OnlyFlags(args, "import", {"--locale", "-o", "--catalog"})) {
    return UsageError(*bad, usage);
  }
  if (args.positional().size() != 2) {
    return UsageError("l10n import takes one FILE.po", usage);
  }
  const std::string& path = args.positional()[1];
  absl::StatusOr<PoFile> po = ReadPoFile(path);
  if (!po.ok()) return Fail(po.status());
  std::string tag = args.Get("--locale").value_or(PoHeaderField(po->header, "Language"));
  if (tag.empty()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(path, ": the header has no Language; give --locale TAG")));
  }
  // gettext writes "de_AT"; BCP 47 says "de-AT".
  if (!args.Has("--locale")) std::replace(tag.begin(), tag.end(), '_', '-');
  absl::StatusOr<std::string> locale =
      LocaleArg(args.Has("--locale") ? "--locale" : absl::StrCat(path, ": Language"), tag);
  if (!locale.ok()) return Fail(locale.status());
  absl::StatusOr<Catalog> catalog = LoadCatalog(args.Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  const v1::Catalog& pack = catalog->proto();
  if (*locale == catalog->Locale()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat(*locale, " is the pack's source locale, not a translation")));
  }
  const v1::Translations* existing = FindTranslations(pack, *locale);
  std::map<std::string, const v1::Translation*> existing_by_id = ById(existing);

  std::map<std::string, const PoEntry*> entries;  // msgctxt → entry, live ones only
  std::vector<std::string> obsolete, fuzzy, missing, outdated;
  for (const PoEntry& entry : po->entries) {
    if (entry.obsolete) {
      obsolete.push_back(entry.context.empty() ? entry.id : entry.context);
    } else {
      entries[entry.context] = &entry;
    }
  }

  v1::Translations out;
  out.set_locale(*locale);
  std::string name = PoHeaderField(po->header, "X-Regimen-Language-Name");
  if (name.empty() && existing != nullptr) name = existing->name();
  out.set_name(name);
  uint32_t wpm = 0;
  if (!absl::SimpleAtoi(PoHeaderField(po->header, "X-Regimen-Words-Per-Minute"), &wpm) &&
      existing != nullptr) {
    wpm = existing->words_per_minute();
  }
  out.set_words_per_minute(wpm);

  // The existing translation's order, so that a re-import changes only what changed; texts
  // new to the locale follow in pack order.
  std::vector<CatalogMessage> messages = CatalogMessages(pack);
  std::map<std::string, size_t> position;
  if (existing != nullptr) {
    for (const v1::Translation& t : existing->messages()) position.emplace(t.id(), position.size());
  }
  std::stable_sort(messages.begin(), messages.end(),
                   [&position](const CatalogMessage& a, const CatalogMessage& b) {
                     auto pa = position.find(a.id), pb = position.find(b.id);
                     const size_t ia = pa == position.end() ? SIZE_MAX : pa->second;
                     const size_t ib = pb == position.end() ? SIZE_MAX : pb->second;
                     return ia < ib;
                   });
  std::map<std::string, bool> in_pack;
  for (const CatalogMessage& message : messages) {
    in_pack[message.id] = true;
    if (message.text.empty()) continue;
    auto found = entries.find(message.id);
    if (found == entries.end() || found->second->str.empty()) {
      missing.push_back(message.id);
      continue;
    }
    const PoEntry& entry = *found->second;
    std::string source = entry.id;
    if (entry.fuzzy) {
      // Only what export marked (a translation of an older source, given as the previous
      // msgid) is kept, as outdated; any other fuzzy entry still needs the translator.
      if (entry.previous_id.empty() || entry.id != message.text) {
        fuzzy.push_back(message.id);
        continue;
      }
      source = entry.previous_id;
    }
    if (source != message.text) outdated.push_back(message.id);
    v1::Translation* t = out.add_messages();
    t->set_id(message.id);
    t->set_text(entry.str);
    // A measured or given speaking time holds for the words it was measured for only.
    if (auto old = existing_by_id.find(message.id);
        old != existing_by_id.end() && old->second->text() == entry.str) {
      t->set_speak_ms(old->second->speak_ms());
    }
    t->set_source(source);
  }
  for (const PoEntry& entry : po->entries) {
    if (!entry.obsolete && in_pack.count(entry.context) == 0) {
      obsolete.push_back(entry.context.empty() ? absl::StrCat("(no msgctxt) ", entry.id)
                                               : entry.context);
    }
  }

  const std::optional<std::string> output = args.Get("-o");
  if (int rc = WriteOutput(output, FormatTranslations(out, LeadingComments(output))); rc != 0) {
    return rc;
  }
  std::cerr << "imported " << *locale << " from " << path << ": " << out.messages_size()
            << " translated, " << missing.size() << " missing, " << fuzzy.size() << " fuzzy, "
            << obsolete.size() << " obsolete\n";
  const std::pair<const char*, const std::vector<std::string>*> lists[] = {
      {"missing (no translation)", &missing},
      {"fuzzy (left out: the translation needs review)", &fuzzy},
      {"obsolete (not in the pack, left out)", &obsolete},
      {"outdated (translated from an older source text: kept; source changed)", &outdated},
  };
  for (const auto& [what, ids] : lists) {
    if (!ids->empty()) std::cerr << "  " << what << ": " << absl::StrJoin(*ids, ", ") << "\n";
  }
  return 0;
}

// --- speak ----------------------------------------------------------------------------------

// The executable `name` on PATH, "" when there is none.
std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path == nullptr ? "" : path, ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The duration of a PCM WAV file, ms: the data chunk's bytes over the byte rate.
absl::StatusOr<int64_t> WavDurationMs(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  const std::string& b = *bytes;
  auto u32 = [&b](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
  };
  if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a WAV file"));
  }
  uint32_t byte_rate = 0;
  for (size_t at = 12; at + 8 <= b.size();) {
    const std::string id = b.substr(at, 4);
    const uint64_t size = u32(at + 4);
    if (id == "fmt " && at + 16 <= b.size()) byte_rate = u32(at + 8 + 8);
    if (id == "data") {
      // A stream that was not finalized may say more than there is.
      const uint64_t data = std::min<uint64_t>(size, b.size() - (at + 8));
      if (byte_rate == 0) {
        return absl::InvalidArgumentError(absl::StrCat(path, ": no fmt chunk before data"));
      }
      return static_cast<int64_t>(std::llround(1000.0 * static_cast<double>(data) / byte_rate));
    }
    at += 8 + size + (size & 1);
  }
  return absl::InvalidArgumentError(absl::StrCat(path, ": no data chunk"));
}

// Runs espeak-ng on `text` into `wav` (no shell: an argument vector). Its output is discarded.
absl::Status Espeak(const std::string& program, const std::string& voice, uint32_t wpm,
                    const std::string& wav, const std::string& text) {
  std::vector<std::string> argv_strings = {program, "-v", voice, "-s", std::to_string(wpm),
                                           "-w",    wav,  text};
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return absl::UnavailableError(absl::StrCat("cannot run ", program));
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::UnavailableError(absl::StrCat("espeak-ng -v ", voice, " failed on \"", text,
                                               "\" (is the voice there? ",
                                               "espeak-ng --voices lists them)"));
  }
  return absl::OkStatus();
}

int Speak(const Args& args, const char* usage) {
  if (auto bad = OnlyFlags(args, "speak", {"--voice", "--wpm", "-o", "--catalog"})) {
    return UsageError(*bad, usage);
  }
  if (args.positional().size() != 2) return UsageError("l10n speak takes one LOCALE", usage);
  absl::StatusOr<std::string> locale = LocaleArg("LOCALE", args.positional()[1]);
  if (!locale.ok()) return Fail(locale.status());
  uint32_t espeak_wpm = 150;
  if (std::optional<std::string> wpm = args.Get("--wpm"); wpm.has_value()) {
    if (!absl::SimpleAtoi(*wpm, &espeak_wpm) || espeak_wpm < 80 || espeak_wpm > 450) {
      return UsageError(absl::StrCat("--wpm must be 80..450 (espeak-ng's range), got ", *wpm),
                        usage);
    }
  }
  absl::StatusOr<Catalog> catalog = LoadCatalog(args.Get("--catalog"));
  if (!catalog.ok()) return Fail(catalog.status());
  absl::StatusOr<LocalizedCatalog> localized = catalog->Localize(*locale);
  if (!localized.ok()) return Fail(localized.status());
  if (!localized->note.empty()) return Fail(absl::NotFoundError(localized->note));
  const bool source_locale = localized->locale == catalog->Locale();
  const std::optional<std::string> output = args.Get("-o");
  if (source_locale && output.has_value()) {
    return UsageError(absl::StrCat(localized->locale,
                                   " is the pack's source locale: its speaking times are the "
                                   "cues' speak_ms in the pack; speak prints them without -o"),
                      usage);
  }
  const std::string program = FindProgram("espeak-ng");
  if (program.empty()) {
    return Fail(absl::FailedPreconditionError(
        "espeak-ng not found: apt-get install espeak-ng (scripts/setup installs it)"));
  }
  const std::string voice = args.Get("--voice").value_or(Language(localized->locale));

  const v1::Catalog& pack = catalog->proto();
  const v1::Translations* translations = FindTranslations(pack, localized->locale);
  // The locale's estimate rate: the translation's, else the pack's, else 150.
  uint32_t rate = translations != nullptr ? translations->words_per_minute() : 0;
  if (rate == 0) rate = pack.words_per_minute() != 0 ? pack.words_per_minute() : 150;
  std::map<std::string, std::string> words;  // id → the text in the locale
  for (const CatalogMessage& message : CatalogMessages(localized->catalog.proto())) {
    words[message.id] = message.text;
  }
  std::map<std::string, const v1::Translation*> translated = ById(translations);

  char wav[] = "/tmp/regimen-speak-XXXXXX";
  const int fd = mkstemp(wav);
  if (fd < 0) return Fail(absl::InternalError("cannot create a temporary file"));
  close(fd);
  struct Row {
    std::string id;
    int64_t estimate, measured;
  };
  std::vector<Row> rows;
  std::vector<std::string> untranslated;
  for (const CatalogMessage& message : CatalogMessages(pack)) {
    if (!message.spoken) continue;
    if (!source_locale && translated.count(message.id) == 0) {
      untranslated.push_back(message.id);
      continue;
    }
    const std::string& text = words[message.id];
    absl::Status spoken = Espeak(program, voice, espeak_wpm, wav, text);
    absl::StatusOr<int64_t> ms = spoken.ok() ? WavDurationMs(wav) : absl::StatusOr<int64_t>(spoken);
    if (!ms.ok()) {
      unlink(wav);
      return Fail(ms.status());
    }
    rows.push_back({message.id, EstimateSpeakMs(text, rate), *ms});
  }
  unlink(wav);

  // The table, and how the estimate compares.
  std::cerr << absl::StrFormat("%-58s %8s %8s %6s\n", "message", "estimate", "espeak", "ratio");
  std::vector<std::pair<double, std::string>> ratios;
  for (const Row& row : rows) {
    const double ratio = row.estimate > 0 ? static_cast<double>(row.measured) / row.estimate : 0;
    ratios.push_back({ratio, row.id});
    std::cerr << absl::StrFormat("%-58s %6d ms %6d ms %6.2f\n", row.id, row.estimate, row.measured,
                                 ratio);
  }
  std::sort(ratios.begin(), ratios.end());
  if (!ratios.empty()) {
    const size_t n = ratios.size();
    const double median =
        n % 2 == 1 ? ratios[n / 2].first : (ratios[n / 2 - 1].first + ratios[n / 2].first) / 2;
    std::cerr << absl::StrFormat(
        "%s: %d spoken texts measured with espeak-ng -v %s -s %d; measured / estimate (at %d "
        "words per minute): median %.2f, min %.2f (%s), max %.2f (%s)\n",
        localized->locale, n, voice, espeak_wpm, rate, median, ratios.front().first,
        ratios.front().second, ratios.back().first, ratios.back().second);
  }
  if (!untranslated.empty()) {
    std::cerr << "  not measured (no translation): " << absl::StrJoin(untranslated, ", ") << "\n";
  }
  if (source_locale || translations == nullptr) return 0;

  v1::Translations out = *translations;
  std::map<std::string, int64_t> measured;
  for (const Row& row : rows) measured[row.id] = row.measured;
  for (v1::Translation& t : *out.mutable_messages()) {
    if (auto it = measured.find(t.id()); it != measured.end()) t.set_speak_ms(it->second);
  }
  return WriteOutput(output, FormatTranslations(out, LeadingComments(output)));
}

}  // namespace

int RunL10n(const std::vector<std::string>& raw) {
  const char* usage = kL10nHelp.synopsis;
  absl::StatusOr<Args> args = Args::Parse(raw, kL10nHelp);
  if (!args.ok()) return UsageError(args.status().message(), usage);
  const std::string subcommand = args->positional().empty() ? "" : args->positional()[0];
  if (subcommand == "export") return Export(*args, usage);
  if (subcommand == "import") return Import(*args, usage);
  if (subcommand == "speak") return Speak(*args, usage);
  return UsageError(subcommand.empty()
                        ? std::string("l10n needs a subcommand: export, import or speak")
                        : absl::StrCat("unknown l10n subcommand ", subcommand,
                                       "; the subcommands are export, import, speak"),
                    usage);
}

}  // namespace regimen::cli
