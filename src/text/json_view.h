// Typed views of scanned JSON for readers that walk a message by hand (JSON-RPC, MCP): each value is its
// type and its exact text in the caller's buffer, so a message is read in place with no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "text/json_scan.h"

namespace surge::text::json {

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

// Validates the one value that starts at text[pos] (after optional whitespace), nested at most `levels`
// deep, and sets pos just past it. Errors are describe()'s line: `invalid JSON at byte 7: expected ':'`.
core::Result<JsonValue> scan_value(std::string_view text, size_t& pos, int levels = kMaxDepth);
// The whole text is exactly one value, with only whitespace around it (`... expected the end of the text`).
core::Result<JsonValue> scan_document(std::string_view text, int levels = kMaxDepth);

// Walks the members of an object produced by scan_* (anything else yields nothing). Each next() skips one
// member, so a reader pays only for the members before the one it wants.
class MemberIterator {
 public:
  explicit MemberIterator(const JsonValue& object);
  // The next member: key is its raw string body (escapes as written). False after the last one.
  bool next(std::string_view& key, JsonValue& value);

 private:
  ContainerWalker walker_;
  bool is_object_;
};

// Walks the elements of an array produced by scan_*.
class ElementIterator {
 public:
  explicit ElementIterator(const JsonValue& array);
  bool next(JsonValue& value);

 private:
  ContainerWalker walker_;
  bool is_array_;
};

// The first member whose raw key equals `key` (protocol names are plain ASCII, written without escapes).
// False when absent or when `object` is not an object.
bool find_member(const JsonValue& object, std::string_view key, JsonValue& value);
// An integer (no fraction or exponent) that fits in int64_t.
bool to_int64(const JsonValue& value, int64_t& out);

}  // namespace surge::text::json
