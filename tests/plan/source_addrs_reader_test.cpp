// `source_addrs:` in a plan: a string (range or comma list) or a sequence, and each bad value reported at its
// line:column with what was expected.
#include <gtest/gtest.h>

#include "net/source_addresses.h"
#include "plan_test_util.h"

namespace surge::plan {
namespace {

constexpr std::string_view kRest = R"(phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)";

std::vector<std::string> sources_of(const std::string& line) {
  auto plan = load_plan_string("target: builtin\n" + line + std::string(kRest), "p.yaml");
  if (!plan) return {"error: " + plan.error().front().to_string()};
  std::vector<std::string> out;
  for (const auto& address : plan->source_addrs) out.push_back(net::host_text(address));
  return out;
}

TEST(SourceAddrsReader, ReadsARangeAListAndASequence) {
  EXPECT_EQ(sources_of("source_addrs: 127.0.0.2-127.0.0.4\n"),
            (Lines{"127.0.0.2", "127.0.0.3", "127.0.0.4"}));
  EXPECT_EQ(sources_of("source_addrs: 127.0.0.2, 127.0.0.9\n"), (Lines{"127.0.0.2", "127.0.0.9"}));
  EXPECT_EQ(sources_of("source_addrs: [127.0.0.9, 127.0.0.2-127.0.0.3]\n"),
            (Lines{"127.0.0.9", "127.0.0.2", "127.0.0.3"}));
  EXPECT_EQ(sources_of("source_addrs: ['::1']\n"), (Lines{"::1"}));
  EXPECT_TRUE(sources_of("").empty());
}

TEST(SourceAddrsReader, ReportsABadAddressAtItsPosition) {
  std::string rest(kRest);
  EXPECT_EQ(diagnostics_of("target: builtin\nsource_addrs: 127.0.0.7-127.0.0.2\n" + rest),
            (Lines{"p.yaml:2:15: source_addrs: range 127.0.0.7-127.0.0.2 is reversed: the first address must not "
                   "be above the last"}));
  EXPECT_EQ(diagnostics_of("target: builtin\nsource_addrs:\n  - 127.0.0.2\n  - ::1\n" + rest),
            (Lines{"p.yaml:4:5: source_addrs: source addresses mix IPv4 and IPv6 (127.0.0.2, ::1): a connection's "
                   "source must match its target's family"}));
  EXPECT_EQ(diagnostics_of("target: builtin\nsource_addrs: [127.0.0.2, nope]\n" + rest),
            (Lines{"p.yaml:2:27: source_addrs: 'nope' is not an IPv4 or IPv6 address (expected like 127.0.0.2 or "
                   "::1)"}));
  EXPECT_EQ(diagnostics_of("target: builtin\nsource_addrs: []\n" + rest),
            (Lines{"p.yaml:2:15: source_addrs: expected at least one address, like 127.0.0.2-127.0.0.7 or "
                   "[10.0.0.1, 10.0.0.2]"}));
}

}  // namespace
}  // namespace surge::plan
