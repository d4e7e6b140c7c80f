// RFC 4648 base64 for HdrHistogram's compressed histograms: the text form in .hlog lines and results.json.
// Decoding is strict so a damaged string fails here with its position rather than later as bad deflate data.
#include <array>

#include "metrics/hdr_log.h"

namespace surge::metrics {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Each byte's 6-bit value, or -1 for a byte outside the alphabet.
constexpr std::array<int8_t, 256> kValues = [] {
  std::array<int8_t, 256> values{};
  values.fill(-1);
  for (int i = 0; i < 64; ++i) values[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return values;
}();

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t left = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t j = 0; j < 3; ++j) {
      group = (group << 8) | (j < left ? static_cast<uint8_t>(bytes[i + j]) : 0u);
    }
    for (size_t j = 0; j < 4; ++j) {
      out.push_back(j <= left ? kAlphabet[(group >> (18 - 6 * j)) & 0x3f] : '=');
    }
  }
  return out;
}

core::Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return core::fail("base64 length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t group = 0;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    const int8_t value = kValues[static_cast<uint8_t>(text[i])];
    if (value < 0) return core::fail("invalid base64 character at offset " + std::to_string(i));
    group = (group << 6) | static_cast<uint32_t>(value);
    if (i % 4 == 3) {
      for (int shift = 16; shift >= 0; shift -= 8) out.push_back(static_cast<char>(group >> shift));
      group = 0;
    }
  }
  // The last group holds 2 or 3 characters (1 or 2 bytes); the bits it does not use must be zero.
  if (padding > 0) {
    const size_t chars = 4 - padding;
    const int unused = chars == 2 ? 4 : 2;
    if ((group & ((1u << unused) - 1)) != 0) {
      return core::fail("invalid base64 padding at offset " + std::to_string(text.size() - padding - 1));
    }
    group >>= unused;
    for (int shift = 8 * (int(chars) - 2); shift >= 0; shift -= 8)
      out.push_back(static_cast<char>(group >> shift));
  }
  return out;
}

}  // namespace surge::metrics
