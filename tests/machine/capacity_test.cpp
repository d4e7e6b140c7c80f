// Capacity findings for given limits: the worker advice is exact arithmetic on the hard open-file limit, and
// each kernel limit turns into advice only past its threshold. read_system_limits reads this machine.
#include "machine/capacity.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <fstream>

namespace surge::machine {
namespace {

SystemLimits machine_like_ours() {
  SystemLimits limits;
  limits.open_files_soft = limits.open_files_hard = 20000;
  limits.nr_open = 1048576;
  limits.file_max = 2000000;
  limits.port_low = 32768;
  limits.port_high = 60999;
  limits.somaxconn = 4096;
  limits.syn_backlog = 2048;
  limits.tcp_tw_reuse = 2;
  limits.mem_total_bytes = limits.mem_available_bytes = 24ull << 30;
  limits.cores = 2;
  return limits;
}

TEST(Capacity, AHundredThousandConnectionsNeedSixWorkersUnderTwentyThousandFiles) {
  SystemLimits limits = machine_like_ours();
  EXPECT_EQ(connections_per_worker(limits), 19936u);
  EXPECT_EQ(workers_needed(limits, 100000), 6u);
  EXPECT_EQ(workers_needed(limits, 19936), 1u);
  EXPECT_EQ(workers_needed(limits, 19937), 2u);
  std::vector<Finding> findings = check_capacity(limits, 100000, 5);
  ASSERT_EQ(findings[0].topic, "open files");
  EXPECT_EQ(findings[0].level, Finding::Level::kFail);
  EXPECT_TRUE(findings[0].text.starts_with(
      "needs 100,000 connections, 5 workers × 19,936 available: use --workers 6"))
      << findings[0].text;
  EXPECT_EQ(check_capacity(limits, 100000, 6)[0].level, Finding::Level::kOk);
}

TEST(Capacity, PortsAndBacklogsBecomeAdviceOnlyPastTheirLimits) {
  SystemLimits limits = machine_like_ours();
  std::vector<Finding> small = check_capacity(limits, 28232, 2);
  EXPECT_EQ(small[2].topic, "ports");
  EXPECT_EQ(small[2].level, Finding::Level::kOk);
  EXPECT_EQ(small[3].level, Finding::Level::kAdvice) << "syn backlog 2,048 is low for 28K connections";
  std::vector<Finding> large = check_capacity(limits, 28233, 2);
  EXPECT_EQ(large[2].level, Finding::Level::kAdvice);
  EXPECT_NE(large[2].text.find("28,233 connections to one target address:port need 2 source addresses: "
                               "`--source-addrs 127.0.0.2-127.0.0.3`"),
            std::string::npos)
      << large[2].text;
  EXPECT_EQ(check_capacity(limits, 9999, 2)[3].level, Finding::Level::kOk);
  limits.tcp_tw_reuse = 0;
  EXPECT_EQ(check_capacity(limits, 10, 1)[4].level, Finding::Level::kAdvice);
}

TEST(Capacity, EachSourceAddressAddsTheEphemeralRangeTowardsOneTargetPort) {
  SystemLimits limits = machine_like_ours();  // 28,232 ports
  EXPECT_EQ(source_addresses_needed(limits, 28232), 1u);
  EXPECT_EQ(source_addresses_needed(limits, 28233), 2u);
  EXPECT_EQ(source_addresses_needed(limits, 100000), 4u);
  Finding three = check_capacity(limits, 100000, 6, 3)[2];
  EXPECT_EQ(three.level, Finding::Level::kAdvice);
  EXPECT_NE(
      three.text.find("× 3 source addresses = 84,696; 100,000 connections to one target address:port need 4 "
                      "source addresses"),
      std::string::npos)
      << three.text;
  Finding six = check_capacity(limits, 100000, 6, 6)[2];
  EXPECT_EQ(six.level, Finding::Level::kOk);
  EXPECT_TRUE(
      six.text.ends_with("28,232 ports per source address and target address:port × 6 source addresses = "
                         "169,392"))
      << six.text;
}

TEST(Capacity, APlansPeakCountsUsersPoolsAndHeldConnectionsAndDoublesForWebSockets) {
  auto http = plan::load_plan_string(R"(target: http://127.0.0.1:8080
phases:
  - { name: a, duration: 1s, users: { from: 10, to: 300 } }
  - { name: b, duration: 1s, arrival_rate: 100/s, max_users: 500 }
  - { name: c, duration: 1s, connections: 2000, connect_rate: 1000/s }
scenarios: [{ name: s, steps: [{ http: { url: / } }] }]
)",
                                     "p.yaml");
  ASSERT_TRUE(http.has_value()) << http.error()[0].to_string();
  EXPECT_EQ(peak_connections(*http), 2000u);
  auto ws = plan::load_plan_string(R"(target: http://127.0.0.1:8080
phases: [{ name: a, duration: 1s, users: 40 }]
scenarios: [{ name: s, steps: [{ http: { url: / } }, { ws: { connect: /ws } }] }]
)",
                                   "w.yaml");
  ASSERT_TRUE(ws.has_value()) << ws.error()[0].to_string();
  EXPECT_EQ(peak_connections(*ws), 80u);
}

TEST(Capacity, ReadsThisMachinesLimits) {
  SystemLimits limits = read_system_limits();
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  EXPECT_EQ(limits.open_files_hard, files.rlim_max);
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  uint32_t low = 0, high = 0;
  range >> low >> high;
  EXPECT_EQ(limits.port_low, low);
  EXPECT_EQ(limits.port_high, high);
  EXPECT_GT(limits.mem_available_bytes, 0u);
  EXPECT_GT(limits.somaxconn, 0u);
}

TEST(Capacity, WritesThousandsWithCommas) {
  EXPECT_EQ(with_thousands(0), "0");
  EXPECT_EQ(with_thousands(999), "999");
  EXPECT_EQ(with_thousands(1000), "1,000");
  EXPECT_EQ(with_thousands(100000), "100,000");
  EXPECT_EQ(with_thousands(1048576), "1,048,576");
}

}  // namespace
}  // namespace surge::machine
