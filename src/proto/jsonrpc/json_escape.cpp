// JSON string escapes both ways: plain text into a string body for the builders, and a string body back to
// UTF-8 for readers that need the decoded text (RFC 8259 §7).
#include "proto/jsonrpc/json_escape.h"

#include <cstdint>

namespace surge::proto::jsonrpc {
namespace {

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// The 4 hex digits at body[at], or -1 when they are not there (a validated body always has them).
int32_t hex4(std::string_view body, size_t at) {
  if (at + 4 > body.size()) return -1;
  int32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    int digit = hex_digit_value(body[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the bytes not yet appended
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    out += '\\';
    switch (c) {
      case '"':
      case '\\':
        out += static_cast<char>(c);
        break;
      case '\n':
        out += 'n';
        break;
      case '\r':
        out += 'r';
        break;
      case '\t':
        out += 't';
        break;
      default:
        out += "u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
}

void append_unescaped(std::string& out, std::string_view body) {
  constexpr uint32_t kReplacement = 0xFFFD;
  size_t i = 0;
  while (i < body.size()) {
    size_t slash = body.find('\\', i);
    if (slash == std::string_view::npos || slash + 1 >= body.size()) {
      out.append(body.substr(i));
      return;
    }
    out.append(body.substr(i, slash - i));
    char escape = body[slash + 1];
    i = slash + 2;
    switch (escape) {
      case 'b':
        out += '\b';
        continue;
      case 'f':
        out += '\f';
        continue;
      case 'n':
        out += '\n';
        continue;
      case 'r':
        out += '\r';
        continue;
      case 't':
        out += '\t';
        continue;
      case 'u':
        break;
      default:  // '"', '\\', '/'
        out += escape;
        continue;
    }
    int32_t unit = hex4(body, i);
    if (unit < 0) return;
    i += 4;
    uint32_t code_point = static_cast<uint32_t>(unit);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      int32_t low = body.substr(i, 2) == "\\u" ? hex4(body, i + 2) : -1;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        code_point =
            0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
        i += 6;
      } else {
        code_point = kReplacement;
      }
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      code_point = kReplacement;
    }
    append_utf8(out, code_point);
  }
}

}  // namespace surge::proto::jsonrpc
