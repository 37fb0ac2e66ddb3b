// BCP 47 language tags (RFC 5646): well-formedness, canonical case and the RFC 4647 lookup
// chain.
#include <cctype>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "regimen/l10n.h"

namespace regimen {
namespace {

bool AllOf(absl::string_view s, int (*test)(int)) {
  for (char c : s) {
    if (!test(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
bool Alpha(absl::string_view s) { return AllOf(s, isalpha); }
bool Digit(absl::string_view s) { return AllOf(s, isdigit); }
bool Alnum(absl::string_view s) { return AllOf(s, isalnum); }

absl::Status Malformed(absl::string_view tag, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("locale \"", tag, "\" is not a BCP 47 language tag: ", why,
                   " (examples: \"de\", \"de-AT\", \"es-419\", \"pt-BR\", \"zh-Hant-TW\")"));
}

}  // namespace

absl::StatusOr<std::string> CanonicalLocale(absl::string_view tag) {
  if (tag.empty()) return Malformed(tag, "it is empty");
  if (tag.size() > 64) return Malformed(tag.substr(0, 64), "longer than 64 characters");
  if (tag.find('_') != absl::string_view::npos) {
    std::string dashed(tag);
    for (char& c : dashed) c = c == '_' ? '-' : c;
    return Malformed(tag, absl::StrCat("subtags are separated by '-', not '_' (\"", dashed, "\")"));
  }
  std::vector<std::string> subtags = absl::StrSplit(tag, '-');
  for (std::string& s : subtags) {
    if (s.empty()) return Malformed(tag, "an empty subtag");
    if (s.size() > 8 || !Alnum(s)) {
      return Malformed(tag, absl::StrCat("subtag \"", s, "\" must be 1..8 letters or digits"));
    }
    absl::AsciiStrToLower(&s);
  }
  size_t i = 0;
  // Private use only ("x-whatever") or the language: 2..3 letters (ISO 639) or 5..8 (registered).
  if (subtags[0] == "x") {
    if (subtags.size() < 2) return Malformed(tag, "\"x\" needs a private-use subtag after it");
    return absl::AsciiStrToLower(tag);
  }
  const std::string& language = subtags[0];
  if (!Alpha(language) || language.size() < 2 || language.size() == 4) {
    return Malformed(tag,
                     absl::StrCat("the language \"", language, "\" must be 2, 3 or 5..8 letters"));
  }
  ++i;
  // Up to three extended language subtags of 3 letters (only after a 2..3 letter language).
  for (int ext = 0; ext < 3 && i < subtags.size() && language.size() <= 3 &&
                    subtags[i].size() == 3 && Alpha(subtags[i]);
       ++ext) {
    ++i;
  }
  if (i < subtags.size() && subtags[i].size() == 4 && Alpha(subtags[i])) {  // script: Title case
    subtags[i][0] = absl::ascii_toupper(subtags[i][0]);
    ++i;
  }
  if (i < subtags.size() && ((subtags[i].size() == 2 && Alpha(subtags[i])) ||
                             (subtags[i].size() == 3 && Digit(subtags[i])))) {
    absl::AsciiStrToUpper(&subtags[i]);  // region: upper case
    ++i;
  }
  // Variants: 5..8 alphanumerics, or 4 starting with a digit.
  while (i < subtags.size() && ((subtags[i].size() >= 5) ||
                                (subtags[i].size() == 4 && absl::ascii_isdigit(subtags[i][0])))) {
    ++i;
  }
  // Extensions ("u-co-phonebk") and private use ("x-…"): a singleton and 2..8 (x: 1..8) more.
  while (i < subtags.size()) {
    const std::string& singleton = subtags[i];
    if (singleton.size() != 1) {
      return Malformed(tag, absl::StrCat("subtag \"", singleton, "\" is out of place"));
    }
    ++i;
    const bool private_use = singleton == "x";
    size_t taken = 0;
    while (i < subtags.size() && (private_use || subtags[i].size() >= 2)) {
      ++i;
      ++taken;
    }
    if (taken == 0) {
      return Malformed(tag, absl::StrCat("\"", singleton, "\" needs a subtag after it"));
    }
  }
  return absl::StrJoin(subtags, "-");
}

std::vector<std::string> LocaleFallbacks(absl::string_view canonical_tag) {
  std::vector<std::string> chain;
  std::string tag(canonical_tag);
  while (!tag.empty()) {
    chain.push_back(tag);
    const size_t dash = tag.rfind('-');
    if (dash == std::string::npos) break;
    tag.resize(dash);
    // A trailing singleton goes with what followed it ("de-x-foo" → "de", not "de-x").
    const size_t before = tag.rfind('-');
    if (before != std::string::npos && tag.size() - before == 2) tag.resize(before);
  }
  return chain;
}

}  // namespace regimen
