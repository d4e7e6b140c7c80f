// The JSON skips: a small hand-written scanner, because extracting one value from a response must not build a
// DOM (no allocation per request) and must survive any bytes the target sends (this code is fuzzed).
#include "extract/json_scan.h"

namespace surge::extract::scan {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t skip_digits(std::string_view text, size_t pos) {
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  return pos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

int32_t read_hex4(std::string_view text, size_t pos) {
  if (text.size() < 4 || pos > text.size() - 4) return -1;
  int32_t value = 0;
  for (size_t i = pos; i < pos + 4; ++i) {
    int digit = hex_value(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

namespace {

size_t skip_literal(std::string_view text, size_t pos, std::string_view word) {
  return text.substr(pos).starts_with(word) ? pos + word.size() : kBad;
}

}  // namespace

size_t skip_space(std::string_view text, size_t pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

size_t skip_string(std::string_view text, size_t pos) {
  if (pos >= text.size() || text[pos] != '"') return kBad;
  for (size_t p = pos + 1; p < text.size();) {
    char c = text[p];
    if (c == '"') return p + 1;
    if (static_cast<unsigned char>(c) < 0x20) return kBad;  // RFC 8259 §7: control characters are escaped
    if (c != '\\') {
      ++p;
      continue;
    }
    if (++p >= text.size()) return kBad;
    char escaped = text[p];
    if (escaped == 'u') {
      if (read_hex4(text, p + 1) < 0) return kBad;
      p += 5;
    } else if (std::string_view("\"\\/bfnrt").find(escaped) != std::string_view::npos) {
      ++p;
    } else {
      return kBad;
    }
  }
  return kBad;
}

size_t skip_number(std::string_view text, size_t pos) {
  size_t p = pos;
  if (p < text.size() && text[p] == '-') ++p;
  if (p >= text.size() || !is_digit(text[p])) return kBad;
  p = text[p] == '0' ? p + 1 : skip_digits(text, p);
  if (p < text.size() && text[p] == '.') {
    if (++p >= text.size() || !is_digit(text[p])) return kBad;
    p = skip_digits(text, p);
  }
  if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
    ++p;
    if (p < text.size() && (text[p] == '+' || text[p] == '-')) ++p;
    if (p >= text.size() || !is_digit(text[p])) return kBad;
    p = skip_digits(text, p);
  }
  return p;
}

size_t skip_value(std::string_view text, size_t pos, int depth) {
  if (pos >= text.size() || depth > kMaxDepth) return kBad;
  switch (text[pos]) {
    case '"':
      return skip_string(text, pos);
    case '{':
    case '[': {
      ContainerWalker walker(text, pos, depth);
      while (walker.next()) {
      }
      return walker.failed() ? kBad : walker.end();
    }
    case 't':
      return skip_literal(text, pos, "true");
    case 'f':
      return skip_literal(text, pos, "false");
    case 'n':
      return skip_literal(text, pos, "null");
    default:
      return skip_number(text, pos);
  }
}

ContainerWalker::ContainerWalker(std::string_view text, size_t open, int depth)
    : text_(text), pos_(open), depth_(depth), close_(open < text.size() && text[open] == '{' ? '}' : ']') {
  if (open >= text.size() || (text[open] != '{' && text[open] != '[') || depth > kMaxDepth) fail();
}

bool ContainerWalker::fail() {
  failed_ = true;
  pos_ = kBad;
  return false;
}

bool ContainerWalker::next() {
  if (failed_) return false;
  if (!started_) {
    started_ = true;
    pos_ = skip_space(text_, pos_ + 1);
    if (pos_ < text_.size() && text_[pos_] == close_) {
      ++pos_;
      return false;
    }
  } else {
    if (value_pos_ == kBad) return false;  // already past the closing bracket
    size_t after = skip_value(text_, value_pos_, depth_ + 1);
    if (after == kBad) return fail();
    pos_ = skip_space(text_, after);
    if (pos_ >= text_.size()) return fail();
    if (text_[pos_] == close_) {
      ++pos_;
      value_pos_ = kBad;
      return false;
    }
    if (text_[pos_] != ',') return fail();
    pos_ = skip_space(text_, pos_ + 1);
  }
  if (close_ == '}') {
    size_t key_end = skip_string(text_, pos_);
    if (key_end == kBad) return fail();
    key_ = text_.substr(pos_ + 1, key_end - pos_ - 2);
    pos_ = skip_space(text_, key_end);
    if (pos_ >= text_.size() || text_[pos_] != ':') return fail();
    pos_ = skip_space(text_, pos_ + 1);
  }
  if (pos_ >= text_.size()) return fail();
  value_pos_ = pos_;
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

bool StringDecoder::next(char& byte) {
  if (pending_pos_ < pending_len_) {
    byte = pending_[pending_pos_++];
    return true;
  }
  if (pos_ >= inner_.size()) return false;
  char c = inner_[pos_];
  // A backslash with nothing after it cannot come from a validated string; it is kept as a byte.
  if (c != '\\' || pos_ + 1 >= inner_.size()) {
    ++pos_;
    byte = c;
    return true;
  }
  char escaped = inner_[pos_ + 1];
  pos_ += 2;
  switch (escaped) {
    case 'b':
      byte = '\b';
      return true;
    case 'f':
      byte = '\f';
      return true;
    case 'n':
      byte = '\n';
      return true;
    case 'r':
      byte = '\r';
      return true;
    case 't':
      byte = '\t';
      return true;
    case 'u':
      break;
    default:
      byte = escaped;
      return true;  // \" \\ \/
  }
  int32_t unit = read_hex4(inner_, pos_);
  if (unit < 0) {
    byte = 'u';
    return true;
  }
  pos_ += 4;
  uint32_t code_point = static_cast<uint32_t>(unit);
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    int32_t low = inner_.substr(pos_).starts_with("\\u") ? read_hex4(inner_, pos_ + 2) : -1;
    if (low >= 0xDC00 && low <= 0xDFFF) {
      code_point =
          0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
      pos_ += 6;
    } else {
      code_point = 0xFFFD;
    }
  } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
    code_point = 0xFFFD;
  }
  pending_len_ = static_cast<uint8_t>(encode_utf8(code_point, pending_));
  pending_pos_ = 1;
  byte = pending_[0];
  return true;
}

bool decodes_to(std::string_view inner, std::string_view plain) {
  if (inner.find('\\') == std::string_view::npos) return inner == plain;
  StringDecoder decoder(inner);
  char byte;
  size_t i = 0;
  while (decoder.next(byte)) {
    if (i >= plain.size() || plain[i] != byte) return false;
    ++i;
  }
  return i == plain.size();
}

bool decode_equal(std::string_view inner_a, std::string_view inner_b) {
  if (inner_a.find('\\') == std::string_view::npos) return decodes_to(inner_b, inner_a);
  StringDecoder a(inner_a);
  StringDecoder b(inner_b);
  char byte_a, byte_b;
  while (true) {
    bool more_a = a.next(byte_a);
    bool more_b = b.next(byte_b);
    if (more_a != more_b) return false;
    if (!more_a) return true;
    if (byte_a != byte_b) return false;
  }
}

}  // namespace surge::extract::scan
