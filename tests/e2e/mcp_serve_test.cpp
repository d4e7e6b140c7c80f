// MCP both ways round. The official SDK's client runs a whole session against `surge serve`'s /mcp (JSON
// and --mcp-sse), and the server's own counts must agree with the calls the client made. Then our codec
// (message builders, SSE and JSON-RPC readers) talks to the official reference server over a raw socket.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "proto/jsonrpc/mcp.h"
#include "proto/jsonrpc/message.h"
#include "proto/jsonrpc/sse_reader.h"
#include "support.h"
#include "text/json_view.h"

namespace surge::e2e {
namespace {

namespace jsonrpc = proto::jsonrpc;
namespace mcp = proto::jsonrpc::mcp;
using nlohmann::json;

std::string node_modules() { return source_dir() + "/tests/node/node_modules"; }

// Fails the test (never skips) when an npm package the test needs is missing.
bool has_package(const std::string& package) {
  if (access((node_modules() + "/" + package + "/package.json").c_str(), R_OK) == 0) return true;
  ADD_FAILURE() << node_modules() << "/" << package
                << " is missing: run scripts/install-deps.sh (npm ci in tests/node)";
  return false;
}

// Runs tests/e2e/node/mcp_client_check.js against url and returns what it saw (null on failure).
json run_sdk_client(const std::string& url) {
  if (!has_package("@modelcontextprotocol/sdk")) return nullptr;
  setenv("NODE_PATH", node_modules().c_str(), 1);
  Process node({"node", source_dir() + "/tests/e2e/node/mcp_client_check.js", url});
  int code = node.wait(120);
  if (code == 127) {
    ADD_FAILURE() << "node is not installed or not in PATH (scripts/install-deps.sh installs Node.js)";
    return nullptr;
  }
  json seen = json::parse(node.stdout_text(), nullptr, false);
  EXPECT_EQ(code, 0) << node.stdout_text() << node.stderr_text();
  if (seen.is_discarded()) {
    ADD_FAILURE() << "mcp_client_check.js printed no JSON: " << node.stdout_text() << node.stderr_text();
    return nullptr;
  }
  return seen;
}

class McpServeSdk : public ::testing::TestWithParam<bool> {};

TEST_P(McpServeSdk, RunsASessionWhoseCallsTheServerCountsExactly) {
  std::vector<std::string> argv = {surge_binary(), "serve", "--port", "0"};
  if (GetParam()) argv.push_back("--mcp-sse");
  Process server(argv);
  const std::string address = listen_address(server);
  json seen = run_sdk_client("http://" + address + "/mcp");
  ASSERT_FALSE(seen.is_null());
  ASSERT_FALSE(seen.contains("fatal")) << seen["fatal"];
  EXPECT_EQ(seen["errors"], json::array());
  EXPECT_EQ(seen["session_id_length"], 24);
  EXPECT_EQ(seen["protocol_version"], "2025-11-25") << "the SDK offers its newest revision, which we accept";
  EXPECT_EQ(seen["server"], json::parse(R"({"name":"surge serve","version":"0.1.0"})"));
  EXPECT_EQ(seen["tools"], json::parse(R"(["echo","sleep","complete"])"));
  EXPECT_EQ(seen["echo"], "Echo: hello \"mcp\"");
  EXPECT_EQ(seen["echo_is_error"], false);
  EXPECT_EQ(seen["sleep"], "Slept 50 ms");
  EXPECT_EQ(seen["complete"], "def add(a, b): each in else return value call result list");
  EXPECT_EQ(seen["complete_repeats"], true);
  EXPECT_EQ(seen["unknown_tool_is_error"], true);
  EXPECT_EQ(seen["unknown_tool_text"], "Unknown tool: nope");
  EXPECT_EQ(seen["resource_pages"], 3);
  EXPECT_EQ(seen["resources"], json::parse(R"(["surge://docs/1","surge://docs/2","surge://docs/3",)"
                                           R"("surge://docs/4","surge://docs/5"])"));
  EXPECT_EQ(seen["read_text"], "# Doc 2\n\nA surge serve test document.\n");
  EXPECT_EQ(seen["prompts"], json::parse(R"(["review"])"));
  EXPECT_EQ(seen["unknown_method_code"], -32601);
  EXPECT_EQ(seen["terminated"], true);

  json stats = serve_stats(address);
  json counted = stats["mcp"];
  uint64_t posts = 0;
  for (const auto& [method, calls] : seen["calls"].items()) {
    EXPECT_EQ(counted["by_method"][method], calls) << method;
    posts += calls.get<uint64_t>();
  }
  EXPECT_EQ(posts, 15u);
  for (const auto& [tool, calls] : seen["tool_calls"].items())
    EXPECT_EQ(counted["by_tool"][tool == "nope" ? "unknown" : tool], calls) << tool;
  EXPECT_EQ(counted["sessions"],
            json::parse(R"({"opened":1,"closed":1,"evicted":0,"expired":0,"open":0,"unknown":0,"missing":0,)"
                        R"("websocket":0})"));
  // Every POST, the DELETE, and the SDK's one GET for a server stream (405: we send no server requests).
  EXPECT_EQ(stats["by_path"]["/mcp"], posts + 2);
  EXPECT_EQ(stats["by_status"]["405"], 1);
  EXPECT_EQ(stats["by_status"]["202"], 1);
}

INSTANTIATE_TEST_SUITE_P(JsonAndSse, McpServeSdk, ::testing::Bool(), [](const auto& info) {
  return info.param ? std::string("Sse") : std::string("Json");
});

struct HttpReply {
  int status = 0;
  std::string head;
  std::string body;  // de-chunked
};

// The value of a header field, names compared without case (the reference server writes lower case).
std::string field(const std::string& head, std::string name) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  size_t start = head.find_first_not_of(' ', at + name.size() + 3);
  return head.substr(start, head.find("\r\n", start) - start);
}

// A blocking HTTP/1.1 client on one keep-alive connection: enough to drive a session by hand.
class RawHttp {
 public:
  explicit RawHttp(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("cannot connect to port " + std::to_string(port));
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawHttp() { close(fd_); }

  HttpReply send(const std::string& method, const std::string& headers, const std::string& body) {
    std::string request = method + " /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
      throw std::runtime_error("send failed");
    HttpReply reply;
    size_t end = fill_until("\r\n\r\n");
    reply.head = take(end + 4);
    reply.status = std::stoi(reply.head.substr(9, 3));
    if (std::string length = field(reply.head, "content-length"); !length.empty()) {
      reply.body = take(std::stoul(length));
    } else if (field(reply.head, "transfer-encoding") == "chunked") {
      while (true) {
        size_t size = std::stoul(take(fill_until("\r\n") + 2), nullptr, 16);
        reply.body += take(size);
        take(fill_until("\r\n") + 2);  // the CRLF after the data, or the empty trailer section
        if (size == 0) break;
      }
    }
    return reply;
  }

 private:
  size_t fill_until(const std::string& marker) {
    size_t at;
    while ((at = buffer_.find(marker)) == std::string::npos) read_more();
    return at;
  }
  std::string take(size_t size) {
    while (buffer_.size() < size) read_more();
    std::string out = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return out;
  }
  void read_more() {
    char chunk[16384];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) throw std::runtime_error("connection closed or timed out");
    buffer_.append(chunk, static_cast<size_t>(n));
  }

  int fd_ = -1;
  std::string buffer_;
};

// The JSON-RPC response in a reply, read with our own readers: an event stream fed in 7-byte pieces
// through SseReader (priming events skipped), or a JSON body.
std::string response_json(const HttpReply& reply) {
  if (!mcp::is_event_stream(field(reply.head, "content-type"))) return reply.body;
  jsonrpc::SseReader reader;
  std::string data;
  for (size_t at = 0; at < reply.body.size(); at += 7) {
    auto fed = reader.feed(std::string_view(reply.body).substr(at, 7), [&](const jsonrpc::SseEvent& event) {
      if (event.type == "message") data = event.data;
    });
    EXPECT_TRUE(fed) << fed.error().message;
  }
  return data;
}

std::vector<std::string> tool_names(std::string_view result) {
  std::vector<std::string> names;
  auto document = text::json::scan_document(result);
  text::json::JsonValue tools, tool, name;
  if (!document || !text::json::find_member(*document, "tools", tools)) return names;
  text::json::ElementIterator items(tools);
  while (items.next(tool)) {
    if (text::json::find_member(tool, "name", name)) names.emplace_back(name.string_body());
  }
  return names;
}

// The reference server, started on a free port and stopped by PID when the test ends.
class ReferenceServer {
 public:
  ReferenceServer() : port_(free_port()) {
    const std::string script = node_modules() + "/@modelcontextprotocol/server-everything/dist/index.js";
    process_ = std::make_unique<Process>(
        std::vector<std::string>{"node", script, "streamableHttp"},
        test_support::Environment{{"PORT", std::to_string(port_)}, {"NODE_PATH", node_modules()}});
  }
  // It says "MCP Streamable HTTP Server listening on port N" on stderr once it accepts connections.
  bool wait_until_listening() {
    for (int i = 0; i < 1000; ++i) {
      if (process_->stderr_text().find("listening on port " + std::to_string(port_)) != std::string::npos)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a file: no event to wait on
    }
    return false;
  }
  int port() const { return port_; }
  std::string output() const { return process_->stdout_text() + process_->stderr_text(); }

 private:
  int port_;
  std::unique_ptr<Process> process_;
};

TEST(McpReferenceServer, AnswersOurBuildersAndOurReadersReadItsStreams) {
  if (!has_package("@modelcontextprotocol/server-everything")) return;
  ReferenceServer server;
  ASSERT_TRUE(server.wait_until_listening()) << server.output();
  RawHttp http(server.port());
  const std::string headers =
      "Content-Type: application/json\r\nAccept: " + std::string(mcp::kAccept) + "\r\n";

  std::string body;
  mcp::append_initialize(body, 1, "surge", "0.1.0");
  HttpReply opened = http.send("POST", headers, body);
  ASSERT_EQ(opened.status, 200) << opened.head << opened.body;
  EXPECT_TRUE(mcp::is_event_stream(field(opened.head, "content-type"))) << opened.head;
  const std::string session = field(opened.head, std::string(mcp::kSessionHeader));
  ASSERT_FALSE(session.empty()) << opened.head;
  const std::string initialized_json = response_json(opened);  // the views below point into it
  auto initialized = jsonrpc::parse_message(initialized_json);
  ASSERT_TRUE(initialized) << initialized.error().message;
  EXPECT_EQ(initialized->kind, jsonrpc::MessageKind::kResult);
  EXPECT_EQ(initialized->id, "1");
  EXPECT_EQ(mcp::negotiated_version(initialized->result), "2025-06-18");

  const std::string in_session = headers + std::string(mcp::kSessionHeader) + ": " + session + "\r\n" +
                                 std::string(mcp::kProtocolVersionHeader) + ": 2025-06-18\r\n";
  body.clear();
  mcp::append_initialized(body);
  EXPECT_EQ(http.send("POST", in_session, body).status, 202);

  body.clear();
  mcp::append_list(body, 2, mcp::Listing::kTools, "");
  const std::string listed_json = response_json(http.send("POST", in_session, body));
  auto listed = jsonrpc::parse_message(listed_json);
  ASSERT_TRUE(listed) << listed.error().message;
  std::vector<std::string> names = tool_names(listed->result);
  EXPECT_NE(std::find(names.begin(), names.end(), "echo"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "get-sum"), names.end());

  body.clear();
  mcp::append_tool_call(body, 3, "echo", R"({"message":"hello from surge"})");
  const std::string echoed_json = response_json(http.send("POST", in_session, body));
  auto echoed = jsonrpc::parse_message(echoed_json);
  ASSERT_TRUE(echoed) << echoed.error().message;
  EXPECT_EQ(echoed->id, "3");
  EXPECT_EQ(mcp::first_text(echoed->result), "Echo: hello from surge");
  EXPECT_FALSE(mcp::tool_result_is_error(echoed->result));

  body.clear();
  mcp::append_tool_call(body, 4, "get-sum", R"({"a":2,"b":3})");
  const std::string summed_json = response_json(http.send("POST", in_session, body));
  auto summed = jsonrpc::parse_message(summed_json);
  ASSERT_TRUE(summed) << summed.error().message;
  EXPECT_EQ(mcp::first_text(summed->result), "The sum of 2 and 3 is 5.");

  body.clear();
  mcp::append_tool_call(body, 5, "no-such-tool", "");
  const std::string unknown_json = response_json(http.send("POST", in_session, body));
  auto unknown = jsonrpc::parse_message(unknown_json);
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_TRUE(mcp::tool_result_is_error(unknown->result)) << unknown->result;

  body.clear();
  mcp::append_ping(body, 6);
  const std::string pong_json = response_json(http.send("POST", in_session, body));
  auto pong = jsonrpc::parse_message(pong_json);
  ASSERT_TRUE(pong) << pong.error().message;
  EXPECT_EQ(pong->result, "{}");

  EXPECT_EQ(http.send("DELETE", in_session, "").status, 200);
}

// mcp steps in a scenario (surge run), checked against the server's own counts of what its /mcp saw.
void expect_mcp_steps_match_the_server(const std::vector<std::string>& serve_flags) {
  std::vector<std::string> argv = {surge_binary(), "serve", "--port", "0"};
  argv.insert(argv.end(), serve_flags.begin(), serve_flags.end());
  Process server(argv);
  std::string address = listen_address(server);
  std::string plan = write_temp_file("mcp_steps.yaml", "target: http://" + address + R"yaml(
phases: [{ name: main, duration: 1s, users: 3 }]
scenarios:
  - name: agent
    steps:
      - mcp: { initialize: { client: surge-test } }
      - mcp: { list: resources }
      - loop: { count: 3, steps: [{ mcp: { call: echo, arguments: { message: "m{{ vu.id }}" }, expect: { contains: "Echo: m" } } }] }
      - mcp: { call: nope, name: unknown tool }
      - mcp: { close: true }
)yaml");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  json stats = serve_stats(address)["mcp"];
  const json& steps = run.results["steps"];
  auto requests = [&](const std::string& name) -> uint64_t {
    for (const json& step : steps) {
      if (step["name"] == name) return step["requests"]["total"];
    }
    ADD_FAILURE() << "no step " << name;
    return 0;
  };
  uint64_t sessions = requests("mcp initialize");
  EXPECT_GT(sessions, 5u);
  EXPECT_EQ(stats["sessions"]["opened"], sessions);
  EXPECT_EQ(stats["sessions"]["closed"], requests("mcp close"));
  EXPECT_EQ(stats["by_method"]["notifications/initialized"], requests("mcp initialized"));
  // serve pages resources two at a time: the first page and the pages its nextCursor led to.
  EXPECT_EQ(stats["by_method"]["resources/list"],
            requests("mcp resources/list") + requests("mcp resources/list next page"));
  EXPECT_GT(requests("mcp resources/list next page"), 0u) << "the cursor loop ran";
  EXPECT_EQ(stats["by_tool"]["echo"], requests("mcp tools/call echo"));
  EXPECT_EQ(requests("mcp tools/call echo"), 3 * sessions);
  // The unknown tool answers isError: true, a failed check; every other step passed all of its checks.
  EXPECT_EQ(run.results["checks"]["failed"], requests("unknown tool"));
  EXPECT_EQ(run.results["requests"]["by_error"]["check"], requests("unknown tool"));
}

TEST(McpSteps, ASessionOfStepsMatchesWhatServesMcpCountedInJsonMode) {
  expect_mcp_steps_match_the_server({});
}

TEST(McpSteps, ASessionOfStepsMatchesWhatServesMcpCountedInSseMode) {
  expect_mcp_steps_match_the_server({"--mcp-sse"});
}

TEST(McpSteps, TheReferenceServerAnswersEveryStepOfASession) {
  if (!has_package("@modelcontextprotocol/server-everything")) return;
  ReferenceServer server;
  ASSERT_TRUE(server.wait_until_listening()) << server.output();
  std::string plan =
      write_temp_file("mcp_ref.yaml", "target: http://127.0.0.1:" + std::to_string(server.port()) + R"yaml(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: agent
    steps:
      - mcp: { initialize: { client: surge } }
      - mcp: { list: tools }
      - mcp: { call: get-sum, arguments: { a: 2, b: 3 }, expect: { contains: "The sum of 2 and 3 is 5." } }
      - mcp: { call: echo, arguments: { message: "hi" }, expect: { contains: "Echo: hi" } }
      - mcp: { ping: true }
      - mcp: { close: true }
)yaml");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_GT(run.results["requests"]["total"].get<uint64_t>(), 14u);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(run.results["checks"]["failed"], 0);
  EXPECT_GT(run.results["checks"]["passed"].get<uint64_t>(), 0u);
}

TEST(JsonRpcSteps, ACallIsJudgedByItsIdAndItsResult) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file("jsonrpc_steps.yaml", "target: http://" + address + R"yaml(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: rpc
    steps:
      - jsonrpc:
          url: /mcp
          method: initialize
          params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: rpc, version: "1" } }
          expect: { result: { protocolVersion: "2025-06-18" }, json: { "$.result.protocolVersion": "2025-06-18" } }
      - jsonrpc: { url: /mcp, method: initialize, params: { protocolVersion: "2025-06-18" }, name: partial }
)yaml");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const json& first = run.results["steps"][0];
  const json& second = run.results["steps"][1];
  uint64_t sent = first["requests"]["total"];
  EXPECT_GT(sent, 5u);
  EXPECT_EQ(serve_stats(address)["mcp"]["by_method"]["initialize"],
            sent + second["requests"]["total"].get<uint64_t>());
  // The whole result is more than { protocolVersion }: `result:` compares it whole, so it fails; the path
  // check holds.
  EXPECT_EQ(first["checks"][2]["name"], "json $.result");
  EXPECT_EQ(first["checks"][2]["failed"], sent);
  EXPECT_EQ(first["checks"][3]["name"], "json $.result.protocolVersion");
  EXPECT_EQ(first["checks"][3]["passed"], sent);
}

}  // namespace
}  // namespace surge::e2e
