// The sources a condition or value reads from a response (status, header("X"), json("$.p"), body,
// regex("p")), compiled once, and what reading one yields: present or not, its text, and its number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "extract/json_path.h"
#include "extract/regex.h"
#include "extract/response_view.h"

namespace surge::extract {

enum class SourceKind : uint8_t { kStatus, kHeader, kJson, kBody, kRegex };

struct Source {
  SourceKind kind = SourceKind::kStatus;
  std::string header;          // kHeader: the field name
  JsonPath path;               // kJson
  std::optional<Regex> regex;  // kRegex: searched in the body
};

// One source read from one response. `text` may point into `digits`, so a Reading is never copied.
struct Reading {
  Reading() = default;
  Reading(const Reading&) = delete;
  Reading& operator=(const Reading&) = delete;

  // status: always; header: the field exists; json: the path names a value; body: it is non-empty;
  // regex: it matched.
  bool present = false;
  // status: its decimal digits; header: the trimmed value; json: a string's unescaped content, any other
  // value's raw text; body: all of it; regex: group 1 or the whole match.
  std::string_view text;
  // status: the code; json: the value when it is a JSON number (not a string holding one); header, body and
  // regex: the text when it is exactly a JSON-syntax number apart from surrounding whitespace.
  std::optional<double> number;
  char digits[12] = {};
};

// Reads `source` from `response` into `out`. A JSON string with escapes is unescaped into `scratch` (cleared
// first; its capacity is kept, so after warm-up nothing allocates).
void read_source(const Source& source, const ResponseView& response, std::string& scratch, Reading& out);

}  // namespace surge::extract
