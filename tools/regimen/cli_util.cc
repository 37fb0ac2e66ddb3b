#include "tools/regimen/cli_util.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "regimen/progression.h"

namespace regimen::cli {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& args,
                                 const std::vector<std::string>& value_flags,
                                 const std::vector<std::string>& bool_flags) {
  auto known = [](const std::vector<std::string>& flags, const std::string& name) {
    for (const std::string& flag : flags) {
      if (flag == name) return true;
    }
    return false;
  };
  auto unknown = [&](const std::string& name) {
    std::vector<std::string> all = value_flags;
    all.insert(all.end(), bool_flags.begin(), bool_flags.end());
    all.push_back("--help");
    return absl::InvalidArgumentError(
        absl::StrCat("unknown option ", name, "; the options are ", absl::StrJoin(all, ", ")));
  };
  Args out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // A one-dash flag ("-o") is a flag only when the command has it.
    const bool short_flag = arg.size() > 1 && arg[0] == '-' && arg[1] != '-';
    if (short_flag && !known(value_flags, arg) && !known(bool_flags, arg)) return unknown(arg);
    if (!short_flag && (!absl::StartsWith(arg, "--") || arg == "--")) {
      out.positional_.push_back(arg);
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (known(bool_flags, name)) {
      if (value.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(name, " takes no value"));
      }
      out.values_.emplace_back(name, "");
    } else if (known(value_flags, name)) {
      if (!value.has_value()) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
        }
        value = args[++i];
      }
      out.values_.emplace_back(name, *value);
    } else {
      return unknown(name);
    }
  }
  return out;
}

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& args, const CommandHelp& help) {
  std::vector<std::string> value_flags;
  std::vector<std::string> bool_flags;
  for (const OptionHelp& option : help.options) {
    (option.value != nullptr ? value_flags : bool_flags).push_back(option.flag);
  }
  return Parse(args, value_flags, bool_flags);
}

std::optional<std::string> Args::Get(absl::string_view flag) const {
  std::optional<std::string> found;
  for (const auto& [name, value] : values_) {
    if (name == flag) found = value;  // the last one wins
  }
  return found;
}

std::vector<std::string> Args::GetAll(absl::string_view flag) const {
  std::vector<std::string> all;
  for (const auto& [name, value] : values_) {
    if (name == flag) all.push_back(value);
  }
  return all;
}

bool Args::Has(absl::string_view flag) const {
  for (const auto& entry : values_) {
    if (entry.first == flag) return true;
  }
  return false;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size > static_cast<std::streamoff>(kMaxInputBytes)) {
    return absl::ResourceExhaustedError(
        absl::StrCat(path, " is ", size, " bytes; the limit is ", kMaxInputBytes, " (4 MiB)"));
  }
  in.seekg(0, std::ios::beg);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("cannot read ", path));
  return contents.str();
}

Format GuessFormat(const std::string& path, absl::string_view contents) {
  const std::string lower = absl::AsciiStrToLower(path);
  if (absl::EndsWith(lower, ".json")) return Format::kJson;
  for (const char* ext : {".textproto", ".txtpb", ".pbtxt", ".txt"}) {
    if (absl::EndsWith(lower, ext)) return Format::kText;
  }
  for (const char* ext : {".pb", ".bin", ".binpb"}) {
    if (absl::EndsWith(lower, ext)) return Format::kBinary;
  }
  absl::string_view trimmed = absl::StripLeadingAsciiWhitespace(contents);
  if (!trimmed.empty() && trimmed.front() == '{') return Format::kJson;
  return Format::kText;
}

namespace {

// "FILE: message", and where the parser gave a position, the offending line with a caret under
// the column (tabs kept, so that the caret lines up).
absl::Status InFile(const std::string& path, absl::string_view contents, const absl::Status& status,
                    InputPosition where) {
  std::string message = absl::StrCat(path, ": ", status.message());
  if (where.line > 0) {
    size_t begin = 0;
    for (int i = 1; i < where.line && begin != absl::string_view::npos; ++i) {
      begin = contents.find('\n', begin);
      if (begin != absl::string_view::npos) ++begin;
    }
    if (begin != absl::string_view::npos) {
      absl::string_view line = contents.substr(begin, contents.find('\n', begin) - begin);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      std::string caret;
      int column = 1;
      for (size_t i = 0; i < line.size() && column < where.column; ++i) {
        if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
        caret += line[i] == '\t' ? '\t' : ' ';
        ++column;
      }
      absl::StrAppend(&message, "\n  ", line, "\n  ", caret, "^");
    }
  }
  return absl::Status(status.code(), message);
}

}  // namespace

std::vector<std::string> SiblingTranslationFiles(const std::string& pack_path) {
  namespace fs = std::filesystem;
  const fs::path pack(pack_path);
  const std::string stem = pack.stem().string();
  const std::string extension = pack.extension().string();
  std::vector<std::string> out;
  std::error_code error;
  const fs::path dir = pack.has_parent_path() ? pack.parent_path() : fs::path(".");
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    // "<stem>.<locale><extension>": one more dot-separated part than the pack's name.
    if (name.size() <= stem.size() + 1 + extension.size() || name.rfind(stem + ".", 0) != 0 ||
        name.substr(name.size() - extension.size()) != extension) {
      continue;
    }
    const std::string middle =
        name.substr(stem.size() + 1, name.size() - stem.size() - 1 - extension.size());
    if (middle.empty() || middle.find('.') != std::string::npos) continue;
    out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status AddSiblingTranslations(const std::string& pack_path, v1::Catalog* catalog) {
  for (const std::string& file : SiblingTranslationFiles(pack_path)) {
    absl::StatusOr<std::string> contents = ReadFile(file);
    if (!contents.ok()) return contents.status();
    v1::Translations translations;
    InputPosition where;
    absl::Status parsed =
        ParseMessage(*contents, GuessFormat(file, *contents), &translations, &where);
    if (!parsed.ok()) return InFile(file, *contents, parsed, where);
    bool inline_already = false;  // the pack's own translations of that locale win
    for (const v1::Translations& own : catalog->translations()) {
      inline_already |= own.locale() == translations.locale();
    }
    if (!inline_already) *catalog->add_translations() = std::move(translations);
  }
  return absl::OkStatus();
}

absl::StatusOr<Catalog> LoadCatalog(const std::optional<std::string>& path) {
  if (!path.has_value() || path->empty()) return Catalog::Default();
  absl::StatusOr<std::string> contents = ReadFile(*path);
  if (!contents.ok()) return contents.status();
  v1::Catalog proto;
  InputPosition where;
  absl::Status parsed = ParseMessage(*contents, GuessFormat(*path, *contents), &proto, &where);
  if (!parsed.ok()) return InFile(*path, *contents, parsed, where);
  if (absl::Status added = AddSiblingTranslations(*path, &proto); !added.ok()) return added;
  absl::StatusOr<Catalog> catalog = Catalog::FromProto(std::move(proto));
  if (!catalog.ok()) {
    return absl::Status(catalog.status().code(),
                        absl::StrCat(*path, ": ", catalog.status().message()));
  }
  return catalog;
}

namespace {

// A Routine, or the routine of a ProgressDecision, from a file. JSON and text name their fields,
// so only one of the two parses; binary may parse as both: the routine with blocks wins.
absl::StatusOr<v1::Routine> ReadRoutineFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFile(path);
  if (!contents.ok()) return contents.status();
  const Format format = GuessFormat(path, *contents);
  v1::Routine routine;
  InputPosition routine_at;
  const absl::Status as_routine = ParseMessage(*contents, format, &routine, &routine_at);
  v1::ProgressDecision decision;
  InputPosition decision_at;
  const absl::Status as_decision = ParseMessage(*contents, format, &decision, &decision_at);
  if (as_routine.ok() && (!as_decision.ok() || routine.blocks_size() > 0)) return routine;
  if (as_decision.ok()) {
    if (!decision.has_routine()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": a ProgressDecision without a routine"));
    }
    return decision.routine();
  }
  // Neither: report the parse that got further, the shape the file was meant to have.
  const bool decision_further =
      decision_at.line > routine_at.line ||
      (decision_at.line == routine_at.line && decision_at.column > routine_at.column);
  if (decision_further) return InFile(path, *contents, as_decision, decision_at);
  return InFile(path, *contents, as_routine, routine_at);
}

}  // namespace

absl::StatusOr<v1::Routine> LoadRoutine(const Catalog& catalog, const std::string& id_or_path) {
  std::error_code error;
  if (std::filesystem::exists(id_or_path, error) &&
      !std::filesystem::is_directory(id_or_path, error)) {
    return ReadRoutineFile(id_or_path);
  }
  if (const v1::Routine* routine = catalog.FindRoutine(id_or_path); routine != nullptr) {
    return *routine;
  }
  std::vector<std::string> ids;
  for (const v1::Routine& routine : catalog.proto().routines()) ids.push_back(routine.id());
  return absl::NotFoundError(absl::StrCat("no file and no routine \"", id_or_path,
                                          "\"; the routines of catalog ", catalog.proto().id(),
                                          " are ", absl::StrJoin(ids, ", ")));
}

InputHelp RoutineInput() {
  return {"ROUTINE", &v1::Routine::descriptor,
          "a routine id of the catalog (regimen catalog list), or a file holding a Routine\n"
          "(what regimen generate prints; e.g. examples/cli/routine.json) or a ProgressDecision\n"
          "(what regimen progress and regimen next print: its \"routine\" is played). A block\n"
          "without a prescription, or a prescription field left out, takes the exercise's\n"
          "default"};
}

absl::Status ReadMessage(const std::string& path, google::protobuf::Message* message) {
  absl::StatusOr<std::string> contents = ReadFile(path);
  if (!contents.ok()) return contents.status();
  InputPosition where;
  absl::Status status = ParseMessage(*contents, GuessFormat(path, *contents), message, &where);
  if (!status.ok()) return InFile(path, *contents, status, where);
  return absl::OkStatus();
}

int PrintJson(const google::protobuf::Message& message) {
  SerializeOptions options;
  options.json_pretty = true;
  absl::StatusOr<std::string> json = SerializeMessage(message, Format::kJson, options);
  if (!json.ok()) return Fail(json.status());
  std::cout << *json;
  if (json->empty() || json->back() != '\n') std::cout << "\n";
  return 0;
}

int64_t UnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Fail(const absl::Status& status) {
  std::cerr << "regimen: " << status.message() << "\n";
  return 1;
}

int FailSession(const absl::Status& status) {
  Fail(status);
  if (status.code() == absl::StatusCode::kFailedPrecondition &&
      absl::StrContains(status.message(), "attestation")) {
    std::cerr << "regimen: a gated exercise runs only with the user's attestations: pass "
                 "--attest NAME for each one they give\n";
  }
  return 1;
}

int UsageError(absl::string_view message, absl::string_view usage) {
  const absl::string_view command = usage.substr(0, usage.find(' '));
  std::cerr << "regimen: " << message << "\nusage: regimen " << usage << "\n(regimen " << command
            << " --help tells more)\n";
  return 2;
}

}  // namespace regimen::cli
