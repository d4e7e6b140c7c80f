// `group` steps against `surge serve`: a group run counts once per pass through it, its duration covers its
// requests and think time, a failing check inside fails the run, and a cut iteration counts no run.
#include <gtest/gtest.h>

#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

std::string plan_file(const std::string& address, const std::string& body) {
  return write_temp_file("group.yaml", "target: http://" + address + "\n" + body);
}

// One user, one worker: -n 28 is exactly 4 iterations of 1 + 3 x 2 requests.
constexpr const char* kCheckoutLoop = R"(phases: [{ name: main, duration: 60s, users: 1 }]
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

std::string checkout_plan(const std::string& address, const std::string& pay_status) {
  std::string body = kCheckoutLoop;
  body.replace(body.find("STATUS"), 6, pay_status);
  return plan_file(address, body);
}

const nlohmann::json& step_named(const nlohmann::json& results, const std::string& name) {
  for (const nlohmann::json& step : results["steps"]) {
    if (step["name"] == name) return step;
  }
  ADD_FAILURE() << "no step " << name;
  return results["steps"][0];
}

TEST(Groups, AGroupInALoopOfThreeRunsThreeTimesPerIteration) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({checkout_plan(address, "200"), "-n", "28", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_EQ(run.results["requests"]["total"], 28) << "group runs are not requests";
  ASSERT_EQ(run.results["groups"].size(), 1u);
  const nlohmann::json& group = run.results["groups"][0];
  EXPECT_EQ(group["scenario"], "shop");
  EXPECT_EQ(group["name"], "checkout");
  EXPECT_EQ(group["path"], "checkout");
  EXPECT_EQ(group["runs"], 12);
  EXPECT_EQ(group["passed"], 12);
  EXPECT_EQ(group["failed"], 0);
  ASSERT_EQ(group["phases"].size(), 1u);
  EXPECT_EQ(group["phases"][0]["name"], "main");
  EXPECT_EQ(group["phases"][0]["runs"], 12);
}

TEST(Groups, EveryRunLastsAtLeastItsThinkTimeAndItsRequests) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({checkout_plan(address, "200"), "-n", "28", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& duration = run.results["groups"][0]["duration_ms"];
  const nlohmann::json& cart = step_named(run.results, "cart");
  const nlohmann::json& pay = step_named(run.results, "pay");
  EXPECT_EQ(cart["group"], "checkout");
  EXPECT_EQ(pay["group"], "checkout");
  EXPECT_FALSE(step_named(run.results, "home").contains("group"));
  // Each run holds one cart request, 50 ms of think and one pay request, so even the shortest run is at least
  // 50 ms plus the shortest of each, and the longest at least 50 ms plus the longest of either.
  double cart_min = cart["latency_ms"]["min"], pay_min = pay["latency_ms"]["min"];
  double cart_max = cart["latency_ms"]["max"], pay_max = pay["latency_ms"]["max"];
  EXPECT_GE(duration["min"].get<double>(), 50.0 + cart_min + pay_min);
  EXPECT_GE(duration["max"].get<double>(), 50.0 + std::max(cart_max, pay_max));
  EXPECT_LT(duration["max"].get<double>(), 1000.0) << "a run is one pass, not the whole iteration";
}

TEST(Groups, AFailingCheckInsideMarksEveryRunFailed) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  RunOutcome run = run_surge({checkout_plan(address, "204"), "-n", "28", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& group = run.results["groups"][0];
  EXPECT_EQ(group["runs"], 12);
  EXPECT_EQ(group["passed"], 0);
  EXPECT_EQ(group["failed"], 12);
  EXPECT_EQ(step_named(run.results, "pay")["requests"]["by_error"]["check"], 12);
  EXPECT_EQ(step_named(run.results, "cart")["requests"]["errors"], 0);
}

TEST(Groups, NestedGroupsAreNamedOuterColonColonInner) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = plan_file(address, R"(phases: [{ name: main, duration: 60s, users: 1 }]
scenarios:
  - name: shop
    steps:
      - group:
          name: visit
          steps:
            - http: { name: home, url: / }
            - group: { name: browse, steps: [ { http: { name: item, url: /json } } ] }
)");
  RunOutcome run = run_surge({plan, "-n", "10", "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_EQ(run.results["groups"].size(), 2u);
  EXPECT_EQ(run.results["groups"][0]["path"], "visit");
  EXPECT_EQ(run.results["groups"][0]["runs"], 5);
  EXPECT_EQ(run.results["groups"][1]["name"], "browse");
  EXPECT_EQ(run.results["groups"][1]["path"], "visit::browse");
  EXPECT_EQ(run.results["groups"][1]["runs"], 5);
  EXPECT_EQ(step_named(run.results, "home")["group"], "visit");
  EXPECT_EQ(step_named(run.results, "item")["group"], "visit::browse");
  EXPECT_NE(run.stdout_text.find("shop / visit::browse"), std::string::npos) << run.stdout_text;
}

TEST(Groups, AnIterationCutByGracefulStopCountsNoRun) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = plan_file(address, R"(phases: [{ name: main, duration: 300ms, users: 2, graceful_stop: 100ms }]
scenarios:
  - name: slow
    steps:
      - group: { name: wait, steps: [ { http: { name: home, url: / } }, { think: 5s } ] }
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.results["interrupted_iterations"], 2) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["total"], 2);
  EXPECT_EQ(run.results["groups"][0]["runs"], 0);
  EXPECT_EQ(run.results["groups"][0]["phases"].size(), 0u);
  EXPECT_FALSE(run.results["groups"][0].contains("duration_ms"));
}

}  // namespace
}  // namespace surge::e2e
