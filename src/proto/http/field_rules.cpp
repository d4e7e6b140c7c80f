// Field helpers for the contiguous-buffer paths (request parser, writer, URL). The streaming response parser
// applies the same rules byte by byte and cannot use these.
#include "proto/http/field_rules.h"

#include <cstdio>

namespace surge::proto::http {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower_ascii(a[i]) != to_lower_ascii(b[i])) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view value) {
  while (!value.empty() && is_ows(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_ows(value.back())) value.remove_suffix(1);
  return value;
}

ParseError parse_content_length(std::string_view value, bool& has_length, uint64_t& length) {
  ParseError error = ParseError::kNone;
  size_t items = 0;
  for_each_list_item(value, [&](std::string_view item) {
    ++items;
    uint64_t parsed = 0;
    for (char c : item) {
      if (c < '0' || c > '9' || parsed > (UINT64_MAX - static_cast<uint64_t>(c - '0')) / 10) {
        if (error == ParseError::kNone) error = ParseError::kBadContentLength;
        return;
      }
      parsed = parsed * 10 + static_cast<uint64_t>(c - '0');
    }
    if (error != ParseError::kNone) return;
    if (has_length && parsed != length) {
      error = ParseError::kConflictingLength;
      return;
    }
    has_length = true;
    length = parsed;
  });
  // An empty value (or one made only of commas) carries no length at all.
  if (items == 0) return ParseError::kBadContentLength;
  return error;
}

std::string quoted(std::string_view bytes) {
  std::string out = "\"";
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace surge::proto::http
