// JSON string escapes: writing plain text as the body of a JSON string, and decoding a string body back to
// UTF-8. Appends to the caller's buffer, so a reused buffer stops allocating once it has grown.
#pragma once

#include <string>
#include <string_view>

namespace surge::proto::jsonrpc {

// Appends text as the body of a JSON string (no quotes): escapes '"', '\\' and control characters.
void append_escaped(std::string& out, std::string_view text);
// Appends the decoded text of a raw string body: escapes resolved, \uXXXX as UTF-8 (surrogate pairs
// joined; a lone surrogate becomes U+FFFD). The body must come from a validated string.
void append_unescaped(std::string& out, std::string_view body);

// The value of one hex digit, or -1.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace surge::proto::jsonrpc
