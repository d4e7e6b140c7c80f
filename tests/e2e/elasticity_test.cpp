// The shipped six-phase elasticity example, scaled to 42 s, against the built-in target.
#include <gtest/gtest.h>

#include "support.h"

namespace surge::e2e {
namespace {

TEST(Elasticity, ScaledExampleRunsAllSixPhases) {
  RunOutcome run = run_surge({source_dir() + "/examples/elasticity.yaml", "--scale", "0.005"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  const nlohmann::json& phases = run.results["phases"];
  ASSERT_EQ(phases.size(), 6u);
  const char* names[] = {"warm-up", "ramp-up", "sustained", "peak", "spike", "recovery"};
  const double seconds[] = {1.5, 3, 9, 3, 1.5, 3};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(phases[i]["name"], names[i]);
    EXPECT_DOUBLE_EQ(phases[i]["planned_duration_s"].get<double>(), seconds[i]);
    EXPECT_GT(phases[i]["requests"]["total"].get<uint64_t>(), 0u) << names[i];
  }
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  // No error, no SLA: every phase settled at its first success (docs/faults.md#settle_s).
  for (size_t i = 0; i < 6; ++i) {
    ASSERT_TRUE(phases[i]["settle_s"].is_number()) << phases[i].dump();
    EXPECT_LT(phases[i]["settle_s"].get<double>(), 0.5) << names[i];
  }
  EXPECT_NE(run.stdout_text.find("  settled      warm-up in "), std::string::npos) << run.stdout_text;
  // The spike ends at 10,000 users, each with its own connection.
  EXPECT_GE(run.results["connections"]["max_concurrent"].get<uint64_t>(), 9000u);
}

}  // namespace
}  // namespace surge::e2e
