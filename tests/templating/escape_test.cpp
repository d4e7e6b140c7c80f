// Escaping of substituted values on its own: percent-encoding, and JSON through text/ (whose own tests are in
// tests/text/json_string_test.cpp).
#include "templating/escape.h"

#include <gtest/gtest.h>

namespace surge::templating {
namespace {

TEST(AppendUrlEscaped, EncodesEverythingButUnreservedInUppercaseHex) {
  std::string out;
  append_url_escaped(out, "AZaz09-._~ !\"#$%&'()*+,/:;=?@[]\xff");
  EXPECT_EQ(out, "AZaz09-._~%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D%FF");
}

TEST(AppendEscaped, WithNoneAppendsAsIs) {
  std::string out;
  append_escaped(out, "a \"b\"", Escape::kNone);
  EXPECT_EQ(out, "a \"b\"");
}

TEST(AppendEscaped, WithJsonAppendsAStringBody) {
  std::string out = "[";
  append_escaped(out, "a \"b\"\n", Escape::kJson);
  EXPECT_EQ(out, "[a \\\"b\\\"\\n");
}

}  // namespace
}  // namespace surge::templating
