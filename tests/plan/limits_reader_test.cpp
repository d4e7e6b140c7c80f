// `timeouts:` and `limits:`: defaults, every key read with its unit, and each bad value reported at its
// line:column with the exact message.
#include <gtest/gtest.h>

#include <chrono>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kRest = R"(phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)";

Plan load(const std::string& head) {
  auto plan = load_plan_string("target: builtin\n" + head + std::string(kRest), "p.yaml");
  if (!plan) {
    ADD_FAILURE() << plan.error().front().to_string();
    return {};
  }
  return *plan;
}

TEST(LimitsReader, GivesSafeDefaultsWhenTheBlocksAreAbsent) {
  Plan plan = load("");
  EXPECT_EQ(plan.timeouts.connect, seconds(5));
  EXPECT_EQ(plan.timeouts.idle, seconds(50));
  EXPECT_FALSE(plan.timeouts.ws_receive.has_value());
  EXPECT_EQ(plan.limits.max_header_bytes, 65536u);
  EXPECT_EQ(plan.limits.max_header_line_bytes, 16384u);
  EXPECT_EQ(plan.limits.max_kept_bytes, 1048576u);
  EXPECT_EQ(plan.limits.max_body_bytes, 0u);
}

TEST(LimitsReader, ReadsEveryTimeout) {
  Plan plan = load("timeouts: { connect: 250ms, idle: 3s, ws_receive: 1500ms }\n");
  EXPECT_EQ(plan.timeouts.connect, milliseconds(250));
  EXPECT_EQ(plan.timeouts.idle, seconds(3));
  EXPECT_EQ(plan.timeouts.ws_receive, milliseconds(1500));
}

TEST(LimitsReader, ReadsSizesPlainOrWithABinaryUnit) {
  Plan plan = load("limits: { max_header_bytes: 2KiB, max_header_line_bytes: 512B, max_kept_bytes: 3MiB, "
                   "max_body_bytes: 2GiB }\n");
  EXPECT_EQ(plan.limits.max_header_bytes, 2048u);
  EXPECT_EQ(plan.limits.max_header_line_bytes, 512u);
  EXPECT_EQ(plan.limits.max_kept_bytes, 3u << 20);
  EXPECT_EQ(plan.limits.max_body_bytes, uint64_t{2} << 30);
  EXPECT_EQ(load("limits: { max_body_bytes: 16384 }\n").limits.max_body_bytes, 16384u);
}

TEST(LimitsReader, ReportsASizeWithAnUnknownUnit) {
  EXPECT_EQ(diagnostics_of("target: builtin\nlimits:\n  max_header_bytes: 64KB\n" + std::string(kRest)),
            Lines{"p.yaml:3:21: max_header_bytes: expected a size like 64KiB, 1MiB or 16384, found '64KB'"});
}

TEST(LimitsReader, ReportsASizeOutsideItsRange) {
  EXPECT_EQ(diagnostics_of("target: builtin\nlimits: { max_header_line_bytes: 100 }\n" + std::string(kRest)),
            Lines{"p.yaml:2:34: max_header_line_bytes must be from 256 to 1073741824 bytes, found '100'"});
}

TEST(LimitsReader, ReportsAZeroTimeout) {
  EXPECT_EQ(diagnostics_of("target: builtin\ntimeouts: { connect: 0s }\n" + std::string(kRest)),
            Lines{"p.yaml:2:22: timeouts.connect must be > 0, found '0s'"});
}

TEST(LimitsReader, ReportsAnUnknownTimeoutKeyWithTheAllowedOnes) {
  EXPECT_EQ(diagnostics_of("target: builtin\ntimeouts: { read: 1s }\n" + std::string(kRest)),
            Lines{"p.yaml:2:13: unknown key 'read' in timeouts; expected one of: connect, idle, ws_receive"});
}

}  // namespace
}  // namespace surge::plan
