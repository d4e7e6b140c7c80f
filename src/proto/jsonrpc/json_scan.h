// A validating JSON scanner (RFC 8259) that builds nothing: it finds where values start and end in the
// caller's text and hands back views, so JSON-RPC messages are read in place with no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "proto/jsonrpc/json_escape.h"

namespace surge::proto::jsonrpc {

enum class JsonType : uint8_t { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };

// One value as written: raw is its exact text, quotes and brackets included ("\"a\\n\"", "{...}", "-1.5").
struct JsonValue {
  JsonType type = JsonType::kNull;
  std::string_view raw;

  bool is_string() const { return type == JsonType::kString; }
  bool is_object() const { return type == JsonType::kObject; }
  bool is_array() const { return type == JsonType::kArray; }
  // A string's bytes between its quotes, escapes as written (valid to copy into another JSON string).
  std::string_view string_body() const { return raw.substr(1, raw.size() - 2); }
};

// Objects and arrays nested deeper than this are rejected: the bound keeps the scanner's stack fixed.
inline constexpr int kMaxJsonDepth = 64;

// Validates the one value that starts at text[pos] (after optional whitespace) and sets pos just past it.
// Bytes >= 0x80 inside strings pass unchecked (UTF-8 is not validated). Errors give the byte offset and what
// was expected: `invalid JSON at byte 7: expected ':'`, `invalid JSON at byte 12: unexpected end, expected
// '}'`, `invalid JSON at byte 3: control character in a string`, `... nesting deeper than 64`.
core::Result<JsonValue> scan_value(std::string_view text, size_t& pos);
// The whole text is exactly one value, with only whitespace around it (`... expected the end of the text`).
core::Result<JsonValue> scan_document(std::string_view text);

// Walks the members of an object produced by scan_* (anything else yields nothing). Each next() scans one
// member, so a reader pays only for the members before the one it wants.
class MemberIterator {
 public:
  explicit MemberIterator(const JsonValue& object);
  // The next member: key is its raw string body (escapes as written). False after the last one.
  bool next(std::string_view& key, JsonValue& value);

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Walks the elements of an array produced by scan_*.
class ElementIterator {
 public:
  explicit ElementIterator(const JsonValue& array);
  bool next(JsonValue& value);

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// The first member whose raw key equals `key` (protocol names are plain ASCII, written without escapes).
// False when absent or when `object` is not an object.
bool find_member(const JsonValue& object, std::string_view key, JsonValue& value);
// An integer (no fraction or exponent) that fits in int64_t.
bool to_int64(const JsonValue& value, int64_t& out);
}  // namespace surge::proto::jsonrpc
