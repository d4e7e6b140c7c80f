// Checks, captures and metrics run on every response a worker reads, where nothing may allocate (STYLE.md).
// This binary interposes malloc, which both operator new and PCRE2 call, and the test asserts that
// evaluating compiled paths, regexes, conditions and values after one warm-up call adds nothing to the count.
// Not in the sanitizer build (SURGE_SANITIZE): ASan replaces malloc itself, and a second interposer hands it
// blocks it never allocated (it aborts at start-up). The allocation count is a normal-build fact, and the
// normal build runs this test (docs/development.md).
#ifndef SURGE_SANITIZE
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "extract/condition.h"
#include "extract/header.h"
#include "extract/json_value.h"

extern "C" void* __libc_malloc(size_t size);

namespace {
size_t mallocs = 0;
}  // namespace

extern "C" void* malloc(size_t size) noexcept {
  ++mallocs;
  return __libc_malloc(size);
}

namespace surge::extract {
namespace {

TEST(ExtractAllocation, EvaluatesCompiledChecksWithoutAllocating) {
  const ResponseView response{
      200, "Content-Type: application/json\r\nX-Cache: HIT\r\nX-Time: 12.5\r\n",
      R"({"token":"t\u00e9st-\"q\"","usage":{"tokens":42},"items":[{"id":1},{"id":2}],"ok":true})"};
  std::vector<Condition> conditions;
  for (std::string_view text :
       {R"(header("X-Cache") == "HIT" && status < 400)", R"(json("$.token") contains "st-")",
        R"(json("$.items[-1].id") >= 2 || body matches "x+y")", R"~(regex("tokens\":(\d+)") == 42)~",
        R"(!json("$.missing") && json("$.ok") == true)", R"(json("$.token") matches "^t.st")"}) {
    auto condition = compile_condition(text);
    ASSERT_TRUE(condition.has_value()) << text;
    conditions.push_back(std::move(*condition));
  }
  auto value = compile_value(R"(json("$.usage.tokens"))");
  auto path = compile_json_path("$.items[1]");
  auto regex = compile_regex(R"(id":(\d))");
  ASSERT_TRUE(value && path && regex);

  size_t held = 0;
  auto evaluate_all = [&] {
    for (const Condition& condition : conditions) held += condition.holds(response);
    held += value->of(response).value_or(0) == 42;
    held += find(*path, response.body).has_value();
    held += json_equal(*find(*path, response.body), R"({ "id" : 2.0 })");
    held += find_header(response.head, "x-time").has_value();
    std::string_view group;
    held += regex->search(response.body, &group);
  };
  evaluate_all();  // warm-up: the condition's scratch string grows to the longest unescaped JSON string
  size_t before = mallocs;
  for (int i = 0; i < 100; ++i) evaluate_all();
  size_t after = mallocs;
  EXPECT_EQ(after - before, 0u);
  EXPECT_EQ(held, 101u * 11u);  // every condition holds, so none was skipped
}

}  // namespace
}  // namespace surge::extract

#endif  // SURGE_SANITIZE
