// --source-addrs against real servers: nginx's access log ($remote_addr, $connection) shows every connection
// came from the listed addresses, evenly over two workers; in a network namespace of this test with a port
// range of 100 ports, 150 held connections to one port need a second source address (the doctor says so,
// and the run without one fails 50 connects of kind address); bad values exit 2, a source address that is not
// on this machine is counted as kind bind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "support.h"
#include "support/nginx.h"

namespace surge::e2e {
namespace {

using test_support::kNginxBinary;

// nginx on a free loopback port logging "$remote_addr $connection" per request: distinct connections by
// remote address, and requests by remote address, from its access log.
void count(const test_support::Nginx& nginx, std::map<std::string, std::set<std::string>>& connections,
           std::map<std::string, uint64_t>& requests) {
  for (const std::string& line : nginx.access_log_lines()) {
    std::istringstream fields(line);
    std::string remote, connection;
    fields >> remote >> connection;
    connections[remote].insert(connection);
    ++requests[remote];
  }
}

test_support::NginxOptions logging_nginx() {
  test_support::NginxOptions options;
  options.log_format = "$remote_addr $connection";
  options.locations = "    location / { return 200 \"ok\\n\"; }\n";
  return options;
}

TEST(SourceAddrs, NginxSeesEveryConnectionFromTheListedAddressesEvenly) {
  ASSERT_EQ(access(kNginxBinary, X_OK), 0)
      << "nginx is required (scripts/install-deps.sh installs nginx-light)";
  test_support::Nginx nginx(logging_nginx());
  ASSERT_EQ(nginx.failure(), "");
  std::map<std::string, std::set<std::string>> before_connections;
  std::map<std::string, uint64_t> before_requests;
  count(nginx, before_connections, before_requests);
  // 40 users over 2 workers, 20 each; each worker walks all 4 addresses from its own start: 10 per address.
  RunOutcome run = run_surge({"--url", "http://" + nginx.address() + "/", "-c", "40", "-n", "800",
                              "--workers", "2", "--source-addrs", "127.0.0.2-127.0.0.5"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  ASSERT_EQ(run.results["requests"]["ok"], 800);
  ASSERT_EQ(run.results["connections"]["opened"], 40);
  std::map<std::string, std::set<std::string>> connections;
  std::map<std::string, uint64_t> requests;
  count(nginx, connections, requests);
  uint64_t logged = 0;
  for (const std::string host : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
    EXPECT_EQ(connections[host].size(), 10u) << host << ": 40 connections over 4 addresses";
    logged += requests[host];
  }
  EXPECT_EQ(logged, 800u) << "every request came from a listed address";
  EXPECT_EQ(requests["127.0.0.1"], before_requests["127.0.0.1"]) << "none from the default source";
}

// Inside a fresh network namespace (its own loopback and its own ip_local_port_range, so the machine's is
// untouched): 100 ephemeral ports, 150 connections held to one port.
TEST(SourceAddrs, OneTargetPortTakesMoreConnectionsThanOneAddressHasPorts) {
  ASSERT_EQ(access("/usr/bin/unshare", X_OK), 0) << "unshare (util-linux) is required";
  const std::string dir = temp_dir() + "/netns-ports";
  ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
  write_temp_file("netns-ports/hold.yaml",
                  "target: http://127.0.0.1:8080\nphases:\n  - { name: hold, duration: 2s, connections: 150, "
                  "connect_rate: 1000/s }\nscenarios:\n  - name: s\n    steps:\n      - http: { url: / }\n");
  const std::string surge = surge_binary();
  const std::string script =
      "set -e; ip link set lo up; echo '40000 40099' > /proc/sys/net/ipv4/ip_local_port_range; cd " + dir +
      "; " + surge + " doctor --connections 150 --workers 1 > doctor-one.txt || true; " + surge +
      " doctor --connections 150 --workers 1 --source-addrs 127.0.0.2-127.0.0.3 > doctor-two.txt || true; " +
      surge +
      " serve --port 8080 > serve.txt & serve=$!; "
      "for i in $(seq 200); do [ -s serve.txt ] && break; sleep 0.05; done; " +
      surge + " run hold.yaml --workers 1 --quiet --out json=one.json 2> run-one.txt || true; " + surge +
      " run hold.yaml --workers 1 --quiet --source-addrs 127.0.0.2-127.0.0.3 --out json=two.json 2> "
      "run-two.txt "
      "|| true; kill $serve; wait $serve || true";
  Process netns({"/usr/bin/unshare", "-n", "sh", "-c", script});
  ASSERT_EQ(netns.wait(60), 0) << netns.stderr_text();

  const std::string doctor_one = read_file(dir + "/doctor-one.txt");
  EXPECT_NE(
      doctor_one.find("! ports         net.ipv4.ip_local_port_range 40000-40099: 100 ports per source "
                      "address and target address:port; 150 connections to one target address:port need 2 "
                      "source addresses: `--source-addrs 127.0.0.2-127.0.0.3`"),
      std::string::npos)
      << doctor_one;
  const std::string doctor_two = read_file(dir + "/doctor-two.txt");
  EXPECT_NE(
      doctor_two.find("\u2713 ports         net.ipv4.ip_local_port_range 40000-40099: 100 ports per source "
                      "address and target address:port \u00d7 2 source addresses = 200"),
      std::string::npos)
      << doctor_two;

  EXPECT_NE(read_file(dir + "/run-one.txt").find("warning: net.ipv4.ip_local_port_range 40000-40099"),
            std::string::npos)
      << read_file(dir + "/run-one.txt");
  nlohmann::json one = nlohmann::json::parse(read_file(dir + "/one.json"));
  EXPECT_EQ(one["connections"]["max_concurrent"], 100) << "one source address: 100 ports";
  EXPECT_GE(one["connections"]["failed"].get<uint64_t>(), 50u);
  EXPECT_EQ(one["connections"]["failed_by_error"]["address"], one["connections"]["failed"]);

  EXPECT_EQ(read_file(dir + "/run-two.txt"), "") << "no warning with two source addresses";
  nlohmann::json two = nlohmann::json::parse(read_file(dir + "/two.json"));
  EXPECT_EQ(two["connections"]["max_concurrent"], 150);
  EXPECT_EQ(two["connections"]["opened"], 150);
  EXPECT_EQ(two["connections"]["failed"], 0);
  EXPECT_FALSE(two["connections"].contains("failed_by_error"));
}

TEST(SourceAddrs, BadValuesAreUsageErrors) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string url = "http://" + listen_address(server) + "/";
  RunOutcome reversed = run_surge({"--url", url, "-n", "1", "--source-addrs", "127.0.0.7-127.0.0.2"});
  EXPECT_EQ(reversed.exit_code, 2);
  EXPECT_EQ(
      reversed.stderr_text,
      "surge run: invalid --source-addrs \"127.0.0.7-127.0.0.2\": range 127.0.0.7-127.0.0.2 is reversed: the "
      "first address must not be above the last\n");
  RunOutcome word = run_surge({"--url", url, "-n", "1", "--source-addrs", "eth0"});
  EXPECT_EQ(word.exit_code, 2);
  EXPECT_NE(word.stderr_text.find("'eth0' is not an IPv4 or IPv6 address"), std::string::npos)
      << word.stderr_text;
  RunOutcome family = run_surge({"--url", url, "-n", "1", "--source-addrs", "::1"});
  EXPECT_EQ(family.exit_code, 2);
  EXPECT_NE(family.stderr_text.find("surge run: --source-addrs are IPv6 (::1) but the target " +
                                    url.substr(7, url.size() - 8) + " is IPv4"),
            std::string::npos)
      << family.stderr_text;
  EXPECT_EQ(serve_stats(listen_address(server))["requests_total"], 0) << "nothing ran";

  std::string plan =
      write_temp_file("source-family.yaml", "target: " + url +
                                                "\nsource_addrs: ['::1']\nphases: [{ name: p, "
                                                "duration: 1s, users: 1 }]\nscenarios: [{ name: s, "
                                                "steps: [{ http: { url: / } }] }]\n");
  RunOutcome in_plan = run_surge({plan});
  EXPECT_EQ(in_plan.exit_code, 2);
  EXPECT_NE(in_plan.stderr_text.find("source-family.yaml:2:15: source_addrs are IPv6 (::1)"),
            std::string::npos)
      << in_plan.stderr_text;
}

TEST(SourceAddrs, AnAddressNotOnThisMachineFailsEveryConnectAsKindBind) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  // TEST-NET-1 (RFC 5737) is never configured here: every bind fails, and no connect reaches the server.
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-c", "1", "-n", "5", "--workers", "1",
                              "--source-addrs", "192.0.2.1"});
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  EXPECT_EQ(run.results["requests"]["by_error"]["bind"], 5) << run.results["requests"].dump();
  EXPECT_EQ(run.results["connections"]["failed"], 5);
  EXPECT_EQ(serve_stats(address)["connections"]["accepted"], 1) << "only the stats request";
}

}  // namespace
}  // namespace surge::e2e
