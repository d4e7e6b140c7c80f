// parse_duration: the one duration syntax of surge ("1m30s"), shared by plan files and command-line flags.
// Integer arithmetic with overflow checks, so "9999999999h" is an error instead of a wrapped value.
#include <array>
#include <cmath>
#include <cstdint>

#include "plan/plan.h"

namespace surge::plan {
namespace {

struct Unit {
  std::string_view name;
  int64_t ns;
};

// Longest names first so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 6> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"ms", 1'000'000},
                                      {"h", 3'600'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"s", 1'000'000'000}}};

core::Unexpected<core::Error> invalid(std::string_view text, std::string_view why) {
  return core::fail("invalid duration \"" + std::string(text) + "\": " + std::string(why));
}

core::Unexpected<core::Error> malformed(std::string_view text) {
  return invalid(text, "expected a number with a unit ns, us, ms, s, m or h, like 10s or 1m30s");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

const Unit* match_unit(std::string_view rest) {
  for (const Unit& unit : kUnits) {
    if (rest.starts_with(unit.name)) return &unit;
  }
  return nullptr;
}

}  // namespace

core::Result<Duration> parse_duration(std::string_view text) {
  if (text == "0") return Duration::zero();
  if (text.starts_with('-')) return invalid(text, "a duration cannot be negative");
  if (text.empty()) return malformed(text);
  int64_t total_ns = 0;
  size_t i = 0;
  while (i < text.size()) {
    // One group: digits, an optional fraction, a unit.
    int64_t whole = 0;
    size_t start = i;
    bool too_large = false;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      too_large = too_large || __builtin_mul_overflow(whole, 10, &whole) ||
                  __builtin_add_overflow(whole, text[i] - '0', &whole);
    }
    if (i == start) return malformed(text);
    double fraction = 0;
    if (i < text.size() && text[i] == '.') {
      size_t fraction_start = ++i;
      double scale = 0.1;
      for (; i < text.size() && is_digit(text[i]); ++i, scale /= 10) fraction += (text[i] - '0') * scale;
      if (i == fraction_start) return malformed(text);
    }
    const Unit* unit = match_unit(text.substr(i));
    if (unit == nullptr) return malformed(text);
    i += unit->name.size();
    int64_t group_ns = 0;
    too_large = too_large || __builtin_mul_overflow(whole, unit->ns, &group_ns);
    // The fraction's share is below one unit, so it only overflows together with the sum.
    auto fraction_ns = static_cast<int64_t>(std::llround(fraction * static_cast<double>(unit->ns)));
    too_large = too_large || __builtin_add_overflow(group_ns, fraction_ns, &group_ns) ||
                __builtin_add_overflow(total_ns, group_ns, &total_ns);
    if (too_large) return invalid(text, "too large; the maximum is 2562047h");
  }
  return Duration(total_ns);
}

}  // namespace surge::plan
