// Just enough JSON for the CodePal API's request bodies, without allocating: check that a body is one JSON
// object and find a top-level member in it; and escape bytes into a JSON string being written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace surge::serve {

enum class JsonKind : uint8_t { kMissing, kString, kNumber, kObject, kArray, kTrue, kFalse, kNull };

struct JsonMember {
  JsonKind kind = JsonKind::kMissing;
  // The value's text as sent: for a string, what is between the quotes, escapes left as they are (so it
  // can be copied into another JSON string unchanged); for the others, the whole value.
  std::string_view raw;
};

// Nesting deeper than this is refused: the scanner recurses once per level.
inline constexpr int kMaxJsonDepth = 64;

// True when `text` is exactly one JSON object (RFC 8259, whitespace around it allowed, nesting up to
// kMaxJsonDepth); *member is then the top-level member named `key` (the last one if repeated; kMissing when
// absent). Keys are compared as sent, so a key written with escapes does not match. Bytes of 0x80 and above
// inside strings are passed through unchecked (no UTF-8 validation). `member` may be null.
bool scan_json_object(std::string_view text, std::string_view key, JsonMember* member);

// Appends `bytes` to out as the inside of a JSON string: '"' and '\' escaped, control characters as \u00XX
// (\n, \r and \t by their short forms); every other byte unchanged.
void append_json_escaped(std::string& out, std::string_view bytes);

}  // namespace surge::serve
