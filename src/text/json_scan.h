// The one validating JSON scanner (RFC 8259): it builds nothing, it finds where values start and end in the
// caller's text, so a response is read in place with no allocation and any bytes are safe (this is fuzzed).
// Each skip takes `pos` at a value's first byte (no leading space) and returns the position just past it, or
// kBad; on kBad an optional Failure says where and what was expected. Bytes >= 0x80 inside strings pass
// unchecked (the scanner does not validate UTF-8: text/utf8.h does, where a caller needs it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace surge::text::json {

inline constexpr size_t kBad = std::string_view::npos;

// How many levels of nesting a value may open ("levels": a scalar needs 0, [] 1, [[1]] 2), unless the caller
// passes its own: deeper text is malformed. The scanner does not recurse, so the bound is about hostile
// input's cost, not the stack. Levels above kLevelsCeiling are read as kLevelsCeiling (its bracket stack
// is a fixed array).
inline constexpr int kMaxDepth = 64;
inline constexpr int kLevelsCeiling = 1024;

enum class Problem : uint8_t {
  kNone,
  kExpectedValue,
  kExpectedKey,
  kExpectedColon,
  kExpectedCommaOrBrace,
  kExpectedCommaOrBracket,
  kExpectedQuote,
  kControlCharacter,
  kExpectedEscape,
  kExpectedHexDigits,
  kExpectedDigit,
  kExpectedTrue,
  kExpectedFalse,
  kExpectedNull,
  kTooDeep,
  kExpectedEnd,
};

struct Failure {
  size_t at = 0;  // the byte offset of the problem (text.size() when the text ended first)
  Problem problem = Problem::kNone;
};

// One line: "invalid JSON at byte 5: expected ':'", "invalid JSON at byte 6: unexpected end, expected ',' or
// '}'", "invalid JSON at byte 64: nesting deeper than 64" (`levels` is the bound the scan was given).
std::string describe(const Failure& failure, std::string_view text, int levels = kMaxDepth);

size_t skip_space(std::string_view text, size_t pos);
size_t skip_string(std::string_view text, size_t pos, Failure* failure = nullptr);
size_t skip_number(std::string_view text, size_t pos, Failure* failure = nullptr);
size_t skip_value(std::string_view text, size_t pos, int levels = kMaxDepth, Failure* failure = nullptr);

// Steps through the members of an object or the elements of an array, validating the punctuation between
// them. Each next() skips the previous value, so a caller pays only for the values before the one it wants.
class ContainerWalker {
 public:
  // `open` is the position of the '{' or '['; `levels` counts the container itself (its values get one less).
  ContainerWalker(std::string_view text, size_t open, int levels = kMaxDepth);

  // True when positioned on the next member or element; false at the closing bracket or on malformed text.
  bool next();
  bool failed() const { return failed_; }
  bool is_object() const { return close_ == '}'; }
  // Valid after next() returned true: the key between its quotes (still escaped; objects only), where the
  // value starts, and the value's text (validated; empty when malformed, and then next() fails).
  std::string_view key() const { return key_; }
  size_t value_pos() const { return value_pos_; }
  std::string_view value();
  // Valid after next() returned false without failing: the position just past the closing bracket.
  size_t end() const { return pos_; }

 private:
  bool fail();

  std::string_view text_;
  size_t pos_;
  size_t value_pos_ = kBad;
  size_t value_end_ = kBad;  // set once value() has skipped the current value, so next() does not again
  std::string_view key_;
  int levels_;
  char close_;
  bool started_ = false;
  bool failed_ = false;
};

}  // namespace surge::text::json
