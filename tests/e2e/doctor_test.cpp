// `surge doctor` against this machine: the worker advice is computed from the real hard open-file limit
// (surge inherits ours), the port range is the kernel's, and the exit code says whether the plan fits.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

std::string thousands(uint64_t value) {
  std::string digits = std::to_string(value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

TEST(Doctor, AHundredThousandConnectionsOnTwoWorkersIsRefusedWithTheWorkersNeeded) {
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  const uint64_t per_worker = files.rlim_max - 64;
  const uint64_t needed = (100000 + per_worker - 1) / per_worker;
  Process doctor({surge_binary(), "doctor", "--connections", "100000", "--workers", "2"});
  ASSERT_EQ(doctor.wait(30), 1) << doctor.stdout_text() << doctor.stderr_text();
  const std::string expected = "needs 100,000 connections, 2 workers \u00d7 " + thousands(per_worker) +
                               " available: use --workers " + std::to_string(needed);
  EXPECT_NE(doctor.stdout_text().find(expected), std::string::npos) << doctor.stdout_text();
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  uint32_t low = 0, high = 0;
  range >> low >> high;
  EXPECT_NE(doctor.stdout_text().find("ip_local_port_range " + std::to_string(low) + "-" + std::to_string(high)),
            std::string::npos)
      << doctor.stdout_text();
}

TEST(Doctor, APlanThatFitsExitsZeroAndCountsItsPeakConnections) {
  Process doctor({surge_binary(), "doctor", source_dir() + "/examples/quickstart.yaml"});
  ASSERT_EQ(doctor.wait(30), 0) << doctor.stdout_text() << doctor.stderr_text();
  EXPECT_NE(doctor.stdout_text().find("surge doctor: 50 connections"), std::string::npos) << doctor.stdout_text();
  EXPECT_NE(doctor.stdout_text().find("the plan fits"), std::string::npos);
}

TEST(Doctor, ABadPlanIsAPlanErrorAndNoArgumentsAUsageError) {
  std::string plan = write_temp_file("doctor-bad.yaml", "phases: [\n");
  Process bad({surge_binary(), "doctor", plan});
  EXPECT_EQ(bad.wait(30), 2);
  EXPECT_NE(bad.stderr_text().find("doctor-bad.yaml:"), std::string::npos) << bad.stderr_text();
  Process empty({surge_binary(), "doctor"});
  EXPECT_EQ(empty.wait(30), 2);
  EXPECT_NE(empty.stderr_text().find("give a PLAN or --connections N"), std::string::npos);
}

TEST(Doctor, RunWarnsBeforeStartingAPlanItsWorkersCannotHold) {
  std::string plan = write_temp_file("doctor-big.yaml", "target: http://127.0.0.1:" + std::to_string(free_port()) +
                                                            R"(
phases: [{ name: hold, duration: 1s, connections: 50000, connect_rate: 5/s }]
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  EXPECT_NE(run.stderr_text.find("warning: needs 50,000 connections, 1 worker \u00d7 "), std::string::npos)
      << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
