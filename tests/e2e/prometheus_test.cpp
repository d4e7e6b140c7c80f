// The Prometheus exporter against a real Prometheus (the Debian package): it scrapes a 20 s run every second,
// and afterwards its HTTP API must give results.json's request total, and data for every PromQL expression of
// monitoring/grafana/surge.json and monitoring/prometheus/alerts.yml. promtool checks the rules and the text.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support.h"

namespace surge::e2e {
namespace {

const std::string kPrometheus = "/usr/bin/prometheus";
const std::string kPromtool = "/usr/bin/promtool";
constexpr double kLingerS = 5;

double wall_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// GET over HTTP/1.0, so Go's server answers without chunked coding and closes. Returns {status, body};
// status 0 when nothing answered.
std::pair<int, std::string> http10_get(int port, const std::string& target) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return {0, ""};
  }
  std::string request = "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return {0, ""};
  }
  std::string response;
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) response.append(buffer, static_cast<size_t>(n));
  close(fd);
  size_t body = response.find("\r\n\r\n");
  if (response.size() < 12 || body == std::string::npos) return {0, ""};
  return {std::stoi(response.substr(9, 3)), response.substr(body + 4)};
}

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// Polls until pred() (every 100 ms; a process start has no event to wait on); false after timeout_s.
template <class Pred>
bool eventually(double timeout_s, Pred pred) {
  const double deadline = wall_s() + timeout_s;
  while (!pred()) {
    if (wall_s() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return true;
}

class RealPrometheus {
 public:
  // Starts prometheus scraping 127.0.0.1:scrape_port every second, with alerts.yml as its rules.
  explicit RealPrometheus(int scrape_port) : port_(free_port()) {
    const std::string dir = temp_dir() + "/prometheus-" + std::to_string(port_);
    std::filesystem::create_directories(dir + "/data");
    std::ofstream(dir + "/prometheus.yml")
        << "global: { scrape_interval: 1s, evaluation_interval: 1s }\n"
        << "rule_files: [\"" << source_dir() << "/monitoring/prometheus/alerts.yml\"]\n"
        << "scrape_configs:\n  - job_name: surge\n    scrape_timeout: 1s\n"
        << "    static_configs: [{ targets: [\"127.0.0.1:" << scrape_port << "\"] }]\n";
    process_ = std::make_unique<Process>(std::vector<std::string>{
        kPrometheus, "--config.file=" + dir + "/prometheus.yml", "--storage.tsdb.path=" + dir + "/data",
        "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"});
  }
  ~RealPrometheus() { process_->terminate(); }  // SIGTERM by PID, then wait (SIGKILL after 10 s)

  bool ready() const { return http10_get(port_, "/-/ready").first == 200; }
  // Prometheus hands its targets to the scrape loop up to 5 s after it is ready (its discovery updates are
  // throttled to one per 5 s): true once it has tried the target at least once, listening or not.
  bool scraping() const {
    const nlohmann::json targets = api("targets")["data"]["activeTargets"];
    return !targets.empty() && targets[0].value("lastScrape", "").rfind("0001-", 0) != 0;
  }
  std::string log() const { return process_->stderr_text(); }

  // GET /api/v1/PATH; fails the test unless Prometheus says "success".
  nlohmann::json api(const std::string& path_and_query) const {
    auto [status, body] = http10_get(port_, "/api/v1/" + path_and_query);
    EXPECT_EQ(status, 200) << path_and_query << ": " << body;
    nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    EXPECT_EQ(doc.value("status", ""), "success") << path_and_query << ": " << body;
    return doc;
  }
  // The instant vector of expr at wall-clock time at_s.
  nlohmann::json query(const std::string& expr, double at_s) const {
    return api("query?query=" + url_encode(expr) + "&time=" + std::to_string(at_s))["data"]["result"];
  }

 private:
  int port_;
  std::unique_ptr<Process> process_;
};

// The dashboard's panel queries (collapsed rows keep theirs inside), with the row each sits in.
void collect_panel_queries(const nlohmann::json& panels, const std::string& row,
                           std::vector<std::pair<std::string, std::string>>& out) {
  for (const nlohmann::json& panel : panels) {
    std::string here = panel.value("type", "") == "row" ? panel.value("title", "") : row;
    if (panel.contains("panels")) collect_panel_queries(panel["panels"], here, out);
    for (const nlohmann::json& target : panel.value("targets", nlohmann::json::array())) {
      out.emplace_back(here, target.value("expr", ""));
    }
  }
}

// Grafana's variables as the "All" choice: $job, $scenario, $step match everything; 5s rate windows (four
// scrapes, like Grafana's $__rate_interval for a 1 s scrape interval).
std::string substitute_variables(std::string expr) {
  expr = std::regex_replace(expr, std::regex(R"(\$__rate_interval)"), "5s");
  expr = std::regex_replace(expr, std::regex(R"(\$\{?(job|scenario|step)\}?)"), ".*");
  EXPECT_EQ(expr.find('$'), std::string::npos) << "unknown variable in " << expr;
  return expr;
}

const char* kPlan = R"(name: prometheus-e2e
target: http://{ADDRESS}
phases:
  - { name: warm-up, duration: 3s, users: 4 }
  - { name: steady, duration: 7s, users: 8 }
scenarios:
  - name: browse
    steps:
      - http: { name: home, url: / }
      - http: { name: data, url: /json }
      - think: 1ms..2ms
)";

TEST(Prometheus, RealPrometheusScrapesARunAndEveryDashboardAndAlertQueryHasData) {
  ASSERT_TRUE(std::filesystem::exists(kPrometheus))
      << kPrometheus << " is missing: run scripts/install-deps.sh";
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  const int metrics_port = free_port();
  RealPrometheus prometheus(metrics_port);
  ASSERT_TRUE(eventually(15, [&] { return prometheus.ready(); })) << prometheus.log();
  // So that the run's first second is scraped: a run started earlier needed 6 s of warm-up to be seen at all.
  ASSERT_TRUE(eventually(15, [&] { return prometheus.scraping(); })) << prometheus.log();

  std::string plan = kPlan;
  plan.replace(plan.find("{ADDRESS}"), 9, address);
  const std::string json_path = temp_dir() + "/prometheus-results.json";
  Process run({surge_binary(), "run", write_temp_file("prometheus.yaml", plan), "--workers", "2", "--quiet",
               "--prometheus", "127.0.0.1:" + std::to_string(metrics_port), "--linger", "5s", "--target-pid",
               std::to_string(server.pid()), "--sla", "p95(latency) < 250ms", "--sla", "error_rate < 1%",
               "--out", "json=" + json_path});

  // Mid-run, the text itself passes promtool's parser and linter.
  std::string scraped;
  ASSERT_TRUE(eventually(10, [&] {
    scraped = http10_get(metrics_port, "/metrics").second;
    return scraped.find("surge_requests_total{") != std::string::npos;
  })) << run.stderr_text();
  std::ofstream(temp_dir() + "/scraped.txt") << scraped;
  Process check({"sh", "-c", kPromtool + " check metrics < " + temp_dir() + "/scraped.txt"});
  EXPECT_EQ(check.wait(), 0) << check.stdout_text() << check.stderr_text();

  ASSERT_EQ(run.wait(60), 0) << run.stderr_text();
  const double lingered_s = run.elapsed_s();
  const nlohmann::json results = nlohmann::json::parse(read_file(json_path));
  const double end_s =
      results["started_at_unix_ms"].get<double>() / 1000 + results["duration_s"].get<double>();
  EXPECT_GE(lingered_s, results["duration_s"].get<double>() + kLingerS - 0.5)
      << "the endpoint did not linger";

  // During the linger every scrape saw the final totals.
  nlohmann::json total = prometheus.query("sum(surge_requests_total)", end_s + 3);
  ASSERT_EQ(total.size(), 1u) << total.dump();
  EXPECT_EQ(std::stod(total[0]["value"][1].get<std::string>()), results["requests"]["total"].get<double>());
  nlohmann::json running = prometheus.query("surge_running", end_s + 3);
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0]["value"][1], "0");

  // Every dashboard query has data in the middle of the run, except the custom-metrics row (no custom
  // metrics exist yet: its panels are documented as empty until then).
  const double mid_s = end_s - 5;
  const nlohmann::json dashboard =
      nlohmann::json::parse(read_file(source_dir() + "/monitoring/grafana/surge.json"));
  std::vector<std::pair<std::string, std::string>> queries;
  collect_panel_queries(dashboard["panels"], "", queries);
  ASSERT_GE(queries.size(), 20u);
  size_t checked = 0;
  for (const auto& [row, expr] : queries) {
    if (row == "Custom metrics") {
      EXPECT_NE(expr.find("surge_custom_"), std::string::npos) << expr;
      continue;
    }
    EXPECT_FALSE(prometheus.query(substitute_variables(expr), mid_s).empty()) << row << ": " << expr;
    ++checked;
  }
  EXPECT_GE(checked, 20u);
  // Template variables: label_values(METRIC, LABEL) has values when count by (LABEL) (METRIC) has series.
  for (const nlohmann::json& variable : dashboard["templating"]["list"]) {
    if (variable.value("type", "") != "query") continue;
    std::smatch parts;
    const std::string definition = variable["definition"];
    ASSERT_TRUE(std::regex_match(definition, parts, std::regex(R"(label_values\((.*), (\w+)\))")))
        << definition;
    const std::string expr = "count by (" + parts[2].str() + ") (" + substitute_variables(parts[1]) + ")";
    EXPECT_FALSE(prometheus.query(expr, mid_s).empty()) << definition;
  }

  // Every alert rule is loaded and evaluates cleanly, and its measure (the rule without its final
  // "<op> <threshold>") has data in the middle of the run.
  const nlohmann::json groups = prometheus.api("rules")["data"]["groups"];
  size_t rules = 0;
  for (const nlohmann::json& group : groups) {
    for (const nlohmann::json& rule : group["rules"]) {
      ++rules;
      const std::string query = rule["query"];
      EXPECT_EQ(rule["health"], "ok") << query << ": " << rule.value("lastError", "");
      std::smatch parts;
      ASSERT_TRUE(std::regex_match(query, parts, std::regex(R"((.*\S)\s*(>|<|==|!=|>=|<=)\s*[-+.e0-9]+)")))
          << rule["name"] << ": " << query;
      EXPECT_FALSE(prometheus.query(parts[1], mid_s).empty()) << rule["name"] << ": " << parts[1];
    }
  }
  EXPECT_EQ(rules, 8u);
}

TEST(Prometheus, PromtoolAcceptsTheAlertRulesAndTheirUnitTests) {
  ASSERT_TRUE(std::filesystem::exists(kPromtool)) << kPromtool << " is missing: run scripts/install-deps.sh";
  Process check({kPromtool, "check", "rules", source_dir() + "/monitoring/prometheus/alerts.yml"});
  EXPECT_EQ(check.wait(), 0) << check.stdout_text() << check.stderr_text();
  Process test({kPromtool, "test", "rules", source_dir() + "/monitoring/prometheus/alerts_test.yml"});
  EXPECT_EQ(test.wait(), 0) << test.stdout_text() << test.stderr_text();
}

TEST(Prometheus, ABusyAddressExitsTwoBeforeTheRun) {
  Process server({surge_binary(), "serve", "--port", "0"});
  const std::string address = listen_address(server);
  RunOutcome run = run_surge({"--url", "http://" + address + "/", "-d", "1s", "--prometheus", address});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("--prometheus " + address + ": cannot bind " + address +
                                 ": EADDRINUSE (Address already in use)"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_TRUE(run.results.is_null()) << "the run must not start";
  EXPECT_EQ(serve_stats(address)["requests_total"], 0);
}

TEST(Prometheus, LingerWithoutPrometheusIsAUsageError) {
  RunOutcome run = run_surge({"--url", "http://127.0.0.1:1/", "--linger", "5s"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("--linger needs --prometheus"), std::string::npos) << run.stderr_text;
}

}  // namespace
}  // namespace surge::e2e
