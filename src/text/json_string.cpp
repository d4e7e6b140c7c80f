// JSON string escapes. Escaping runs per request for templated JSON bodies, so it appends byte runs in bulk:
// the common case (nothing to escape) is one append.
#include "text/json_string.h"

#include "text/hex.h"
#include "text/utf8.h"

namespace surge::text::json {
namespace {

// The escape of one byte into scratch, or empty when the byte goes out as is.
std::string_view escape_of(unsigned char c, char (&scratch)[6]) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    default:
      break;
  }
  if (c >= 0x20) return {};
  scratch[0] = '\\';
  scratch[1] = 'u';
  scratch[2] = '0';
  scratch[3] = '0';
  scratch[4] = kLowerHexDigits[c >> 4];
  scratch[5] = kLowerHexDigits[c & 0xf];
  return {scratch, 6};
}

// Decodes the escape whose backslash is at body[pos] into out (1-4 bytes); returns where decoding goes on.
// A backslash ending the body is kept as itself, a \u without four hex digits decodes as 'u'.
size_t decode_escape(std::string_view body, size_t pos, char (&out)[4], uint8_t& length) {
  length = 1;
  if (pos + 1 >= body.size()) {
    out[0] = '\\';
    return pos + 1;
  }
  char escaped = body[pos + 1];
  pos += 2;
  static constexpr std::string_view kFrom = "bfnrt";
  static constexpr std::string_view kTo = "\b\f\n\r\t";
  if (size_t i = kFrom.find(escaped); i != std::string_view::npos) {
    out[0] = kTo[i];
    return pos;
  }
  int32_t unit = escaped == 'u' ? read_hex4(body, pos) : -1;
  if (unit < 0) {
    out[0] = escaped;  // \" \\ \/, or the 'u' of a broken \u
    return pos;
  }
  pos += 4;
  uint32_t code_point = static_cast<uint32_t>(unit);
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    int32_t low = body.substr(pos).starts_with("\\u") ? read_hex4(body, pos + 2) : -1;
    if (low >= 0xDC00 && low <= 0xDFFF) {
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
      pos += 6;
    } else {
      code_point = 0xFFFD;
    }
  } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
    code_point = 0xFFFD;
  }
  length = static_cast<uint8_t>(encode_utf8(code_point, out));
  return pos;
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  size_t run_begin = 0;
  char scratch[6];
  for (size_t i = 0; i < text.size(); ++i) {
    std::string_view escaped = escape_of(static_cast<unsigned char>(text[i]), scratch);
    if (escaped.empty()) continue;
    out.append(text.data() + run_begin, i - run_begin);
    out.append(escaped);
    run_begin = i + 1;
  }
  out.append(text.data() + run_begin, text.size() - run_begin);
}

void append_unescaped(std::string& out, std::string_view body) {
  size_t pos = 0;
  while (pos < body.size()) {
    size_t slash = body.find('\\', pos);
    if (slash == std::string_view::npos) {
      out.append(body.substr(pos));
      return;
    }
    out.append(body.substr(pos, slash - pos));
    char decoded[4];
    uint8_t length = 0;
    pos = decode_escape(body, slash, decoded, length);
    out.append(decoded, length);
  }
}

bool StringDecoder::next(char& byte) {
  if (pending_pos_ < pending_len_) {
    byte = pending_[pending_pos_++];
    return true;
  }
  if (pos_ >= body_.size()) return false;
  if (body_[pos_] != '\\') {
    byte = body_[pos_++];
    return true;
  }
  pos_ = decode_escape(body_, pos_, pending_, pending_len_);
  pending_pos_ = 1;
  byte = pending_[0];
  return true;
}

bool decodes_to(std::string_view body, std::string_view plain) {
  if (body.find('\\') == std::string_view::npos) return body == plain;
  StringDecoder decoder(body);
  char byte;
  size_t i = 0;
  while (decoder.next(byte)) {
    if (i >= plain.size() || plain[i] != byte) return false;
    ++i;
  }
  return i == plain.size();
}

bool decode_equal(std::string_view body_a, std::string_view body_b) {
  if (body_a.find('\\') == std::string_view::npos) return decodes_to(body_b, body_a);
  StringDecoder a(body_a);
  StringDecoder b(body_b);
  char byte_a, byte_b;
  while (true) {
    bool more_a = a.next(byte_a);
    bool more_b = b.next(byte_b);
    if (more_a != more_b) return false;
    if (!more_a) return true;
    if (byte_a != byte_b) return false;
  }
}

}  // namespace surge::text::json
