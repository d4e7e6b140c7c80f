// parse_rate_per_s: each accepted form with its exact per-second value, and each kind of rejection.
#include <gtest/gtest.h>

#include "plan/plan.h"

namespace surge::plan {
namespace {

std::string error_of(std::string_view text) {
  auto parsed = parse_rate_per_s(text);
  return parsed ? "accepted" : parsed.error().message;
}

struct RateCase {
  std::string_view text;
  double per_s;
};

TEST(ParseRate, ReadsEveryUnitAsPerSecond) {
  for (RateCase c : {RateCase{"200/s", 200},
                     {"12000/m", 200},
                     {"7200/h", 2},
                     {"0.5/s", 0.5},
                     {"30/m", 0.5},
                     {"1/h", 1.0 / 3600},
                     {"200", 200},
                     {"0", 0},
                     {"0/s", 0},
                     {"2.5", 2.5},
                     {"1e3/s", 1000}}) {
    auto parsed = parse_rate_per_s(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text << ": " << parsed.error().message;
    EXPECT_DOUBLE_EQ(*parsed, c.per_s) << c.text;
  }
}

TEST(ParseRate, AcceptsTheMaximum) {
  auto parsed = parse_rate_per_s("1000000000/s");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, 1e9);
}

TEST(ParseRate, RejectsMalformedTextNamingWhatIsExpected) {
  for (std::string_view text : {"20x/s", "", "/s", "200/", "3/ms", "200/sec", "200 /s", "abc", "+5/s",
                                "0x10/s", "2/s/s", "inf/s", "nan", "1e999/s"}) {
    EXPECT_EQ(error_of(text), "invalid rate \"" + std::string(text) +
                                  "\": expected a number per second like 200/s, 12000/m or 0.5/s")
        << text;
  }
}

TEST(ParseRate, RejectsANegativeRate) {
  EXPECT_EQ(error_of("-5/s"), "invalid rate \"-5/s\": a rate cannot be negative");
}

TEST(ParseRate, RejectsARateAboveTheMaximum) {
  EXPECT_EQ(error_of("60000000001/m"),
            "invalid rate \"60000000001/m\": too large; the maximum is 1000000000/s");
}

}  // namespace
}  // namespace surge::plan
