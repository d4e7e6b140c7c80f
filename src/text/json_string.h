// JSON string bodies (RFC 8259 §7) both ways: plain bytes escaped into a body, and a body decoded back to
// UTF-8, either into a buffer or one byte at a time (to compare without a buffer). Every function appends to
// the caller's buffer (out first), so a reused buffer stops allocating once it has grown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace surge::text::json {

// Appends `text` as the body of a JSON string (no quotes): '"' and '\' get a backslash; \b \f \n \r \t their
// short forms; other bytes below 0x20 \u00xx. Bytes >= 0x80 pass unchanged (UTF-8 stays UTF-8).
void append_escaped(std::string& out, std::string_view text);

// Appends the decoded text of a string body: escapes resolved, \uXXXX as UTF-8 with surrogate pairs joined
// and a lone surrogate as U+FFFD. Meant for validated bodies; in others a backslash ending the body is kept
// and a \u without four hex digits decodes as 'u'.
void append_unescaped(std::string& out, std::string_view body);

// Decodes a string body one byte at a time, as append_unescaped does.
class StringDecoder {
 public:
  explicit StringDecoder(std::string_view body) : body_(body) {}
  // The next decoded byte; false at the end.
  bool next(char& byte);

 private:
  std::string_view body_;
  size_t pos_ = 0;
  char pending_[4] = {};
  uint8_t pending_len_ = 0;
  uint8_t pending_pos_ = 0;
};

// True when the string body decodes to exactly `plain`.
bool decodes_to(std::string_view body, std::string_view plain);
// True when two string bodies decode to the same bytes.
bool decode_equal(std::string_view body_a, std::string_view body_b);

}  // namespace surge::text::json
