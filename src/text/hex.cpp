#include "text/hex.h"

namespace surge::text {

int32_t read_hex4(std::string_view text, size_t pos) {
  if (text.size() < 4 || pos > text.size() - 4) return -1;
  int32_t value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    int digit = hex_digit_value(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void append_hex(std::string& out, uint64_t value, int digits) {
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kLowerHexDigits[(value >> shift) & 0xF];
}

void append_hex_bytes(std::string& out, const unsigned char* bytes, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    out += kLowerHexDigits[bytes[i] >> 4];
    out += kLowerHexDigits[bytes[i] & 0xF];
  }
}

bool parse_hex(std::string_view text, uint64_t& value) {
  if (text.empty() || text.size() > 16) return false;
  value = 0;
  for (char c : text) {
    int digit = hex_digit_value(c);
    if (digit < 0) return false;
    value = value << 4 | static_cast<uint64_t>(digit);
  }
  return true;
}

}  // namespace surge::text
