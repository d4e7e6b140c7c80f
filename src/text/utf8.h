// UTF-8 both ways: the check of RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF) that
// WebSocket text, close reasons and plan files need, and the encoding of one code point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace surge::text {

// Whether `bytes` is well-formed UTF-8 as a whole (a sequence cut at the end is invalid).
bool is_valid_utf8(std::string_view bytes);

// The length of the well-formed sequence at text[i] (1 for ASCII, up to 4), or 0 when the bytes there are
// not valid UTF-8: for a diagnostic that names the first bad byte.
size_t utf8_sequence_length(std::string_view text, size_t i);

// Writes a code point (at most U+10FFFF) as UTF-8 into out[0..3]; returns the number of bytes (1-4).
int encode_utf8(uint32_t code_point, char* out);

}  // namespace surge::text
