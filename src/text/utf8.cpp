// The UTF-8 check of RFC 3629 §4's table, with an ASCII fast path: text messages in load tests are mostly
// ASCII JSON, checked 8 bytes at a time.
#include "text/utf8.h"

#include <cstring>

namespace surge::text {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Length of the sequence starting at bytes[i] (a byte >= 0x80) if it is well formed, else 0. RFC 3629 §4:
// the second byte's range depends on the first (E0 A0.., ED ..9F, F0 90.., F4 ..8F) to exclude overlongs and
// surrogates.
size_t multibyte_length(const unsigned char* bytes, size_t i, size_t size) {
  const unsigned char lead = bytes[i];
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF (beyond U+10FFFF)
  }
  if (size - i < length) return 0;
  if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if ((bytes[i + k] & 0xC0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

size_t utf8_sequence_length(std::string_view text, size_t i) {
  if (i >= text.size()) return 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  return bytes[i] < 0x80 ? 1 : multibyte_length(bytes, i, text.size());
}

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    if (size - i >= 8) {
      uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    const size_t length = multibyte_length(bytes, i, size);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

int encode_utf8(uint32_t code_point, char* out) {
  if (code_point < 0x80) {
    out[0] = static_cast<char>(code_point);
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code_point >> 6));
    out[1] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code_point >> 12));
    out[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code_point >> 18));
  out[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code_point & 0x3F));
  return 4;
}

}  // namespace surge::text
