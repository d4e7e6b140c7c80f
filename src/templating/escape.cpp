// Percent escaping of substituted values (JSON escaping is text/json_string.h's). Runs per request: appends
// byte runs in bulk so the common case (nothing to escape) is one append.
#include "templating/escape.h"

#include "text/hex.h"
#include "text/json_string.h"

namespace surge::templating {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

void append_url_escaped(std::string& out, std::string_view value) {
  size_t run_begin = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (is_unreserved(c)) continue;
    out.append(value.data() + run_begin, i - run_begin);
    const char encoded[3] = {'%', text::kUpperHexDigits[c >> 4], text::kUpperHexDigits[c & 0xf]};
    out.append(encoded, 3);
    run_begin = i + 1;
  }
  out.append(value.data() + run_begin, value.size() - run_begin);
}

void append_escaped(std::string& out, std::string_view value, Escape escape) {
  switch (escape) {
    case Escape::kNone:
      out.append(value);
      return;
    case Escape::kJson:
      text::json::append_escaped(out, value);
      return;
    case Escape::kUrl:
      append_url_escaped(out, value);
      return;
  }
}

}  // namespace surge::templating
