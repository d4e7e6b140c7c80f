// parse_duration: the accepted forms with their exact nanosecond values, and each kind of rejection.
#include <gtest/gtest.h>

#include "plan/plan.h"

namespace surge::plan {
namespace {

using std::chrono::nanoseconds;

int64_t ns(std::string_view text) {
  auto parsed = parse_duration(text);
  EXPECT_TRUE(parsed.has_value()) << text << ": " << (parsed ? "" : parsed.error().message);
  return parsed ? parsed->count() : -1;
}

std::string error_of(std::string_view text) {
  auto parsed = parse_duration(text);
  return parsed ? "accepted" : parsed.error().message;
}

TEST(ParseDuration, ReadsEveryUnit) {
  EXPECT_EQ(ns("7ns"), 7);
  EXPECT_EQ(ns("250us"), 250'000);
  EXPECT_EQ(ns("500ms"), 500'000'000);
  EXPECT_EQ(ns("10s"), 10'000'000'000);
  EXPECT_EQ(ns("2m"), 120'000'000'000);
  EXPECT_EQ(ns("1h"), 3'600'000'000'000);
}

TEST(ParseDuration, ReadsAFraction) {
  EXPECT_EQ(ns("1.5s"), 1'500'000'000);
  EXPECT_EQ(ns("0.25ms"), 250'000);
  EXPECT_EQ(ns("1.5us"), 1'500);
}

TEST(ParseDuration, AddsUpGroups) {
  EXPECT_EQ(ns("1m30s"), 90'000'000'000);
  EXPECT_EQ(ns("1h2m3s4ms"), 3'723'004'000'000);
}

TEST(ParseDuration, AcceptsZeroWithAndWithoutUnit) {
  EXPECT_EQ(ns("0"), 0);
  EXPECT_EQ(ns("0s"), 0);
}

TEST(ParseDuration, RejectsAnUnknownUnit) {
  EXPECT_EQ(
      error_of("10x"),
      "invalid duration \"10x\": expected a number with a unit ns, us, ms, s, m or h, like 10s or 1m30s");
}

TEST(ParseDuration, RejectsAUnitlessNumberOtherThanZero) {
  EXPECT_EQ(
      error_of("10"),
      "invalid duration \"10\": expected a number with a unit ns, us, ms, s, m or h, like 10s or 1m30s");
}

TEST(ParseDuration, RejectsEmptyText) {
  EXPECT_EQ(error_of(""),
            "invalid duration \"\": expected a number with a unit ns, us, ms, s, m or h, like 10s or 1m30s");
}

TEST(ParseDuration, RejectsANegativeDuration) {
  EXPECT_EQ(error_of("-5s"), "invalid duration \"-5s\": a duration cannot be negative");
}

TEST(ParseDuration, RejectsMalformedNumbers) {
  for (std::string_view text : {"s", ".5s", "1.s", "1 s", " 1s", "1s ", "1e3s", "+1s", "1s5"}) {
    EXPECT_NE(error_of(text), "accepted") << text;
  }
}

TEST(ParseDuration, RejectsOverflow) {
  EXPECT_EQ(error_of("2562048h"), "invalid duration \"2562048h\": too large; the maximum is 2562047h");
  EXPECT_EQ(error_of("99999999999999999999ns"),
            "invalid duration \"99999999999999999999ns\": too large; the maximum is 2562047h");
  EXPECT_EQ(error_of("2562047h2562047h"),
            "invalid duration \"2562047h2562047h\": too large; the maximum is 2562047h");
}

TEST(ParseDuration, AcceptsTheLargestWholeHours) { EXPECT_EQ(ns("2562047h"), 2562047LL * 3'600'000'000'000); }

}  // namespace
}  // namespace surge::plan
