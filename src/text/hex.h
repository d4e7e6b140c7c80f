// Hex digits both ways, for JSON's \uXXXX, HTTP chunk sizes and ids written as hex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace surge::text {

inline constexpr char kLowerHexDigits[] = "0123456789abcdef";
inline constexpr char kUpperHexDigits[] = "0123456789ABCDEF";  // percent-encoding's (RFC 3986 §2.1)

// The value of one hex digit (either case), or -1.
inline int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at text[pos] as a number, or -1 when they are not all there.
int32_t read_hex4(std::string_view text, size_t pos);

// Appends the low `digits` hex digits of value, most significant first, lower case.
void append_hex(std::string& out, uint64_t value, int digits);

// Appends each byte as two lower-case hex digits (a digest as text).
void append_hex_bytes(std::string& out, const unsigned char* bytes, size_t count);

// Reads `text` (1 to 16 hex digits, nothing else) into value; false otherwise.
bool parse_hex(std::string_view text, uint64_t& value);

}  // namespace surge::text
