// `sla:` in a plan file and --sla flags, end to end through the plan loader and compile_slas: entries read
// into exact settings, and every error placed at file:line:column of the offending character.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "sla/sla.h"

namespace surge::sla {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kHead = R"(target: http://127.0.0.1:8080
phases:
  - { name: sustained, duration: 20s, users: 4 }
scenarios:
  - name: api
    steps:
      - http: { name: complete, url: / }
sla:
)";  // the sla items start on line 9

std::vector<std::string> lines_of(const plan::Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const plan::Diagnostic& diagnostic : diagnostics) lines.push_back(diagnostic.to_string());
  return lines;
}

// Every diagnostic of loading the plan, then (if it loaded) of compiling its SLAs.
std::vector<std::string> problems_of(std::string_view sla_items) {
  auto plan = plan::load_plan_string(std::string(kHead) + std::string(sla_items), "p.yaml");
  if (!plan) return lines_of(plan.error());
  auto slas = compile_slas(*plan);
  if (!slas) return lines_of(slas.error());
  return {};
}

std::vector<Sla> compile_ok(std::string_view sla_items) {
  auto plan = plan::load_plan_string(std::string(kHead) + std::string(sla_items), "p.yaml");
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error()[0].to_string());
  if (!plan) return {};
  auto slas = compile_slas(*plan);
  EXPECT_TRUE(slas.has_value()) << (slas ? "" : slas.error()[0].to_string());
  return slas ? *slas : std::vector<Sla>{};
}

using Lines = std::vector<std::string>;

TEST(SlaPlan, ReadsStringsAndMapsWithTheirSettings) {
  std::vector<Sla> slas = compile_ok(
      "  - p95(latency) < 250ms\n"
      "  - { expr: 'error_rate{phase=sustained} < 1%', window: 10s, abort_on_fail: true, delay: 5s }\n");
  ASSERT_EQ(slas.size(), 2u);
  EXPECT_EQ(slas[0].expression.text, "p95(latency) < 250ms");
  EXPECT_FALSE(slas[0].window_s.has_value());
  EXPECT_FALSE(slas[0].abort_on_fail);
  EXPECT_EQ(slas[0].delay_ns, 0);
  EXPECT_EQ(slas[1].expression.text, "error_rate{phase=sustained} < 1%");
  EXPECT_EQ(slas[1].window_s, 10u);
  EXPECT_TRUE(slas[1].abort_on_fail);
  EXPECT_EQ(slas[1].delay_ns, 5'000'000'000);
}

TEST(SlaPlan, AnEmptySlaListIsNoSla) { EXPECT_TRUE(compile_ok("").empty()); }

TEST(SlaPlan, PlacesASyntaxErrorOfAPlainScalarAtItsColumnInTheFile) {
  EXPECT_EQ(
      problems_of("  - p95(latency) < 250\n"),
      (Lines{"p.yaml:9:23: invalid SLA 'p95(latency) < 250' (column 19): expected a unit after 250: ns, us, "
             "ms or s"}));
}

TEST(SlaPlan, PlacesAnErrorInsideQuotesOneColumnFurther) {
  EXPECT_EQ(
      problems_of("  - \"p95(latency) 250ms\"\n"),
      (Lines{
          "p.yaml:9:19: invalid SLA 'p95(latency) 250ms' (column 14): expected a comparison (<, <=, >, >=, "
          "==, !=), found '250ms'"}));
}

// In a flow map ({ expr: ... }) YAML needs the braces of a scope quoted; in a block map it does not.
TEST(SlaPlan, PlacesAnUnknownNameOfAMapEntryAtTheName) {
  EXPECT_EQ(
      problems_of("  - { expr: \"p95(latency{phase=peak}) < 1s\", window: 10s }\n"),
      (Lines{
          "p.yaml:9:32: invalid SLA 'p95(latency{phase=peak}) < 1s' (column 19): unknown phase 'peak'; the "
          "plan's phases are: 'sustained'"}));
  EXPECT_EQ(
      problems_of("  - expr: p95(latency{phase=peak}) < 1s\n    window: 10s\n"),
      (Lines{
          "p.yaml:9:29: invalid SLA 'p95(latency{phase=peak}) < 1s' (column 19): unknown phase 'peak'; the "
          "plan's phases are: 'sustained'"}));
}

TEST(SlaPlan, ReportsEveryBadSlaNotJustTheFirst) {
  EXPECT_EQ(
      problems_of("  - p95(latency) < 1s\n  - error_rate < 5\n  - rate(cache_hit) > 80%\n"),
      (Lines{
          "p.yaml:10:18: invalid SLA 'error_rate < 5' (column 14): a rate without % is a fraction from 0 "
          "to 1, found 5; write 5% for percent",
          "p.yaml:11:10: invalid SLA 'rate(cache_hit) > 80%' (column 6): unknown rate metric 'cache_hit'; the "
          "plan defines none (metrics: [{ name, rate }])"}));
}

TEST(SlaPlan, RejectsAWindowThatIsNotWholeSeconds) {
  EXPECT_EQ(
      problems_of("  - { expr: requests > 1, window: 1500ms }\n"),
      (Lines{"p.yaml:9:35: window must be a whole number of seconds, found '1500ms'; windows are made of 1 s "
             "snapshots"}));
  EXPECT_EQ(problems_of("  - { expr: requests > 1, window: 0s }\n"),
            (Lines{"p.yaml:9:35: window must be > 0, found '0s'"}));
}

TEST(SlaPlan, RejectsANonBooleanAbortOnFail) {
  EXPECT_EQ(problems_of("  - { expr: requests > 1, abort_on_fail: yes }\n"),
            (Lines{"p.yaml:9:42: abort_on_fail: expected true or false, found 'yes'"}));
}

TEST(SlaPlan, RejectsADelayWithoutAbortOnFail) {
  EXPECT_EQ(problems_of("  - { expr: requests > 1, delay: 5s }\n"),
            (Lines{"p.yaml:9:27: delay only applies with abort_on_fail: true (it delays the abort)"}));
}

TEST(SlaPlan, RejectsBadEntryShapes) {
  EXPECT_EQ(
      problems_of("  - { expr: requests > 1, windw: 5s }\n"),
      (Lines{"p.yaml:9:27: unknown key 'windw' in sla entry; expected one of: expr, window, abort_on_fail, "
             "delay"}));
  EXPECT_EQ(problems_of("  - { window: 5s }\n"), (Lines{"p.yaml:9:5: missing key 'expr' in sla entry"}));
  EXPECT_EQ(
      problems_of("  - ''\n"),
      (Lines{"p.yaml:9:5: SLA expression must not be empty; expected something like p95(latency) < 250ms"}));
  EXPECT_EQ(
      problems_of("  - [p95(latency) < 1s]\n"),
      (Lines{"p.yaml:9:5: sla entry: expected an expression like 'p95(latency) < 250ms' or a map with expr, "
             "window, abort_on_fail, delay; found a sequence"}));
}

TEST(SlaPlan, RejectsAnSlaKeyThatIsNotAList) {
  EXPECT_EQ(problems_of("  p95: 1s\n"), (Lines{"p.yaml:9:3: sla: expected a sequence, found a map"}));
}

TEST(SlaFlag, NamesTheFlagAndTheColumn) {
  auto plan = plan::load_plan_string(kHead, "p.yaml");
  ASSERT_TRUE(plan.has_value());
  plan->slas.push_back({"p95(latency{step=pay}) < 1s", {}, std::nullopt, false, {}});
  auto slas = compile_slas(*plan);
  ASSERT_FALSE(slas.has_value());
  EXPECT_EQ(
      lines_of(slas.error()),
      (Lines{"invalid --sla 'p95(latency{step=pay}) < 1s' (column 18): unknown step 'pay'; the steps are: "
             "'complete'"}));
}

}  // namespace
}  // namespace surge::sla
