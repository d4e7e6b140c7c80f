// surge against `surge serve --misbehave MODE`, one mode per test: a scenario hits the hostile server while
// another hits a healthy `surge serve` in the same run. The hostile requests must end with the documented
// error kind (docs/hostile-targets.md), the run must end on time with exit 0 (the healthy half succeeds),
// and the healthy half's count must equal its server's own.
#include <gtest/gtest.h>

#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

constexpr double kDurationS = 2;
constexpr double kTimeoutS = 1;
// Duration + request timeout + 2 s (issue 10), plus 2 s for start-up and exit on a busy machine.
constexpr double kMaxRunS = kDurationS + kTimeoutS + 4;

struct HostileRun {
  int exit_code = -1;
  double elapsed_s = 0;
  std::string stderr_text;
  nlohmann::json results;
  nlohmann::json bad;   // results.steps entry of the hostile scenario's last step
  nlohmann::json good;  // ... and of the healthy one
  uint64_t healthy_served = 0;  // the healthy server's own count of "/"
};

const nlohmann::json& step_of(const nlohmann::json& results, const std::string& scenario) {
  const nlohmann::json* found = nullptr;
  for (const nlohmann::json& step : results["steps"]) {
    if (step["scenario"] == scenario) found = &step;  // the scenario's last step
  }
  if (found == nullptr) throw std::runtime_error("no step of scenario " + scenario);
  return *found;
}

// Runs `surge run` on a plan whose `bad` scenario has `bad_steps` (BAD stands for the hostile address) and
// whose `good` scenario GETs the healthy server's "/". Every child is killed if it outlives its bound.
HostileRun run_against(const std::string& mode, const std::string& bad_steps, const std::string& extra = "") {
  Process hostile({surge_binary(), "serve", "--port", "0", "--misbehave", mode});
  Process healthy({surge_binary(), "serve", "--port", "0"});
  std::string bad = listen_address(hostile);
  std::string good = listen_address(healthy);
  std::string steps = bad_steps;
  for (size_t at = steps.find("BAD"); at != std::string::npos; at = steps.find("BAD")) steps.replace(at, 3, bad);
  std::string plan = write_temp_file("hostile.yaml", "target: http://" + good + "\ntimeout: 1s\n" + extra +
                                                         "phases: [{ name: main, duration: 2s, users: 4 }]\n"
                                                         "scenarios:\n"
                                                         "  - { name: bad, steps: " + steps + " }\n"
                                                         "  - { name: good, steps: [{ http: { url: / } }] }\n");
  std::string json_path = temp_dir() + "/hostile-" + mode + ".json";
  Process run({surge_binary(), "run", plan, "--workers", "1", "--quiet", "--out", "json=" + json_path});
  HostileRun outcome;
  outcome.exit_code = run.wait(kMaxRunS + 10);
  outcome.elapsed_s = run.elapsed_s();
  outcome.stderr_text = run.stderr_text();
  std::string text = read_file(json_path);
  if (text.empty()) throw std::runtime_error("no results.json; stderr: " + outcome.stderr_text);
  outcome.results = nlohmann::json::parse(text);
  outcome.bad = step_of(outcome.results, "bad");
  outcome.good = step_of(outcome.results, "good");
  outcome.healthy_served = serve_stats(good)["by_path"]["/"];
  return outcome;
}

// What every hostile run must show, whatever the mode: on time, exit 0, the healthy half exact and clean.
// Users pick a scenario per iteration, so where hostile requests last their timeout, most of the run's time
// goes to them and the healthy half gets few requests (`min_good`).
void expect_healthy_half_intact(const HostileRun& run, uint64_t min_good = 100) {
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_LT(run.elapsed_s, kMaxRunS) << "the run must end within duration + timeout + 2 s";
  uint64_t good_total = run.good["requests"]["total"];
  EXPECT_GE(good_total, min_good);
  EXPECT_EQ(good_total, run.healthy_served) << "the healthy server answered exactly what surge counted";
  EXPECT_EQ(run.good["requests"]["ok"], good_total);
  EXPECT_EQ(run.good["requests"]["errors"], 0);
}

// Every request to the hostile server failed with `kind`; at least `min_count` of them.
void expect_all_failed_as(const HostileRun& run, const std::string& kind, uint64_t min_count) {
  const nlohmann::json& requests = run.bad["requests"];
  uint64_t total = requests["total"];
  EXPECT_GE(total, min_count) << requests.dump();
  EXPECT_EQ(requests["ok"], 0) << requests.dump();
  EXPECT_EQ(requests["by_error"].value(kind, uint64_t{0}), total) << requests.dump();
  EXPECT_EQ(requests["by_error"].size(), 1u) << "one kind only: " << requests.dump();
}

const std::string kGet = "[{ http: { url: 'http://BAD/' } }]";
// Errors found in the bytes end a request at once: far more of them than timeouts could give in 2 s
// (users × duration / timeout = 8 at most for a mode that times out).
constexpr uint64_t kManyFailures = 20;

TEST(HostileTarget, GarbageBytesAreParseErrors) {
  HostileRun run = run_against("garbage", kGet);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, ADripFeedingServerEndsEachRequestAtItsTimeout) {
  HostileRun run = run_against("drip", kGet);
  // Each hostile iteration lasts its 1 s timeout: at least one per user that picked it, never more than
  // users × (duration / timeout + 1).
  expect_all_failed_as(run, "timeout", 1);
  EXPECT_LE(run.bad["requests"]["total"].get<uint64_t>(), 4u * 3);
  expect_healthy_half_intact(run, 2);
}

TEST(HostileTarget, AOneMebibyteHeadIsTooLarge) {
  HostileRun run = run_against("huge-header", kGet);
  expect_all_failed_as(run, "too_large", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AOneMebibyteHeaderLineIsTooLarge) {
  HostileRun run = run_against("long-header-line", kGet);
  expect_all_failed_as(run, "too_large", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AHeaderLineWithoutAColonIsAParseError) {
  HostileRun run = run_against("no-colon", kGet);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, ContentLengthWithChunkedIsReadAsChunkedAndTheConnectionIsNotReused) {
  HostileRun run = run_against("cl-and-chunked", kGet);
  const nlohmann::json& requests = run.bad["requests"];
  uint64_t total = requests["total"];
  EXPECT_GT(total, kManyFailures);
  EXPECT_EQ(requests["ok"], total) << "RFC 9112 §6.3: Transfer-Encoding wins";
  EXPECT_EQ(run.bad["bytes"]["body_received"], 2 * total) << "the chunked body 'ok', not 7 bytes";
  // Each hostile response closes its connection; the 2 healthy users keep one each... unless a user
  // switched scenarios, which costs one more. So at least one connection per hostile request.
  EXPECT_GE(run.results["connections"]["opened"].get<uint64_t>(), total);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, ANegativeContentLengthIsAParseError) {
  HostileRun run = run_against("negative-length", kGet);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AContentLengthOver64BitsIsAParseError) {
  HostileRun run = run_against("overflow-length", kGet);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AChunkSizeOver64BitsIsAParseError) {
  HostileRun run = run_against("chunk-overflow", kGet);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AOneGibibyteBodyOverMaxBodyBytesIsTooLarge) {
  HostileRun run = run_against("huge-body", kGet, "limits: { max_body_bytes: 1MiB }\n");
  expect_all_failed_as(run, "too_large", kManyFailures);
  // Each ends after the limit plus at most one read (64 KiB), not after 1 GiB.
  uint64_t received = run.bad["bytes"]["received"];
  EXPECT_LE(received, run.bad["requests"]["total"].get<uint64_t>() * ((1u << 20) + 2 * 65536));
  expect_healthy_half_intact(run);
}

// An early answer to a large upload (the request still being written) is tested next to the code, in
// tests/scenario/virtual_user_hostile_test.cpp: a body that outgrows the socket buffers takes seconds of
// YAML parsing here.
TEST(HostileTarget, AnEarlyAnswerIsCountedAsItsStatus) {
  HostileRun run = run_against("early-response", kGet);
  expect_all_failed_as(run, "status_5xx", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AResetMidBodyIsAResetError) {
  HostileRun run = run_against("reset-mid-body", kGet);
  expect_all_failed_as(run, "reset", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AServerThatNeverReadsEndsEachRequestAtItsTimeout) {
  HostileRun run = run_against("never-read", kGet);
  expect_all_failed_as(run, "timeout", 1);
  EXPECT_LE(run.bad["requests"]["total"].get<uint64_t>(), 4u * 3);
  expect_healthy_half_intact(run, 2);
}

const std::string kWsEcho = "[{ ws: { connect: 'ws://BAD/ws' } }, { ws: { send: hi, expect: { contains: hi } } }]";

TEST(HostileTarget, AMaskedFrameFromTheServerIsAParseError) {
  HostileRun run = run_against("ws-masked", kWsEcho);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AnOversizedPingIsAParseError) {
  HostileRun run = run_against("ws-oversized-control", kWsEcho);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AFragmentedPingIsAParseError) {
  HostileRun run = run_against("ws-fragmented-control", kWsEcho);
  expect_all_failed_as(run, "parse", kManyFailures);
  expect_healthy_half_intact(run);
}

TEST(HostileTarget, AOneGibibyteBodyIsReadToTheEndButNotKept) {
  Process hostile({surge_binary(), "serve", "--port", "0", "--misbehave", "huge-body"});
  std::string bad = listen_address(hostile);
  // `contains` makes the step keep its response for the check: only max_kept_bytes (1 MiB) of it.
  std::string plan = write_temp_file("huge-body.yaml", "target: http://" + bad + R"(
timeout: 30s
phases: [{ name: main, duration: 1s, users: 1 }]
scenarios: [{ name: s, steps: [{ http: { url: /, expect: { contains: xxxx } } }] }]
)");
  std::string json_path = temp_dir() + "/huge-body.json";
  Process run({surge_binary(), "run", plan, "--workers", "1", "--quiet", "--out", "json=" + json_path});
  ASSERT_EQ(run.wait(60), 0) << run.stderr_text();
  nlohmann::json results = nlohmann::json::parse(read_file(json_path));
  uint64_t total = results["requests"]["total"];
  ASSERT_GE(total, 1u);
  EXPECT_EQ(results["requests"]["ok"], total);
  EXPECT_EQ(results["steps"][0]["bytes"]["body_received"], total << 30);
  EXPECT_LT(results["generator"]["peak_rss_bytes"].get<uint64_t>(), uint64_t{200} << 20)
      << "a 1 GiB body must be counted, not stored";
}

TEST(HostileTarget, AnUnknownModeIsAUsageError) {
  Process serve({surge_binary(), "serve", "--port", "0", "--misbehave", "rude"});
  EXPECT_EQ(serve.wait(10), 2);
  EXPECT_NE(serve.stderr_text().find("invalid --misbehave \"rude\": expected one of garbage, drip, huge-header"),
            std::string::npos)
      << serve.stderr_text();
}

}  // namespace
}  // namespace surge::e2e
