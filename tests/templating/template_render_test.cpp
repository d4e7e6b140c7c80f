// render: the exact bytes of each expression kind, escaping of substituted values, the statistics of the
// random pieces, and that a buffer with capacity is reused.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "templating/template.h"

namespace surge::templating {
namespace {

class RenderTest : public ::testing::Test {
 protected:
  std::string render_text(std::string_view text, Escape escape = Escape::kNone) {
    auto compiled = compile_template(text, scope_, escape);
    EXPECT_TRUE(compiled) << (compiled ? "" : compiled.error().message);
    if (!compiled) return "<error>";
    std::string out;
    render(*compiled, context(), out);
    return out;
  }

  RenderContext context() { return {vu_id_, iteration_, variables_, &rng_, now_ms_}; }

  Scope scope_;
  std::vector<std::string> variables_;
  uint64_t vu_id_ = 7;
  uint64_t iteration_ = 42;
  int64_t now_ms_ = 1700000000123;
  Rng rng_{1};
};

TEST_F(RenderTest, AppendsToWhatTheBufferHolds) {
  auto compiled = compile_template("/users/{{ vu.id }}", scope_);
  ASSERT_TRUE(compiled);
  std::string out = "GET ";
  render(*compiled, context(), out);
  EXPECT_EQ(out, "GET /users/7");
}

TEST_F(RenderTest, WritesVuIdIterationAndNowMsInDecimal) {
  EXPECT_EQ(render_text("u{{vu.id}}-{{ iteration }}@{{  now_ms  }}"), "u7-42@1700000000123");
}

TEST_F(RenderTest, WritesAVariableFromItsSlot) {
  scope_.define("token");
  scope_.define("users.email");
  variables_ = {"abc", "ann@example.com"};
  EXPECT_EQ(render_text("{{ users.email }}:{{ token }}"), "ann@example.com:abc");
}

TEST_F(RenderTest, WritesAnEmptySlotAndASlotPastTheEndAsNothing) {
  scope_.define("empty");
  scope_.define("missing");
  variables_ = {""};
  EXPECT_EQ(render_text("[{{ empty }}][{{ missing }}]"), "[][]");
}

TEST_F(RenderTest, WritesStringLiteralsVerbatimSoBracesCanBeWritten) {
  EXPECT_EQ(render_text("{{ '{{' }} x {{ \"}}\" }} {{ '\"' }}"), "{{ x }} \"");
}

TEST_F(RenderTest, LeavesLoneBracesAlone) {
  EXPECT_EQ(render_text("{ \"a\": {\"b\": 1}} }}"), "{ \"a\": {\"b\": 1}} }}");
}

TEST_F(RenderTest, ResolvesEnvWhenCompilingSoLaterChangesDoNotShow) {
  ASSERT_EQ(setenv("SURGE_TEMPLATE_TEST_TOKEN", "abc", 1), 0);
  auto compiled = compile_template("Bearer {{ env.SURGE_TEMPLATE_TEST_TOKEN }}", scope_);
  ASSERT_EQ(setenv("SURGE_TEMPLATE_TEST_TOKEN", "changed", 1), 0);
  ASSERT_TRUE(compiled);
  std::string out;
  render(*compiled, context(), out);
  EXPECT_EQ(out, "Bearer abc");
}

TEST_F(RenderTest, JsonEscapesVariablesAndEnvValuesButNotTheTemplateText) {
  ASSERT_EQ(setenv("SURGE_TEMPLATE_TEST_QUOTE", "a\"b", 1), 0);
  scope_.define("v");
  variables_ = {"say \"hi\"\\ \n\r\t\b\f\x01\x1f/\xc3\xa9"};
  EXPECT_EQ(
      render_text("{\"v\": \"{{ v }}\", \"e\": \"{{ env.SURGE_TEMPLATE_TEST_QUOTE }}\"}", Escape::kJson),
      "{\"v\": \"say \\\"hi\\\"\\\\ \\n\\r\\t\\b\\f\\u0001\\u001f/\xc3\xa9\", \"e\": \"a\\\"b\"}");
}

TEST_F(RenderTest, UrlEscapesVariablesExceptUnreservedBytes) {
  scope_.define("q");
  variables_ = {"a b&c=d/é~-._Z9"};
  EXPECT_EQ(render_text("/search?q={{ q }}", Escape::kUrl), "/search?q=a%20b%26c%3Dd%2F%C3%A9~-._Z9");
}

TEST_F(RenderTest, RandomIntStaysInsideItsInclusiveBoundsAndReachesEachValue) {
  auto compiled = compile_template("{{ random.int(1, 6) }}", scope_);
  ASSERT_TRUE(compiled);
  std::map<std::string, int> counts;
  std::string out;
  for (int i = 0; i < 60000; ++i) {
    out.clear();
    render(*compiled, context(), out);
    ++counts[out];
  }
  ASSERT_EQ(counts.size(), 6u);
  for (const auto& [value, count] : counts) {
    EXPECT_TRUE(value >= "1" && value <= "6" && value.size() == 1) << value;
    EXPECT_NEAR(count, 10000, 500) << value;  // 5 standard deviations of a binomial(60000, 1/6)
  }
}

TEST_F(RenderTest, RandomIntHandlesNegativeSingleAndFullRanges) {
  EXPECT_EQ(render_text("{{ random.int(5, 5) }}"), "5");
  for (int i = 0; i < 100; ++i) {
    const std::string value = render_text("{{ random.int(-3, -1) }}");
    EXPECT_TRUE(value == "-3" || value == "-2" || value == "-1") << value;
  }
  const std::string full = render_text("{{ random.int(-9223372036854775808, 9223372036854775807) }}");
  EXPECT_FALSE(full.empty());
}

TEST_F(RenderTest, RandomStringHasItsLengthAndUsesAllLettersAndDigits) {
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string value = render_text("{{ random.string(16) }}");
    ASSERT_EQ(value.size(), 16u);
    for (char c : value) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << value;
      seen.insert(c);
    }
  }
  EXPECT_EQ(seen.size(), 62u);
}

TEST_F(RenderTest, RandomWordComesFromTheBuiltInList) {
  const auto words = builtin_words();
  std::set<std::string_view> drawn;
  for (int i = 0; i < 2000; ++i) {
    const std::string word = render_text("{{ random.word }}");
    ASSERT_NE(std::find(words.begin(), words.end(), word), words.end()) << word;
    drawn.insert(*std::find(words.begin(), words.end(), word));
  }
  EXPECT_GT(drawn.size(), 400u);  // 2000 draws from 589 words miss about 19 of them
}

TEST(BuiltinWords, HasAtLeast256DistinctLowercaseWords) {
  const auto words = builtin_words();
  EXPECT_GE(words.size(), 256u);
  EXPECT_EQ(std::set<std::string_view>(words.begin(), words.end()).size(), words.size());
  for (std::string_view word : words) {
    EXPECT_TRUE(!word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return c >= 'a' && c <= 'z';
    })) << word;
  }
}

TEST_F(RenderTest, UuidIsVersion4WithTheRfcVariantInLowercase) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  std::set<char> variants;
  for (int i = 0; i < 1000; ++i) {
    const std::string value = render_text("{{ uuid }}");
    EXPECT_TRUE(std::regex_match(value, uuid)) << value;
    variants.insert(value[19]);
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(variants, (std::set<char>{'8', '9', 'a', 'b'}));
}

TEST_F(RenderTest, TheSameSeedRendersTheSameBytes) {
  const std::string_view text =
      "{{ uuid }} {{ random.word }} {{ random.string(8) }} {{ random.int(0, 1000000) }}";
  rng_ = Rng(99);
  const std::string first = render_text(text);
  rng_ = Rng(99);
  EXPECT_EQ(render_text(text), first);
  rng_ = Rng(100);
  EXPECT_NE(render_text(text), first);
}

TEST_F(RenderTest, ReusesTheBufferWhenItHasCapacity) {
  scope_.define("token");
  variables_ = {std::string(100, 'x')};
  auto compiled = compile_template(
      "{\"id\": {{ vu.id }}, \"n\": {{ random.int(1, 100) }}, \"u\": \"{{ uuid }}\", \"w\": \"{{ random.word "
      "}}\", "
      "\"s\": \"{{ random.string(32) }}\", \"t\": \"{{ token }}\", \"at\": {{ now_ms }}}",
      scope_, Escape::kJson);
  ASSERT_TRUE(compiled);
  std::string out;
  out.reserve(compiled->size_hint() + variables_[0].size());
  const char* const buffer = out.data();
  for (int i = 0; i < 1000; ++i) {
    out.clear();
    render(*compiled, context(), out);
    ASSERT_EQ(out.data(), buffer);
  }
  EXPECT_LE(out.size(), compiled->size_hint() + variables_[0].size());
}

}  // namespace
}  // namespace surge::templating
