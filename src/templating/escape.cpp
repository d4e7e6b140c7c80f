// JSON-string and percent escaping of substituted values. Runs per request: appends byte runs in bulk so the
// common case (nothing to escape) is one append.
#include "templating/escape.h"

namespace surge::templating {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kLowerHex[] = "0123456789abcdef";

// The JSON escape of one byte, or empty when it goes out as is.
std::string_view json_escape_of(unsigned char c, char (&scratch)[6]) {
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
  scratch[4] = kLowerHex[c >> 4];
  scratch[5] = kLowerHex[c & 0xf];
  return {scratch, 6};
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

void append_json_escaped(std::string_view value, std::string& out) {
  size_t run_begin = 0;
  char scratch[6];
  for (size_t i = 0; i < value.size(); ++i) {
    std::string_view escaped = json_escape_of(static_cast<unsigned char>(value[i]), scratch);
    if (escaped.empty()) continue;
    out.append(value.data() + run_begin, i - run_begin);
    out.append(escaped);
    run_begin = i + 1;
  }
  out.append(value.data() + run_begin, value.size() - run_begin);
}

void append_url_escaped(std::string_view value, std::string& out) {
  size_t run_begin = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (is_unreserved(c)) continue;
    out.append(value.data() + run_begin, i - run_begin);
    const char encoded[3] = {'%', kHex[c >> 4], kHex[c & 0xf]};
    out.append(encoded, 3);
    run_begin = i + 1;
  }
  out.append(value.data() + run_begin, value.size() - run_begin);
}

void append_escaped(std::string_view value, Escape escape, std::string& out) {
  switch (escape) {
    case Escape::kNone:
      out.append(value);
      return;
    case Escape::kJson:
      append_json_escaped(value, out);
      return;
    case Escape::kUrl:
      append_url_escaped(value, out);
      return;
  }
}

}  // namespace surge::templating
