// Helpers shared by the subcommands of the `regimen` tool: flags, files and catalogs.
#ifndef REGIMEN_TOOLS_REGIMEN_CLI_UTIL_H_
#define REGIMEN_TOOLS_REGIMEN_CLI_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "regimen/catalog.h"
#include "regimen/format.h"
#include "tools/regimen/help.h"

namespace regimen::cli {

// Parsed command line: positional arguments and --flag / --flag value / --flag=value options.
class Args {
 public:
  // `value_flags` take a value ("--catalog F"); `bool_flags` take none ("--record").
  // Errors: INVALID_ARGUMENT for an unknown flag (the message lists the known ones) or a missing
  // value.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& args,
                                    const std::vector<std::string>& value_flags,
                                    const std::vector<std::string>& bool_flags);
  // The same with the flags of `help.options` (a value flag where the option has a value).
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& args, const CommandHelp& help);

  const std::vector<std::string>& positional() const { return positional_; }
  // The flag's value (the last one when given more than once).
  std::optional<std::string> Get(absl::string_view flag) const;
  // Every value of a repeatable flag, in order ("--attest a --attest b").
  std::vector<std::string> GetAll(absl::string_view flag) const;
  bool Has(absl::string_view flag) const;

 private:
  std::vector<std::string> positional_;
  std::vector<std::pair<std::string, std::string>> values_;
};

// The whole file. Errors: NOT_FOUND (cannot open), RESOURCE_EXHAUSTED (over 4 MiB).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// The format a file name implies: ".json" JSON, ".textproto"/".txtpb"/".pbtxt"/".txt" text,
// ".pb"/".bin"/".binpb" binary; otherwise JSON when the first non-space byte is '{', else text.
Format GuessFormat(const std::string& path, absl::string_view contents);

// The translation files beside a pack file: "<dir>/back_care.de.textproto" for
// "<dir>/back_care.textproto" (one more dot-separated part, the same extension), sorted.
std::vector<std::string> SiblingTranslationFiles(const std::string& pack_path);
// Adds those files (regimen.v1.Translations, any format) to `catalog`'s translations, unless the
// pack already holds that locale. Errors name the file, line and column.
absl::Status AddSiblingTranslations(const std::string& pack_path, v1::Catalog* catalog);

// The catalog in `path` (any format, by GuessFormat), or the embedded pack when path is empty.
absl::StatusOr<Catalog> LoadCatalog(const std::optional<std::string>& path);

// The routine `id_or_path` names: an existing file holding a Routine (what `generate` prints) or
// a ProgressDecision (what `progress` and `next` print: its routine), in any format by
// GuessFormat; else the routine of that id in `catalog`. Errors: NOT_FOUND listing the catalog's
// routine ids; a file's parse error (with its line, column and caret).
absl::StatusOr<v1::Routine> LoadRoutine(const Catalog& catalog, const std::string& id_or_path);
// The help of a ROUTINE argument that LoadRoutine reads.
InputHelp RoutineInput();

// Reads and parses `path` into `message` (any format, by GuessFormat), naming the file in errors.
absl::Status ReadMessage(const std::string& path, google::protobuf::Message* message);

// Prints `message` as indented protobuf JSON (the field names hosts rely on) on stdout, ending
// in a newline; returns 0, or 1 (with the reason on stderr) when it cannot be written.
int PrintJson(const google::protobuf::Message& message);

// The wall clock, ms since 1970.
int64_t UnixMs();

// Prints "regimen: <message>" to stderr and returns 1.
int Fail(const absl::Status& status);
// Fail for a session that could not be made; a gate's refusal (FAILED_PRECONDITION) also says
// how to give the attestation (--attest NAME).
int FailSession(const absl::Status& status);
// Prints "regimen: <message>", the usage line and where to find help to stderr and returns 2.
int UsageError(absl::string_view message, absl::string_view usage);

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_CLI_UTIL_H_
