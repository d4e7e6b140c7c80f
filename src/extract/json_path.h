// JSON paths for captures and checks ($.token, $.items[-1].id, $['key with space']), compiled once at plan
// load and looked up by scanning the raw response text, skipping what the path does not name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "extract/syntax_error.h"

namespace surge::extract {

// How deep a response's JSON may nest for checks and captures (json_value.h too). Deeper than the default of
// text/json_scan.h (64, for protocol messages): the data a target answers with nests more than a protocol's
// envelope, and the scanner's cost does not grow with the bound.
inline constexpr int kResponseLevels = 256;

// One step down: a member by name, or an array element by index (negative counts from the end, -1 = last).
struct PathStep {
  bool is_index = false;
  std::string name;  // unescaped
  int64_t index = 0;
};

class JsonPath {
 public:
  JsonPath() = default;  // "$", the whole document
  JsonPath(std::string text, std::vector<PathStep> steps)
      : text_(std::move(text)), steps_(std::move(steps)) {}

  const std::string& text() const { return text_; }  // as written, for messages
  const std::vector<PathStep>& steps() const { return steps_; }

 private:
  std::string text_ = "$";
  std::vector<PathStep> steps_;
};

// Grammar: '$' then any number of '.name', "['name']" / '["name"]' (JSON escapes allowed) and '[N]' / '[-N]'.
// name is letters, digits, '_', '-', '$' or bytes >= 0x80. Anything else (wildcards, '..', filters, slices)
// is a SyntaxError naming the offset, e.g. "expected a name after '.'".
core::Result<JsonPath, SyntaxError> compile_json_path(std::string_view text);

// The raw text of the value at `path` inside `json` (a string keeps its quotes), a view into `json`. nullopt
// when the path names nothing (a missing key, an index out of range, a step into a non-container) or the text
// is malformed before the value ends. Never allocates; safe on any bytes. The first of duplicate keys wins.
std::optional<std::string_view> find(const JsonPath& path, std::string_view json);

}  // namespace surge::extract
