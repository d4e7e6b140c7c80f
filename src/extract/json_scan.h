// Validating skips over raw JSON text, the engine under JSON paths and json_equal: each reads one value where
// it starts and returns the position just past it, or kBad. Nothing is built and no position passes the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace surge::extract::scan {

inline constexpr size_t kBad = std::string_view::npos;
// Nesting deeper than this is treated as malformed: the skips recurse, and fuzzed input must not exhaust
// the stack. Real API responses stay far below it.
inline constexpr int kMaxDepth = 256;

size_t skip_space(std::string_view text, size_t pos);
// Each takes `pos` at the value's first byte (no leading space) and validates as it goes (RFC 8259 grammar;
// string bytes >= 0x80 are passed through unchecked).
size_t skip_string(std::string_view text, size_t pos);
size_t skip_number(std::string_view text, size_t pos);
size_t skip_value(std::string_view text, size_t pos, int depth = 0);

// Steps through the members of an object or the elements of an array, validating the punctuation between
// them. Each next() skips the previous value, so a caller only looks at the values it cares about.
class ContainerWalker {
 public:
  // `open` is the position of the '{' or '['; `depth` that of the container itself.
  ContainerWalker(std::string_view text, size_t open, int depth);

  // True when positioned on the next member or element; false at the closing bracket or on malformed text.
  bool next();
  bool failed() const { return failed_; }
  bool is_object() const { return close_ == '}'; }
  // Valid after next() returned true: the key between its quotes (still escaped; objects only), and where
  // the value starts.
  std::string_view key() const { return key_; }
  size_t value_pos() const { return value_pos_; }
  // Valid after next() returned false without failing: the position just past the closing bracket.
  size_t end() const { return pos_; }

 private:
  bool fail();

  std::string_view text_;
  size_t pos_;
  size_t value_pos_ = kBad;
  std::string_view key_;
  int depth_;
  char close_;
  bool started_ = false;
  bool failed_ = false;
};

// Decodes the inside of a JSON string (between its quotes) to UTF-8 one byte at a time, so strings can be
// compared without a buffer: escapes including \uXXXX and surrogate pairs; a lone surrogate becomes U+FFFD.
class StringDecoder {
 public:
  explicit StringDecoder(std::string_view inner) : inner_(inner) {}
  // The next decoded byte; false at the end.
  bool next(char& byte);

 private:
  std::string_view inner_;
  size_t pos_ = 0;
  char pending_[4] = {};
  uint8_t pending_len_ = 0;
  uint8_t pending_pos_ = 0;
};

// True when the inside of a JSON string decodes to exactly `plain`.
bool decodes_to(std::string_view inner, std::string_view plain);
// True when the insides of two JSON strings decode to the same bytes.
bool decode_equal(std::string_view inner_a, std::string_view inner_b);
// The four hex digits at `pos` as a number, or -1 when they are not all there.
int32_t read_hex4(std::string_view text, size_t pos);
// Appends a code point as UTF-8; returns the number of bytes (1-4). Used by the path parser too.
int encode_utf8(uint32_t code_point, char* out);

}  // namespace surge::extract::scan
