// PO files through libgettextpo. Its error handlers must not return on a fatal error, so a fatal
// error jumps back to the call (longjmp) from C frames only; the C++ state lives outside them.
#include "tools/regimen/po_file.h"

#include <gettext-po.h>
#include <unistd.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace regimen::cli {
namespace {

// What libgettextpo reported during the current call ("FILE:LINE:COLUMN: what").
std::vector<std::string>* g_problems = nullptr;
bool g_failed = false;  // an error or fatal error was reported
std::jmp_buf g_fatal;   // where a fatal error returns to

// Records one problem; a fatal one jumps back to the call when `may_jump`.
void Record(int severity, const char* filename, size_t lineno, size_t column, const char* text,
            bool may_jump = true) {
  {
    std::string where;
    if (filename != nullptr) {
      where = filename;
      if (lineno != static_cast<size_t>(-1)) {
        absl::StrAppend(&where, ":", lineno);
        if (column != static_cast<size_t>(-1)) absl::StrAppend(&where, ":", column);
      }
      where += ": ";
    }
    const char* kind = severity == PO_SEVERITY_WARNING ? "warning: " : "";
    std::string message(absl::StripTrailingAsciiWhitespace(text == nullptr ? "" : text));
    if (g_problems != nullptr) g_problems->push_back(absl::StrCat(where, kind, message));
    if (severity != PO_SEVERITY_WARNING) g_failed = true;
  }  // the strings are gone before a jump
  if (may_jump && severity == PO_SEVERITY_FATAL_ERROR) std::longjmp(g_fatal, 1);
}

void XError(int severity, po_message_t, const char* filename, size_t lineno, size_t column, int,
            const char* text) {
  Record(severity, filename, lineno, column, text);
}

// A problem that refers to two messages (a duplicate, and where it was defined first).
void XError2(int severity, po_message_t, const char* filename1, size_t lineno1, size_t column1, int,
             const char* text1, po_message_t, const char* filename2, size_t lineno2, size_t column2,
             int, const char* text2) {
  Record(severity, filename1, lineno1, column1, text1, /*may_jump=*/false);
  Record(severity, filename2, lineno2, column2, text2);
}

const po_xerror_handler kHandler = {XError, XError2};

// The library calls, with nothing but trivially destructible locals between setjmp and a jump.
po_file_t ReadOrNull(const char* path) {
  if (setjmp(g_fatal) != 0) return nullptr;
  return po_file_read(path, &kHandler);
}

bool WriteOrFail(po_file_t file, const char* path) {
  if (setjmp(g_fatal) != 0) return false;
  return po_file_write(file, path, &kHandler) != nullptr;
}

std::string OrEmpty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

// Collects the problems of one call and puts the globals back.
class Problems {
 public:
  Problems() {
    g_problems = &list_;
    g_failed = false;
  }
  ~Problems() { g_problems = nullptr; }
  Problems(const Problems&) = delete;
  Problems& operator=(const Problems&) = delete;

  bool failed() const { return g_failed; }
  std::string Joined() const { return absl::StrJoin(list_, "\n"); }

 private:
  std::vector<std::string> list_;
};

}  // namespace

absl::StatusOr<PoFile> ReadPoFile(const std::string& path) {
  if (std::FILE* probe = std::fopen(path.c_str(), "r"); probe != nullptr) {
    std::fclose(probe);
  } else {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  Problems problems;
  po_file_t file = ReadOrNull(path.c_str());
  if (file == nullptr || problems.failed()) {
    if (file != nullptr) po_file_free(file);
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a valid PO file:\n", problems.Joined()));
  }
  PoFile result;
  result.header = OrEmpty(po_file_domain_header(file, nullptr));
  po_message_iterator_t it = po_message_iterator(file, nullptr);
  for (po_message_t m = po_next_message(it); m != nullptr; m = po_next_message(it)) {
    PoEntry entry;
    entry.context = OrEmpty(po_message_msgctxt(m));
    entry.id = OrEmpty(po_message_msgid(m));
    if (entry.id.empty() && po_message_msgctxt(m) == nullptr) continue;  // the header
    entry.str = OrEmpty(po_message_msgstr(m));
    entry.extracted_comments = OrEmpty(po_message_extracted_comments(m));
    entry.previous_id = OrEmpty(po_message_prev_msgid(m));
    entry.fuzzy = po_message_is_fuzzy(m) != 0;
    entry.obsolete = po_message_is_obsolete(m) != 0;
    result.entries.push_back(std::move(entry));
  }
  po_message_iterator_free(it);
  po_file_free(file);
  return result;
}

absl::StatusOr<std::string> FormatPo(const PoFile& po) {
  po_file_t file = po_file_create();
  po_message_iterator_t it = po_message_iterator(file, nullptr);
  po_message_t header = po_message_create();
  po_message_set_msgid(header, "");
  po_message_set_msgstr(header, po.header.c_str());
  po_message_insert(it, header);
  for (const PoEntry& entry : po.entries) {
    po_message_t m = po_message_create();
    po_message_set_msgctxt(m, entry.context.c_str());
    po_message_set_msgid(m, entry.id.c_str());
    po_message_set_msgstr(m, entry.str.c_str());
    if (!entry.extracted_comments.empty()) {
      po_message_set_extracted_comments(m, entry.extracted_comments.c_str());
    }
    if (!entry.previous_id.empty()) po_message_set_prev_msgid(m, entry.previous_id.c_str());
    po_message_set_fuzzy(m, entry.fuzzy ? 1 : 0);
    po_message_set_obsolete(m, entry.obsolete ? 1 : 0);
    po_message_insert(it, m);
  }
  po_message_iterator_free(it);

  // libgettextpo writes files only: write a temporary one and read it back.
  char path[] = "/tmp/regimen-po-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) {
    po_file_free(file);
    return absl::InternalError("cannot create a temporary file for the PO text");
  }
  close(fd);
  bool written;
  std::string problems_text;
  {
    Problems problems;
    written = WriteOrFail(file, path) && !problems.failed();
    problems_text = problems.Joined();
  }
  po_file_free(file);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  unlink(path);
  if (!written) return absl::InternalError(absl::StrCat("writing the PO text: ", problems_text));
  return text.str();
}

std::string PoHeaderField(absl::string_view header, absl::string_view field) {
  for (absl::string_view line : absl::StrSplit(header, '\n')) {
    if (absl::ConsumePrefix(&line, field) && absl::ConsumePrefix(&line, ":")) {
      return std::string(absl::StripAsciiWhitespace(line));
    }
  }
  return "";
}

}  // namespace regimen::cli
