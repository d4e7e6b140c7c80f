// Plan files end to end: phases and steps against the built-in target and a target we start, counts per
// step equal the server's counts per path, invalid plans exit 2 with file:line:column, Ctrl-C keeps results.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "support.h"

namespace surge::e2e {
namespace {

const char* kTwoStepPlan = R"(name: two-steps
target: {TARGET}
phases:
  - { name: steady, duration: 1s, users: 4 }
  - { name: more,   duration: 1s, users: { from: 4, to: 8 } }
scenarios:
  - name: browse
    steps:
      - http: { name: home, url: / }
      - http: { name: data, method: GET, url: /json, expect: { status: 200 } }
      - think: 1ms..3ms
)";

std::string plan_for(const std::string& target) {
  std::string plan = kTwoStepPlan;
  plan.replace(plan.find("{TARGET}"), 8, target);
  return plan;
}

TEST(PlanRun, BuiltinTargetRunsEveryPhaseAndStep) {
  std::string path = write_temp_file("builtin.yaml", plan_for("builtin"));
  RunOutcome run = run_surge({path});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  ASSERT_EQ(run.results["phases"].size(), 2u);
  EXPECT_EQ(run.results["phases"][0]["name"], "steady");
  EXPECT_EQ(run.results["phases"][1]["name"], "more");
  ASSERT_EQ(run.results["steps"].size(), 2u);
  EXPECT_EQ(run.results["steps"][0]["name"], "home");
  EXPECT_EQ(run.results["steps"][1]["name"], "data");
  uint64_t total = run.results["requests"]["total"];
  uint64_t by_phase = run.results["phases"][0]["requests"]["total"].get<uint64_t>() +
                      run.results["phases"][1]["requests"]["total"].get<uint64_t>();
  EXPECT_EQ(by_phase, total);
  EXPECT_GT(run.results["phases"][1]["requests"]["total"].get<uint64_t>(),
            run.results["phases"][0]["requests"]["total"].get<uint64_t>());
  EXPECT_EQ(run.results["connections"]["max_concurrent"], 8);
  EXPECT_NE(run.stdout_text.find("result: pass"), std::string::npos);
}

TEST(PlanRun, StepCountsEqualTheServersCountsPerPath) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string path = write_temp_file("external.yaml", plan_for("http://" + address));
  RunOutcome run = run_surge({path, "--workers", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  nlohmann::json stats = serve_stats(address);
  EXPECT_EQ(run.results["steps"][0]["requests"]["total"], stats["by_path"]["/"]);
  EXPECT_EQ(run.results["steps"][1]["requests"]["total"], stats["by_path"]["/json"]);
  EXPECT_EQ(run.results["requests"]["total"], stats["requests_total"]);
}

TEST(PlanValidate, InvalidPlanExitsTwoWithFileLineAndColumn) {
  std::string path = write_temp_file("broken.yaml", R"(name: broken
target: builtin
phases:
  - { name: warm-up, duraton: 5s, users: 5 }
scenarios:
  - name: s
    steps:
      - http: { url: / }
)");
  Process validate({surge_binary(), "validate", path});
  EXPECT_EQ(validate.wait(), 2);
  std::string errors = validate.stderr_text();
  EXPECT_NE(errors.find(path + ":4:"), std::string::npos) << errors;
  EXPECT_NE(errors.find("duraton"), std::string::npos) << errors;

  RunOutcome run = run_surge({path});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find(path + ":4:"), std::string::npos) << run.stderr_text;
}

TEST(PlanValidate, ValidPlanExitsZero) {
  Process validate({surge_binary(), "validate", source_dir() + "/examples/quickstart.yaml"});
  EXPECT_EQ(validate.wait(), 0) << validate.stderr_text();
  EXPECT_NE(validate.stdout_text().find(": ok"), std::string::npos);
}

TEST(Interrupt, CtrlCStillWritesResultsMarkedInterrupted) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string json_path = temp_dir() + "/interrupted.json";
  Process run({surge_binary(), "run", "--url", "http://" + address + "/", "-c", "5", "-d", "60s", "--workers",
               "2", "--quiet", "--out", "json=" + json_path});
  // Wait until the load is really flowing (the target has answered), then interrupt as a terminal would.
  wait_for_requests(address, 1000);
  ASSERT_EQ(kill(run.pid(), SIGINT), 0);
  EXPECT_EQ(run.wait(10), 1);
  EXPECT_LT(run.elapsed_s(), 20.0);
  std::string text = write_temp_file("unused", "");  // keep temp dir alive
  nlohmann::json results = nlohmann::json::parse(std::ifstream(json_path));
  EXPECT_EQ(results["interrupted"], true);
  EXPECT_EQ(results["result"], "fail");
  EXPECT_EQ(results["requests"]["total"], serve_stats(address)["requests_total"]);
  EXPECT_GT(results["requests"]["total"].get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace surge::e2e
