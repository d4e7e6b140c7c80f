// SLAs on a group's own figures against `surge serve`: p95(group(name)) reads the group's run durations and
// group_failed_rate(name) its failed runs, each passing (exit 0) and failing (exit 99) on the same kind of
// run, and a name no group has is a plan error at its column (exit 2).
#include <gtest/gtest.h>

#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

// One user, one worker: -n 28 is exactly 4 iterations of 1 + 3 x 2 requests, 12 checkout runs of at least
// 50 ms each (the think inside the group).
constexpr const char* kPlan = R"(phases: [{ name: main, duration: 60s, users: 1 }]
scenarios:
  - name: shop
    steps:
      - http: { name: home, url: / }
      - loop:
          count: 3
          steps:
            - group:
                name: checkout
                steps:
                  - http: { name: cart, url: /json, expect: { status: 200 } }
                  - think: 50ms
                  - http: { name: pay, url: /, expect: { status: STATUS } }
)";

std::string plan_file(const std::string& address, const std::string& pay_status) {
  std::string body = kPlan;
  body.replace(body.find("STATUS"), 6, pay_status);
  return write_temp_file("sla_group.yaml", "target: http://" + address + "\n" + body);
}

const nlohmann::json& sla_entry(const nlohmann::json& results, const std::string& expr) {
  for (const nlohmann::json& entry : results["sla"]) {
    if (entry["expr"] == expr) return entry;
  }
  ADD_FAILURE() << "no SLA " << expr << " in " << results["sla"].dump();
  return results["sla"];
}

TEST(GroupSla, PassingGroupSlasExitZeroWithTheGroupsOwnFigures) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({plan_file(address, "200"), "-n", "28", "--workers", "1", "--sla",
                              "p95(group(checkout)) < 5s", "--sla", "group_failed_rate(checkout) < 1%", "--sla",
                              "min(group(checkout{scenario=shop})) >= 50ms"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  ASSERT_EQ(run.results["groups"][0]["runs"], 12);
  const nlohmann::json& p95 = sla_entry(run.results, "p95(group(checkout)) < 5s");
  EXPECT_EQ(p95["pass"], true);
  EXPECT_GE(p95["actual"].get<double>(), 0.05) << "in seconds, the threshold's unit: the think alone is 50 ms";
  EXPECT_NEAR(p95["actual"].get<double>(), run.results["groups"][0]["duration_ms"]["p95"].get<double>() / 1000, 0.001);
  EXPECT_EQ(sla_entry(run.results, "group_failed_rate(checkout) < 1%")["actual"], 0.0);
  EXPECT_EQ(sla_entry(run.results, "min(group(checkout{scenario=shop})) >= 50ms")["pass"], true);
}

TEST(GroupSla, AGroupSlaThatFailsExits99) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  // pay expects 201 but gets 200: every checkout run fails.
  RunOutcome run = run_surge({plan_file(address, "201"), "-n", "28", "--workers", "1", "--sla",
                              "group_failed_rate(checkout) < 50%", "--sla", "p95(group(checkout)) < 40ms"});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text << run.stdout_text;
  const nlohmann::json& failed = sla_entry(run.results, "group_failed_rate(checkout) < 50%");
  EXPECT_EQ(failed["pass"], false);
  EXPECT_EQ(failed["actual"], 100.0) << "12 of 12 runs failed, in %";
  const nlohmann::json& p95 = sla_entry(run.results, "p95(group(checkout)) < 40ms");
  EXPECT_EQ(p95["pass"], false);
  EXPECT_GE(p95["actual"].get<double>(), 50.0);
}

TEST(GroupSla, AnUnknownGroupIsAPlanErrorAtItsColumn) {
  std::string body = kPlan;
  body.replace(body.find("STATUS"), 6, "200");
  std::string plan = write_temp_file("sla_group_bad.yaml",
                                     "target: http://127.0.0.1:1\n" + body + "sla:\n  - p95(group(chekout)) < 1s\n");
  Process validate({surge_binary(), "validate", plan});
  EXPECT_EQ(validate.wait(60), 2);
  std::string text = validate.stderr_text() + validate.stdout_text();
  EXPECT_NE(text.find("sla_group_bad.yaml:17:15: "), std::string::npos) << text;
  EXPECT_NE(text.find("unknown group 'chekout'; the groups are: 'checkout'"), std::string::npos) << text;
}

}  // namespace
}  // namespace surge::e2e
