// What a plan keeps secret (secret headers, credential headers, secret_env) and which files it may read (its
// own folder, symlinks resolved, unless --allow-outside-files).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "plan_test_util.h"

namespace surge::plan {
namespace {

constexpr const char* kPhases = R"yaml(target: http://127.0.0.1:1
phases: [{ name: p, duration: 1s, users: 1 }]
)yaml";

Plan load_ok(const std::string& yaml, const std::string& file = "p.yaml", const Overrides& overrides = {}) {
  auto plan = load_plan_string(yaml, file, overrides);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error()[0].to_string());
  return plan ? std::move(plan).value() : Plan{};
}

TEST(PlanSecrets, AHeaderMarkedSecretKeepsItsValueAndIsASecret) {
  Plan plan = load_ok(std::string(kPhases) + R"yaml(scenarios:
  - name: s
    steps:
      - http: { url: /, headers: { X-Api-Key: { value: "k-123456", secret: true }, X-Team: blue } }
)yaml");
  const HttpStep& step = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  ASSERT_EQ(step.headers.size(), 2u);
  EXPECT_EQ(step.headers[0].value, "k-123456");
  EXPECT_TRUE(step.headers[0].secret);
  EXPECT_FALSE(step.headers[1].secret);
  EXPECT_EQ(plan.secrets, std::vector<std::string>{"k-123456"});
}

TEST(PlanSecrets, AnAuthorizationValueAndItsCredentialsAreSecretsWithoutBeingMarked) {
  Plan plan = load_ok(std::string(kPhases) + R"yaml(headers: { Authorization: "Bearer SECRET123" }
scenarios: [{ name: s, steps: [{ http: { url: /, headers: { Cookie: "sid=abcdef" } } }] }]
)yaml");
  EXPECT_EQ(plan.secrets, (std::vector<std::string>{"Bearer SECRET123", "SECRET123", "sid=abcdef"}));
}

TEST(PlanSecrets, AnEnvironmentVariableInACredentialHeaderIsASecret) {
  setenv("SURGE_TEST_PLAN_TOKEN", "tok-987654", 1);
  Plan plan = load_ok(std::string(kPhases) + R"yaml(scenarios:
  - name: s
    steps: [{ http: { url: /, headers: { Authorization: "Bearer {{ env.SURGE_TEST_PLAN_TOKEN }}" } } }]
)yaml");
  EXPECT_EQ(plan.secrets, std::vector<std::string>{"tok-987654"});
}

TEST(PlanSecrets, SecretEnvNamesVariablesWhoseValuesAreSecrets) {
  setenv("SURGE_TEST_PLAN_DB", "hunter22", 1);
  Plan plan = load_ok(std::string(kPhases) + R"yaml(secret_env: [SURGE_TEST_PLAN_DB, SURGE_TEST_PLAN_UNSET]
scenarios: [{ name: s, steps: [{ http: { url: "/?p={{ env.SURGE_TEST_PLAN_DB }}" } }] }]
)yaml");
  EXPECT_EQ(plan.secrets, std::vector<std::string>{"hunter22"});
}

TEST(PlanSecrets, ADiagnosticQuotingASecretShowsStarsInstead) {
  setenv("SURGE_TEST_PLAN_DB", "hunter22", 1);
  EXPECT_EQ(diagnostics_of(std::string(kPhases) + R"yaml(secret_env: [SURGE_TEST_PLAN_DB]
timeout: hunter22
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)yaml"),
            Lines{"p.yaml:4:10: invalid duration \"***\": expected a number with a unit ns, us, ms, s, m or h, "
                  "like 10s or 1m30s"});
}

TEST(PlanSecrets, ASecretFlagMustBeTrueOrFalse) {
  EXPECT_EQ(diagnostics_of(std::string(kPhases) + R"yaml(headers: { X-Key: { value: abc, secret: yes please } }
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)yaml"),
            Lines{"p.yaml:3:41: secret: expected true or false, found 'yes please'"});
}

// plan/inner/plan.yaml, plan/inner/in.csv, plan/outside.csv, and plan/inner/link.csv -> ../outside.csv.
class PlanFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "plan_files_" + std::to_string(getpid());
    std::filesystem::create_directories(root_ + "/inner");
    std::ofstream(root_ + "/inner/in.csv") << "name\nalice\n";
    std::ofstream(root_ + "/outside.csv") << "name\nmallory\n";
    std::filesystem::remove(root_ + "/inner/link.csv");
    std::filesystem::create_symlink(root_ + "/outside.csv", root_ + "/inner/link.csv");
    root_ = std::filesystem::canonical(root_).string();
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string plan_with_feeder(const std::string& file) {
    return std::string(kPhases) + "feeders: [{ name: users, file: " + file + " }]\n" +
           "scenarios: [{ name: s, steps: [{ http: { url: \"/{{ users.name }}\" } }] }]\n";
  }
  std::vector<std::string> errors(const std::string& file) {
    auto plan = load_plan_string(plan_with_feeder(file), root_ + "/inner/plan.yaml");
    std::vector<std::string> lines;
    if (!plan) for (const Diagnostic& diagnostic : plan.error()) lines.push_back(diagnostic.to_string());
    return lines;
  }
  std::string root_;
};

TEST_F(PlanFiles, AFeederNextToThePlanIsRead) {
  Plan plan = load_ok(plan_with_feeder("in.csv"), root_ + "/inner/plan.yaml");
  ASSERT_EQ(plan.feeders.size(), 1u);
  EXPECT_EQ(plan.feeders[0].rows, std::vector<std::vector<std::string>>{{"alice"}});
}

TEST_F(PlanFiles, AFeederInAParentFolderIsAPlanErrorAtItsFileValue) {
  EXPECT_EQ(errors("../outside.csv"),
            Lines{root_ + "/inner/plan.yaml:3:32: '../outside.csv' is outside the plan's folder " + root_ +
                  "/inner (it resolves to " + root_ +
                  "/outside.csv); a plan reads files only from its own folder unless --allow-outside-files is given"});
}

TEST_F(PlanFiles, AnAbsolutePathOutsideIsAPlanError) {
  EXPECT_EQ(errors(root_ + "/outside.csv"),
            Lines{root_ + "/inner/plan.yaml:3:32: '" + root_ + "/outside.csv' is outside the plan's folder " +
                  root_ + "/inner; a plan reads files only from its own folder unless --allow-outside-files is given"});
}

TEST_F(PlanFiles, ASymlinkInsideThatPointsOutsideIsResolvedBeforeTheCheck) {
  EXPECT_EQ(errors("link.csv"),
            Lines{root_ + "/inner/plan.yaml:3:32: 'link.csv' is outside the plan's folder " + root_ +
                  "/inner (it resolves to " + root_ +
                  "/outside.csv); a plan reads files only from its own folder unless --allow-outside-files is given"});
}

TEST_F(PlanFiles, AllowOutsideFilesReadsAFileOutside) {
  Overrides overrides;
  overrides.allow_outside_files = true;
  Plan plan = load_ok(plan_with_feeder("../outside.csv"), root_ + "/inner/plan.yaml", overrides);
  ASSERT_EQ(plan.feeders.size(), 1u);
  EXPECT_EQ(plan.feeders[0].rows, std::vector<std::vector<std::string>>{{"mallory"}});
}

}  // namespace
}  // namespace surge::plan
