// libFuzzer target for the condition and value compilers of checks and custom metrics (extract/condition.h),
// which take JSON paths, regexes and literals from the plan. Input: the expression on the first line, the
// response body after it; the status and header lines are fixed. Oracle: the sanitizers, error offsets
// inside the text, and the same verdict on a second evaluation (scratch state must not leak across calls).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "extract/condition.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view text = input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  const surge::extract::ResponseView response{
      .status = 200, .head = "Content-Type: application/json\r\nX-Cache: HIT\r\nX-Time: 12.5", .body = body};

  if (auto condition = surge::extract::compile_condition(text)) {
    const bool verdict = condition->holds(response);
    if (condition->holds(response) != verdict) std::abort();
  } else if (condition.error().offset > text.size() || condition.error().message.empty()) {
    std::abort();
  }
  if (auto value = surge::extract::compile_value(text)) {
    const std::optional<double> first = value->of(response);
    const std::optional<double> second = value->of(response);
    // NaN never equals itself, so compare what was found and then the bits that matter.
    if (first.has_value() != second.has_value()) std::abort();
    if (first && *first == *first && *first != *second) std::abort();
  } else if (value.error().offset > text.size() || value.error().message.empty()) {
    std::abort();
  }
  return 0;
}
