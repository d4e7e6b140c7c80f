// Byte-level rules of HTTP/1.1 fields (RFC 9110 §5.6) shared by the parsers, the request writer and the URL
// parser: token characters, case-insensitive names, comma lists, and escaping bytes for one-line messages.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/http/parse_error.h"

namespace surge::proto::http {

namespace detail {
constexpr std::array<bool, 256> make_token_table() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
inline constexpr std::array<bool, 256> kTokenTable = make_token_table();
}  // namespace detail

// tchar of RFC 9110 §5.6.2: what header names and methods are made of.
inline bool is_token_char(char c) { return detail::kTokenTable[static_cast<unsigned char>(c)]; }

// Optional whitespace (OWS): space or horizontal tab.
inline bool is_ows(char c) { return c == ' ' || c == '\t'; }

inline char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// ASCII case-insensitive equality; header names and the tokens we look for are ASCII.
bool equals_ignore_case(std::string_view a, std::string_view b);

// `value` without leading and trailing OWS.
std::string_view trim_ows(std::string_view value);

// Calls on_item(item) for each non-empty, OWS-trimmed element of a comma-separated list (RFC 9110 §5.6.1,
// which tells recipients to ignore empty elements).
template <class OnItem>
void for_each_list_item(std::string_view value, OnItem&& on_item) {
  while (true) {
    size_t comma = value.find(',');
    std::string_view item = trim_ows(value.substr(0, comma));
    if (!item.empty()) on_item(item);
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

// Parses a Content-Length value into `length`, accepting a list of identical values ("5, 5") as RFC 9112
// §6.3 allows. `has_length` says whether an earlier header already set `length`; a different value is a
// conflict. Returns kNone, kBadContentLength or kConflictingLength.
ParseError parse_content_length(std::string_view value, bool& has_length, uint64_t& length);

// `bytes` quoted for a one-line message: control bytes, '"' and '\\' become escapes ("\r", "\x00").
std::string quoted(std::string_view bytes);

}  // namespace surge::proto::http
