// A small JSON scanner that knows where it is: syntax errors and field paths to byte offsets.
#include "src/common/json_position.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace regimen::internal {
namespace {

// One step of a field path: a field name, or an index into a list (name empty).
struct Step {
  std::string name;
  size_t index = 0;
};

// "routine.blocks[1].prescription" -> routine, blocks, [1], prescription. False when malformed.
bool ParsePath(absl::string_view path, std::vector<Step>* steps) {
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const size_t close = path.find(']', i);
      if (close == absl::string_view::npos) return false;
      Step step;
      if (!absl::SimpleAtoi(path.substr(i + 1, close - i - 1), &step.index)) return false;
      steps->push_back(step);
      i = close + 1;
      continue;
    }
    const size_t end = path.find_first_of(".[", i);
    steps->push_back({std::string(path.substr(i, end - i)), 0});
    i = end == absl::string_view::npos ? path.size() : end;
  }
  return true;
}

// Whether the JSON key names the proto field: the same, or its lowerCamelCase spelling.
bool KeyNames(absl::string_view key, absl::string_view field) {
  if (key == field) return true;
  std::string snake;
  for (const char c : key) {
    if (absl::ascii_isupper(c)) {
      snake += '_';
      snake += absl::ascii_tolower(c);
    } else {
      snake += c;
    }
  }
  return snake == field;
}

// Recursive descent over one JSON text. With a path set, it also records where the path leads.
class Scanner {
 public:
  explicit Scanner(absl::string_view text) : text_(text) {}

  // Scans the whole text; false at the first syntax error (offset() and what() say where/why).
  bool Document() {
    Space();
    if (!Value(0)) return false;
    Space();
    if (pos_ < text_.size()) return Fail("text after the end of the JSON value");
    return true;
  }

  void Aim(std::vector<Step> path, bool at_key) {
    path_ = std::move(path);
    at_key_ = at_key;
  }
  size_t target() const { return target_; }
  size_t offset() const { return pos_; }
  const std::string& what() const { return what_; }

 private:
  static constexpr int kMaxDepth = 200;

  bool Fail(absl::string_view what) {
    if (what_.empty()) what_ = std::string(what);
    return false;
  }
  void Space() {
    while (pos_ < text_.size() && absl::ascii_isspace(text_[pos_])) ++pos_;
  }
  bool Eat(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // True when `depth` steps of the path were followed to here and this is where it ends.
  bool Reached(size_t depth) const { return !path_.empty() && depth == path_.size(); }
  // Whether step `depth` of the path continues into the member `key` / the element `index`.
  bool Follows(size_t depth, bool on_path, absl::string_view key) const {
    return on_path && depth < path_.size() && !path_[depth].name.empty() &&
           KeyNames(key, path_[depth].name);
  }
  bool FollowsIndex(size_t depth, bool on_path, size_t index) const {
    return on_path && depth < path_.size() && path_[depth].name.empty() &&
           path_[depth].index == index;
  }

  // `depth`: how many path steps lead here, or -1 when off the path.
  bool Value(int depth) {
    if (++nesting_ > kMaxDepth) return Fail("nested too deeply");
    if (depth >= 0 && Reached(static_cast<size_t>(depth)) && target_ == kNoOffset) {
      target_ = pos_;
    }
    bool ok = false;
    if (pos_ >= text_.size()) {
      ok = Fail("unexpected end of input, expected a value");
    } else if (text_[pos_] == '{') {
      ok = Object(depth);
    } else if (text_[pos_] == '[') {
      ok = Array(depth);
    } else if (text_[pos_] == '"') {
      ok = String(nullptr);
    } else {
      ok = Scalar();
    }
    --nesting_;
    return ok;
  }

  bool Object(int depth) {
    ++pos_;
    Space();
    while (!Eat('}')) {
      const size_t key_at = pos_;
      std::string key;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (!String(&key)) return false;
      } else if (!Word(&key)) {
        return Fail("expected an object key or '}'");
      }
      const bool follows = Follows(static_cast<size_t>(depth < 0 ? 0 : depth), depth >= 0, key);
      const int next = follows ? depth + 1 : -1;
      if (follows && at_key_ && Reached(static_cast<size_t>(next)) && target_ == kNoOffset) {
        target_ = key_at;
      }
      Space();
      if (!Eat(':')) return Fail("expected ':' after the key");
      Space();
      if (!Value(next)) return false;
      Space();
      if (Eat(',')) {
        Space();
        continue;
      }
      if (!Eat('}')) return Fail("expected ',' or '}' after a member");
      break;
    }
    return true;
  }

  bool Array(int depth) {
    ++pos_;
    Space();
    size_t index = 0;
    while (!Eat(']')) {
      const bool follows =
          FollowsIndex(static_cast<size_t>(depth < 0 ? 0 : depth), depth >= 0, index);
      if (!Value(follows ? depth + 1 : -1)) return false;
      ++index;
      Space();
      if (Eat(',')) {
        Space();
        continue;
      }
      if (!Eat(']')) return Fail("expected ',' or ']' after an element");
      break;
    }
    return true;
  }

  bool String(std::string* out) {
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("control character in a string");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) break;
      }
      if (out != nullptr) *out += text_[pos_];
      ++pos_;
    }
    return Fail("unterminated string");
  }

  bool Word(std::string* out) {
    const size_t from = pos_;
    while (pos_ < text_.size() && (absl::ascii_isalnum(text_[pos_]) || text_[pos_] == '_')) {
      ++pos_;
    }
    *out = std::string(text_.substr(from, pos_ - from));
    return pos_ > from;
  }

  // A number, true, false or null (or any bare word protobuf might take, e.g. "Infinity").
  bool Scalar() {
    const size_t from = pos_;
    while (pos_ < text_.size() && (absl::ascii_isalnum(text_[pos_]) || text_[pos_] == '-' ||
                                   text_[pos_] == '+' || text_[pos_] == '.')) {
      ++pos_;
    }
    if (pos_ == from) return Fail("expected a value");
    return true;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int nesting_ = 0;
  std::vector<Step> path_;
  bool at_key_ = false;
  size_t target_ = kNoOffset;
  std::string what_;
};

}  // namespace

size_t JsonSyntaxError(absl::string_view json, std::string* what) {
  Scanner scanner(json);
  if (scanner.Document()) return kNoOffset;
  if (what != nullptr) *what = scanner.what();
  return scanner.offset();
}

size_t JsonErrorOffset(absl::string_view json, absl::string_view error) {
  // "(a.b[1]) key: …", "(a.b[1]): …" or "key: …".
  std::string path;
  bool at_key = false;
  if (!error.empty() && error[0] == '(') {
    const size_t close = error.find(')');
    if (close == absl::string_view::npos) return kNoOffset;
    path = std::string(error.substr(1, close - 1));
    absl::string_view rest = error.substr(close + 1);
    if (!rest.empty() && rest[0] == ' ') {
      const size_t colon = rest.find(':');
      if (colon == absl::string_view::npos) return kNoOffset;
      absl::StrAppend(&path, ".", rest.substr(1, colon - 1));
      at_key = true;
    }
  } else {
    const size_t colon = error.find(':');
    if (colon == absl::string_view::npos || colon == 0) return kNoOffset;
    path = std::string(error.substr(0, colon));
    if (path.find(' ') != std::string::npos) return kNoOffset;  // a sentence, not a field
    at_key = true;
  }
  std::vector<Step> steps;
  if (!ParsePath(path, &steps) || steps.empty()) return kNoOffset;
  Scanner scanner(json);
  scanner.Aim(std::move(steps), at_key);
  scanner.Document();
  return scanner.target();
}

void LineAndColumn(absl::string_view text, size_t offset, int* line, int* column) {
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++*line;
      *column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++*column;
    }
  }
}

}  // namespace regimen::internal
