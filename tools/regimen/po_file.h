// GNU gettext PO files for `regimen l10n`, read and written with GNU gettext's libgettextpo
// (Debian libgettextpo-dev), so that quoting, line wrapping and comments are gettext's own.
//
//   PoFile po;
//   po.header = "Language: de\nContent-Type: text/plain; charset=UTF-8\n";
//   po.entries.push_back({.context = "catalog.name", .id = "Back care", .str = "Rückenpflege"});
//   absl::StatusOr<std::string> text = FormatPo(po);
//   absl::StatusOr<PoFile> back = ReadPoFile("de.po");
//
// Not thread-safe: libgettextpo keeps its error state in globals, so call these from one thread.
#ifndef REGIMEN_TOOLS_REGIMEN_PO_FILE_H_
#define REGIMEN_TOOLS_REGIMEN_PO_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regimen::cli {

// One message of a PO file (singular only: Regimen's texts have no plural forms).
struct PoEntry {
  std::string context;  // msgctxt: the message id
  std::string id;       // msgid: the source text
  std::string str;      // msgstr: the translation, "" for none
  // "#." comments, for the translator (lines separated by '\n').
  std::string extracted_comments;
  // "#|" previous msgid: the source text a fuzzy translation was made from.
  std::string previous_id;
  bool fuzzy = false;
  bool obsolete = false;  // "#~": kept by gettext tools, not part of the catalog
};

struct PoFile {
  // The header entry's msgstr ("Language: de\n..."), "" for none.
  std::string header;
  std::vector<PoEntry> entries;  // in file order, without the header entry
};

// Reads `path`. INVALID_ARGUMENT, listing every problem as "FILE:LINE:COLUMN: what" (as
// libgettextpo reports them), when the file is not valid PO; NOT_FOUND when it cannot be read.
absl::StatusOr<PoFile> ReadPoFile(const std::string& path);

// The PO text of `file` (UTF-8, lines wrapped as gettext wraps them). Errors: INTERNAL when
// libgettextpo fails to write.
absl::StatusOr<std::string> FormatPo(const PoFile& file);

// The value of `field` in a PO header ("Language"), "" when it is not there.
std::string PoHeaderField(absl::string_view header, absl::string_view field);

}  // namespace regimen::cli

#endif  // REGIMEN_TOOLS_REGIMEN_PO_FILE_H_
