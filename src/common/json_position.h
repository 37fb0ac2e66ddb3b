// Where in a JSON text a parse went wrong: the first syntax error, or the place a protobuf JSON
// error's field path names ("(routine.blocks[1]) foo: Cannot find field."). Protobuf 3.21's JSON
// parser reports neither line nor column, so ParseMessage finds them here (not public).
#ifndef REGIMEN_SRC_COMMON_JSON_POSITION_H_
#define REGIMEN_SRC_COMMON_JSON_POSITION_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace regimen::internal {

inline constexpr size_t kNoOffset = static_cast<size_t>(-1);

// The byte offset of the first syntax error in `json` and what is wrong there, or kNoOffset when
// it is well formed. As lenient as protobuf's parser: a trailing comma and bare-word keys pass.
size_t JsonSyntaxError(absl::string_view json, std::string* what);

// The byte offset that a protobuf JSON error message points at: the value at "(path): …", the
// key at "(path) key: …" or "key: …". Path components are proto field names; the JSON may spell
// them in lowerCamelCase. kNoOffset when the message names no path or the path is not found.
size_t JsonErrorOffset(absl::string_view json, absl::string_view error);

// 1-based line and column (in characters, a UTF-8 sequence counting one) of `offset`.
void LineAndColumn(absl::string_view text, size_t offset, int* line, int* column);

}  // namespace regimen::internal

#endif  // REGIMEN_SRC_COMMON_JSON_POSITION_H_
