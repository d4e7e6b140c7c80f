// Escaping of substituted values on its own: JSON string contents and percent-encoding.
#include "templating/escape.h"

#include <gtest/gtest.h>

namespace surge::templating {
namespace {

TEST(AppendJsonEscaped, EscapesQuotesBackslashesAndEveryControlCharacter) {
  std::string out = "[";
  append_json_escaped(std::string_view("\"\\\b\f\n\r\t\x00\x07\x1f\x7f", 11), out);
  EXPECT_EQ(out, "[\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u0007\\u001f\x7f");
}

TEST(AppendJsonEscaped, PassesPlainTextAndUtf8Unchanged) {
  std::string out;
  append_json_escaped("caf\xc3\xa9 / <ok>", out);
  EXPECT_EQ(out, "caf\xc3\xa9 / <ok>");
}

TEST(AppendUrlEscaped, EncodesEverythingButUnreservedInUppercaseHex) {
  std::string out;
  append_url_escaped("AZaz09-._~ !\"#$%&'()*+,/:;=?@[]\xff", out);
  EXPECT_EQ(out, "AZaz09-._~%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%FF");
}

TEST(AppendEscaped, WithNoneAppendsAsIs) {
  std::string out;
  append_escaped("a \"b\"", Escape::kNone, out);
  EXPECT_EQ(out, "a \"b\"");
}

}  // namespace
}  // namespace surge::templating
