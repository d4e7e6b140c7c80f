// A complete valid plan read into exact values, and the whole-file failures: missing file, empty file,
// not text, not YAML, not a map. None of them may crash or throw.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "plan/plan.h"
#include "plan_test_util.h"

namespace surge::plan {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kQuickstart = R"(name: quickstart
target: http://localhost:8080/api
timeout: 5s
headers: { X-Team: perf }
phases:
  - { name: warm-up, duration: 5s, users: 5 }
  - { name: ramp,    duration: 15s, users: { from: 5, to: 50 } }
scenarios:
  - name: browse
    weight: 3
    steps:
      - http: { method: GET, url: /, expect: { status: 200 } }
      - think: 100ms..500ms
      - http: { name: order, method: POST, url: /echo, headers: { Content-Type: text/plain }, body: "hi", timeout: 2s }
      - http: { method: POST, url: /echo, json: { a: 1, b: [true, "x"] } }
  - name: fixed
    steps:
      - think: 250ms
)";

Plan load_quickstart() {
  auto plan = load_plan_string(kQuickstart, "quickstart.yaml");
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error()[0].to_string());
  return plan ? *plan : Plan{};
}

TEST(LoadPlan, ReadsThePlanLevelKeys) {
  Plan plan = load_quickstart();
  EXPECT_EQ(plan.name, "quickstart");
  EXPECT_EQ(plan.file, "quickstart.yaml");
  EXPECT_FALSE(plan.builtin_target);
  EXPECT_EQ(plan.target_url, "http://localhost:8080/api");
  EXPECT_EQ(plan.request_timeout, 5s);
  ASSERT_EQ(plan.headers.size(), 1u);
  EXPECT_EQ(plan.headers[0].name, "X-Team");
  EXPECT_EQ(plan.headers[0].value, "perf");
  EXPECT_EQ(plan.total_duration(), 20s);
}

TEST(LoadPlan, ReadsConstantAndRampedPhases) {
  Plan plan = load_quickstart();
  ASSERT_EQ(plan.phases.size(), 2u);
  EXPECT_EQ(plan.phases[0].name, "warm-up");
  EXPECT_EQ(plan.phases[0].duration, 5s);
  EXPECT_EQ(plan.phases[0].model, LoadModel::kClosed);
  EXPECT_EQ(plan.phases[0].users.from, 5);
  EXPECT_EQ(plan.phases[0].users.to, 5);
  EXPECT_EQ(plan.phases[1].name, "ramp");
  EXPECT_EQ(plan.phases[1].duration, 15s);
  EXPECT_EQ(plan.phases[1].users.from, 5);
  EXPECT_EQ(plan.phases[1].users.to, 50);
  EXPECT_EQ(plan.phases[1].where.file, "quickstart.yaml");
  EXPECT_EQ(plan.phases[1].where.line, 7);
  EXPECT_EQ(plan.phases[1].where.column, 5);
}

TEST(LoadPlan, ReadsScenariosWithWeightsAndPositions) {
  Plan plan = load_quickstart();
  ASSERT_EQ(plan.scenarios.size(), 2u);
  EXPECT_EQ(plan.scenarios[0].name, "browse");
  EXPECT_EQ(plan.scenarios[0].weight, 3);
  EXPECT_EQ(plan.scenarios[0].where.line, 9);
  EXPECT_EQ(plan.scenarios[0].where.column, 5);
  EXPECT_EQ(plan.scenarios[0].steps.size(), 4u);
  EXPECT_EQ(plan.scenarios[1].name, "fixed");
  EXPECT_EQ(plan.scenarios[1].weight, 1);
}

TEST(LoadPlan, ReadsAGetStepWithDefaults) {
  Plan plan = load_quickstart();
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[0]);
  EXPECT_EQ(step.name, "GET /");
  EXPECT_EQ(step.method, "GET");
  EXPECT_EQ(step.url, "/");
  EXPECT_TRUE(step.headers.empty());
  EXPECT_EQ(step.body, "");
  EXPECT_FALSE(step.timeout.has_value());
  EXPECT_EQ(step.expect_status, 200);
  EXPECT_EQ(step.where.line, 12);
  EXPECT_EQ(step.where.column, 9);
}

TEST(LoadPlan, ReadsAThinkRangeAndAFixedThink) {
  Plan plan = load_quickstart();
  const auto& range = std::get<ThinkStep>(plan.scenarios[0].steps[1]);
  EXPECT_EQ(range.min, 100ms);
  EXPECT_EQ(range.max, 500ms);
  EXPECT_EQ(range.where.line, 13);
  const auto& fixed = std::get<ThinkStep>(plan.scenarios[1].steps[0]);
  EXPECT_EQ(fixed.min, 250ms);
  EXPECT_EQ(fixed.max, 250ms);
}

TEST(LoadPlan, ReadsANamedPostWithHeadersBodyAndTimeout) {
  Plan plan = load_quickstart();
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[2]);
  EXPECT_EQ(step.name, "order");
  EXPECT_EQ(step.method, "POST");
  EXPECT_EQ(step.url, "/echo");
  ASSERT_EQ(step.headers.size(), 1u);
  EXPECT_EQ(step.headers[0].name, "Content-Type");
  EXPECT_EQ(step.headers[0].value, "text/plain");
  EXPECT_EQ(step.body, "hi");
  EXPECT_EQ(step.timeout, std::optional<Duration>(2s));
  EXPECT_FALSE(step.expect_status.has_value());
}

TEST(LoadPlan, SerializesAJsonBodyAndAddsItsContentType) {
  Plan plan = load_quickstart();
  const auto& step = std::get<HttpStep>(plan.scenarios[0].steps[3]);
  EXPECT_EQ(step.name, "POST /echo");
  EXPECT_EQ(step.body, R"({"a":1,"b":[true,"x"]})");
  ASSERT_EQ(step.headers.size(), 1u);
  EXPECT_EQ(step.headers[0].name, "Content-Type");
  EXPECT_EQ(step.headers[0].value, "application/json");
}

TEST(LoadPlan, ReadsTheBuiltinTarget) {
  auto plan = load_plan_string(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 0 }]
scenarios: [{ name: s, steps: [{ think: 0s }] }]
)",
                               "dir/smoke.test.yaml");
  ASSERT_TRUE(plan.has_value());
  EXPECT_TRUE(plan->builtin_target);
  EXPECT_EQ(plan->target_url, "");
  EXPECT_EQ(plan->request_timeout, 10s);
}

TEST(LoadPlan, NamesAnUnnamedPlanAfterItsFile) {
  auto plan = load_plan_string(R"(target: builtin
phases: [{ name: p, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ think: 1ms }] }]
)",
                               "dir/smoke.test.yaml");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->name, "smoke.test");
}

TEST(LoadPlanFile, ReadsAPlanFromDisk) {
  std::string path = ::testing::TempDir() + "surge_plan_test_" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(path) << kQuickstart;
  auto plan = load_plan_file(path);
  std::remove(path.c_str());
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->file, path);
  EXPECT_EQ(plan->scenarios.size(), 2u);
}

TEST(LoadPlanFile, ReportsAMissingFile) {
  auto plan = load_plan_file("/nonexistent/x.yaml");
  ASSERT_FALSE(plan.has_value());
  ASSERT_EQ(plan.error().size(), 1u);
  EXPECT_EQ(plan.error()[0].to_string(), "cannot read plan '/nonexistent/x.yaml': No such file or directory");
}

TEST(LoadPlanFile, ReportsADirectory) {
  auto plan = load_plan_file("/");
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error()[0].to_string(), "cannot read plan '/': Is a directory");
}

TEST(LoadPlan, RejectsAnEmptyFile) {
  EXPECT_EQ(diagnostics_of(""),
            Lines{"p.yaml: plan is empty; expected a map with keys name, target, phases and scenarios"});
}

TEST(LoadPlan, RejectsAFileOfOnlyComments) {
  EXPECT_EQ(diagnostics_of("# nothing yet\n\n"),
            Lines{"p.yaml: plan is empty; expected a map with keys name, target, phases and scenarios"});
}

TEST(LoadPlan, RejectsATopLevelSequence) {
  EXPECT_EQ(diagnostics_of("- name: x\n- name: y\n"),
            Lines{"p.yaml:1:1: plan: expected a map, found a sequence"});
}

TEST(LoadPlan, RejectsATopLevelScalar) {
  EXPECT_EQ(diagnostics_of("hello\n"), Lines{"p.yaml:1:1: plan: expected a map, found 'hello'"});
}

TEST(LoadPlan, ReportsAYamlSyntaxErrorAtItsMark) {
  EXPECT_EQ(diagnostics_of("name: x\nphases: [1, 2\n"),
            Lines{"p.yaml:3:1: invalid YAML: end of sequence flow not found"});
}

TEST(LoadPlan, ReportsDeepNestingInsteadOfOverflowingTheStack) {
  std::string yaml = std::string(3000, '[') + std::string(3000, ']') + "\n";
  auto lines = diagnostics_of(yaml);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].ends_with(": invalid YAML: nested too deeply")) << lines[0];
}

// yaml-cpp's mark for a bad escape is the character after it.
TEST(LoadPlan, ReportsABadEscapeAtItsMark) {
  EXPECT_EQ(diagnostics_of("name: \"a\\qb\"\n"),
            Lines{"p.yaml:1:11: invalid YAML: unknown escape character: q"});
}

TEST(LoadPlan, RejectsMoreThanOneDocument) {
  EXPECT_EQ(diagnostics_of("name: a\n---\nname: b\n"),
            Lines{"p.yaml:3:1: plan has more than one YAML document; expected one"});
}

TEST(LoadPlan, RejectsInvalidUtf8AtTheFirstBadByte) {
  EXPECT_EQ(diagnostics_of("name: ok\nta\xc3\xa9: x\xff\n"),
            Lines{"p.yaml:2:7: plan is not valid UTF-8: invalid byte 0xff"});
}

TEST(LoadPlan, RejectsAnOverlongUtf8Encoding) {
  EXPECT_EQ(diagnostics_of("name: \xc0\xaf\n"),
            Lines{"p.yaml:1:7: plan is not valid UTF-8: invalid byte 0xc0"});
}

TEST(LoadPlan, RejectsANulByte) {
  EXPECT_EQ(diagnostics_of(std::string_view("name: a\0b\n", 10)),
            Lines{"p.yaml:1:8: plan contains a control character (0x00); expected text"});
}

TEST(LoadPlan, AcceptsAUtf8ByteOrderMarkAndNonAsciiText) {
  auto plan = load_plan_string(
      "\xef\xbb\xbfname: caf\xc3\xa9\ntarget: builtin\n"
      "phases: [{ name: p, duration: 1s, users: 1 }]\n"
      "scenarios: [{ name: s, steps: [{ think: 1ms }] }]\n",
      "p.yaml");
  ASSERT_TRUE(plan.has_value()) << plan.error()[0].to_string();
  EXPECT_EQ(plan->name, "caf\xc3\xa9");
}

TEST(LoadPlan, GivesDiagnosticsForEveryPrefixOfAValidPlan) {
  // Truncated files are the commonest broken input; every cut must give a plan or located diagnostics.
  for (size_t cut = 0; cut < kQuickstart.size(); ++cut) {
    auto plan = load_plan_string(kQuickstart.substr(0, cut), "p.yaml");
    if (plan) continue;
    ASSERT_FALSE(plan.error().empty()) << cut;
    for (const Diagnostic& diagnostic : plan.error()) EXPECT_FALSE(diagnostic.message.empty()) << cut;
  }
}

TEST(LoadPlan, GivesOneDiagnosticForRandomBinaryGarbage) {
  std::mt19937 random(42);
  for (int round = 0; round < 200; ++round) {
    std::string garbage(64, '\0');
    for (char& c : garbage) c = static_cast<char>(random() & 0xff);
    auto plan = load_plan_string(garbage, "p.yaml");
    ASSERT_FALSE(plan.has_value()) << round;
    EXPECT_EQ(plan.error().size(), 1u) << round;
  }
}

}  // namespace
}  // namespace surge::plan
