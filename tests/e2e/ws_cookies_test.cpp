// Cookies on WebSocket upgrades against an independent server (tests/e2e/node/ws_cookie_server.js: Node's
// http module and the npm ws package): the session cookie an http step received is sent on the upgrade, and
// the Set-Cookie of the 101 goes into the jar for the http step after it. The server counts what it received.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "support.h"

namespace surge::e2e {
namespace {

using nlohmann::json;

const json& step_named(const json& results, const std::string& name) {
  for (const json& step : results["steps"]) {
    if (step["name"] == name) return step;
  }
  ADD_FAILURE() << "no step " << name << " in " << results["steps"].dump();
  static const json none = json::object();
  return none;
}

std::string start_server(Process& server) {
  const std::string line = server.first_line();
  if (!line.starts_with("listening on ")) {
    ADD_FAILURE() << "ws_cookie_server.js did not start: " << line << server.stderr_text();
    return "";
  }
  return line.substr(13);
}

std::vector<std::string> node_command() {
  const std::string modules = source_dir() + "/tests/node/node_modules";
  if (access((modules + "/ws/package.json").c_str(), R_OK) != 0)
    ADD_FAILURE() << modules << "/ws is missing: run scripts/install-deps.sh (npm ci in tests/node)";
  setenv("NODE_PATH", modules.c_str(), 1);
  return {"node", source_dir() + "/tests/e2e/node/ws_cookie_server.js"};
}

constexpr const char* kScenario = R"yaml(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: chat
    cookies: COOKIES
    steps:
      - http: { name: login, url: /login, expect: { status: 200 } }
      - ws: { connect: /ws }
      - ws: { send: hi, expect: { contains: "cookie=[session=s", timeout: 2s }, name: upgrade carried the session }
      - ws: { close: 1000 }
      - http: { name: whoami, url: /whoami, expect: { contains: "ws_seen=" } }
)yaml";

RunOutcome run_with(const std::string& address, const std::string& cookies) {
  std::string body = kScenario;
  body.replace(body.find("COOKIES"), 7, cookies);
  return run_surge({write_temp_file("ws_cookies.yaml", "target: http://" + address + "\n" + body), "--workers", "1"});
}

TEST(WsCookies, TheUpgradeSendsTheJarsCookiesAndStoresTheOnesOfThe101) {
  Process server(node_command());
  const std::string address = start_server(server);
  ASSERT_FALSE(address.empty());
  RunOutcome run = run_with(address, "{ clear: iteration }");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& results = run.results;
  uint64_t upgrades = step_named(results, "ws connect /ws")["requests"]["ok"];
  ASSERT_GT(upgrades, 2u);
  EXPECT_EQ(step_named(results, "upgrade carried the session")["requests"]["errors"], 0);
  EXPECT_EQ(step_named(results, "whoami")["requests"]["errors"], 0) << "the 101's cookie reached the next step";
  json stats = json::parse(http_get(address, "/stats"));
  EXPECT_EQ(stats["upgrades"], upgrades);
  EXPECT_EQ(stats["upgrades_with_session"], upgrades) << "every upgrade carried the login's cookie";
  EXPECT_EQ(stats["whoami_with_ws_seen"], step_named(results, "whoami")["requests"]["ok"]);
}

// The same plan without cookies: the server sees no cookie, so no answer holds a session and the expect waits
// out its 2 s timeout (it skips messages that do not match): each user upgrades once in the 1 s phase, and
// every one of those expects fails (the test can fail).
TEST(WsCookies, WithoutCookiesTheUpgradeCarriesNone) {
  Process server(node_command());
  const std::string address = start_server(server);
  ASSERT_FALSE(address.empty());
  RunOutcome run = run_with(address, "false");
  const json& results = run.results;
  uint64_t upgrades = step_named(results, "ws connect /ws")["requests"]["ok"];
  ASSERT_GE(upgrades, 2u);
  EXPECT_EQ(step_named(results, "upgrade carried the session")["requests"]["ok"], 0);
  EXPECT_EQ(step_named(results, "upgrade carried the session")["requests"]["errors"], upgrades);
  EXPECT_EQ(step_named(results, "whoami")["requests"]["ok"], 0);
  json stats = json::parse(http_get(address, "/stats"));
  EXPECT_EQ(stats["upgrades"], upgrades);
  EXPECT_EQ(stats["upgrades_with_session"], 0);
}

}  // namespace
}  // namespace surge::e2e
