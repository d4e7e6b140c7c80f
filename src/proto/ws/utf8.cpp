// The UTF-8 check of RFC 3629 §4's table, with an ASCII fast path: text messages in load tests are mostly
// ASCII JSON, checked 8 bytes at a time.
#include "proto/ws/utf8.h"

#include <cstdint>
#include <cstring>

namespace surge::proto::ws {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Length of the sequence starting at bytes[i] if it is well formed, else 0. RFC 3629 §4: the second byte's
// range depends on the first (E0 A0.., ED ..9F, F0 90.., F4 ..8F) to exclude overlongs and surrogates.
size_t sequence_length(const unsigned char* bytes, size_t i, size_t size) {
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
    const size_t length = sequence_length(bytes, i, size);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace surge::proto::ws
