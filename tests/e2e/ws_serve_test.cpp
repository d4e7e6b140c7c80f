// WebSocket end to end, each side checked by an independent implementation: the npm `ws` client against
// `surge serve`'s /ws and /ws/room/{name} (node scripts in tests/e2e/node), and surge's own handshake and
// frame codec, over a raw socket, against the npm `ws` server. The serve stats are compared with what the
// clients did.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "proto/http/response_parser.h"
#include "proto/ws/frame.h"
#include "proto/ws/frame_decoder.h"
#include "proto/ws/handshake.h"
#include "support.h"

namespace surge::e2e {
namespace {

namespace ws = proto::ws;

const std::string kNodeModules = source_dir() + "/tests/node/node_modules";

// Fails the test (never skips) when node or the ws package is missing; makes node find the packages.
bool node_ready() {
  if (access((kNodeModules + "/ws/package.json").c_str(), R_OK) != 0) {
    ADD_FAILURE() << kNodeModules << "/ws is missing: run scripts/install-deps.sh (npm ci in tests/node)";
    return false;
  }
  setenv("NODE_PATH", kNodeModules.c_str(), 1);
  return true;
}

// Runs tests/e2e/node/ws_client_check.js and returns its one-line JSON verdict.
nlohmann::json run_ws_client_check(const std::vector<std::string>& args) {
  if (!node_ready()) return nullptr;
  std::vector<std::string> argv = {"node", source_dir() + "/tests/e2e/node/ws_client_check.js"};
  argv.insert(argv.end(), args.begin(), args.end());
  Process node(argv);
  const int code = node.wait(60);
  if (code == 127) {
    ADD_FAILURE() << "node is not installed or not in PATH (scripts/install-deps.sh installs Node.js)";
    return nullptr;
  }
  nlohmann::json verdict = nlohmann::json::parse(node.stdout_text(), nullptr, false);
  EXPECT_EQ(code, 0) << node.stdout_text() << node.stderr_text();
  if (verdict.is_discarded()) ADD_FAILURE() << "no verdict: " << node.stdout_text() << node.stderr_text();
  return verdict;
}

// The serve stats once every WebSocket has closed (the server sees the client's FIN a moment after the
// client process is gone), or after 10 s whatever they say.
nlohmann::json stats_when_ws_closed(const std::string& address) {
  nlohmann::json stats = serve_stats(address);
  for (int i = 0; i < 1000 && stats["ws"]["open"] != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling the server: no event to wait on
    stats = serve_stats(address);
  }
  return stats;
}

class Events final : public ws::FrameHandler {
 public:
  void on_message(ws::Opcode opcode, std::string_view payload) override {
    list.push_back(std::string(ws::to_string(opcode)) + ":" + std::string(payload));
  }
  void on_ping(std::string_view payload) override { list.push_back("ping:" + std::string(payload)); }
  void on_pong(std::string_view payload) override { list.push_back("pong:" + std::string(payload)); }
  void on_close(uint16_t code, std::string_view reason) override {
    list.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
  std::vector<std::string> list;
};

// A blocking WebSocket client made of surge's codec and a plain socket.
class RawClient {
 public:
  explicit RawClient(const std::string& address) {
    const size_t colon = address.rfind(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      ADD_FAILURE() << "cannot connect to " << address;
    host_ = address;
  }
  ~RawClient() { ::close(fd_); }

  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n <= 0) {
        ADD_FAILURE() << "write failed";
        return;
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads once (at most 10 s); "" at EOF or timeout.
  std::string read_some() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) return {};
    char buffer[65536];
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
  }

  // Sends the upgrade request; returns the response's status and head, keeping bytes after the head.
  int handshake(const std::string& path, const std::vector<std::string>& protocols, std::string& head) {
    std::string request;
    ws::append_upgrade_request(request, host_, path, "", protocols, key_);
    write_all(request);
    proto::http::ResponseParser parser;
    parser.start(false);
    std::string received;
    while (parser.status() == proto::http::ResponseParser::Status::kNeedMore) {
      std::string more = read_some();
      if (more.empty()) return 0;
      const size_t used = parser.feed(more.data(), more.size());
      received += more.substr(0, used);
      early_ += more.substr(used);
    }
    head = received;
    return parser.status_code();
  }

  // Masked with a key that changes per frame, as a client must (RFC 6455 §5.3).
  void send(ws::Opcode opcode, std::string_view payload, bool fin = true) {
    std::string frame;
    ASSERT_TRUE(ws::append_frame(frame, opcode, payload, fin, 0x9e3779b9u * ++frames_));
    write_all(frame);
  }
  void send_raw(std::string_view bytes) { write_all(bytes); }

  // Feeds the decoder until `count` events arrived, EOF, or a decode error; returns every event so far.
  const std::vector<std::string>& read_events(size_t count) {
    if (!early_.empty()) {
      decoder_.feed(early_, events_);
      early_.clear();
    }
    while (events_.list.size() < count && decoder_.error() == ws::FrameError::kNone) {
      const std::string more = read_some();
      if (more.empty()) break;
      decoder_.feed(more, events_);
    }
    EXPECT_EQ(decoder_.error(), ws::FrameError::kNone) << decoder_.error_detail();
    return events_.list;
  }

  // Whether the peer closes the connection (EOF) within 10 s.
  bool sees_eof() {
    pollfd p{fd_, POLLIN, 0};
    char byte;
    return poll(&p, 1, 10000) == 1 && ::read(fd_, &byte, 1) == 0;
  }

  std::string key() const { return key_; }

 private:
  int fd_ = -1;
  std::string host_;
  std::string key_ = ws::make_client_key(0x0123456789abcdef, 0xfedcba9876543210);
  std::string early_;
  uint32_t frames_ = 0;
  ws::FrameDecoder decoder_{ws::Role::kClient};
  Events events_;
};

class WsServe : public testing::Test {
 protected:
  void SetUp() override { address_ = listen_address(server_); }
  Process server_{{surge_binary(), "serve", "--port", "0"}};
  std::string address_;
};

TEST_F(WsServe, EchoesEveryMessageOfTheNpmClientByteForByte) {
  nlohmann::json verdict = run_ws_client_check({"echo", "ws://" + address_ + "/ws", "25"});
  ASSERT_TRUE(verdict.is_object());
  EXPECT_TRUE(verdict["ok"].get<bool>()) << verdict.dump();
  EXPECT_EQ(verdict["echoed"], 50);
  EXPECT_EQ(verdict["pong"], true);
  EXPECT_EQ(verdict["close_code"], 1000);
  nlohmann::json stats = stats_when_ws_closed(address_);
  EXPECT_EQ(stats["ws"]["upgrades"], 1);
  EXPECT_EQ(stats["ws"]["open"], 0);
  EXPECT_EQ(stats["ws"]["messages_in"], 50);
  EXPECT_EQ(stats["ws"]["messages_out"], 50);
  EXPECT_EQ(stats["by_path"]["/ws"], 1);
  EXPECT_EQ(stats["by_status"]["101"], 1);
}

TEST_F(WsServe, BroadcastsEveryRoomMessageToAllThreeClientsIncludingTheSender) {
  nlohmann::json verdict = run_ws_client_check({"room", "ws://" + address_ + "/ws/room/main", "3", "40"});
  ASSERT_TRUE(verdict.is_object());
  EXPECT_TRUE(verdict["ok"].get<bool>()) << verdict.dump();
  EXPECT_EQ(verdict["received"], nlohmann::json({120, 120, 120}));
  nlohmann::json stats = stats_when_ws_closed(address_);
  EXPECT_EQ(stats["ws"]["upgrades"], 3);
  EXPECT_EQ(stats["ws"]["by_room"]["main"], nlohmann::json({{"messages_in", 120}, {"messages_out", 360}}));
}

TEST_F(WsServe, AnswersARequestThatIsNotAnUpgradeWith426) {
  RawClient client(address_);
  client.send_raw("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string response = client.read_some();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 426 Upgrade Required\r\n")) << response;
  EXPECT_NE(response.find("\r\nUpgrade: websocket\r\n"), std::string::npos) << response;
  EXPECT_EQ(serve_stats(address_)["by_status"]["426"], 1);
}

TEST_F(WsServe, RefusesAnUpgradeOfAnotherVersionWith400) {
  RawClient client(address_);
  client.send_raw(
      "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
  const std::string response = client.read_some();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400 Bad Request\r\n")) << response;
  EXPECT_TRUE(response.ends_with("bad WebSocket upgrade\n")) << response;
}

TEST_F(WsServe, AcceptsOurHandshakeAndPicksTheFirstOfferedSubprotocol) {
  RawClient client(address_);
  std::string head;
  const int status = client.handshake("/ws/room/solo", {"chat", "superchat"}, head);
  auto chosen =
      ws::check_upgrade_response(status, head, client.key(), std::vector<std::string>{"chat", "superchat"});
  ASSERT_TRUE(chosen.has_value()) << chosen.error().message;
  EXPECT_EQ(*chosen, "chat");
  client.send(ws::Opcode::kText, "alone");
  EXPECT_EQ(client.read_events(1), std::vector<std::string>{"text:alone"});
}

TEST_F(WsServe, ClosesWith1002AfterAnUnmaskedFrame) {
  RawClient client(address_);
  std::string head;
  ASSERT_EQ(client.handshake("/ws", {}, head), 101);
  std::string unmasked;
  ASSERT_TRUE(ws::append_frame(unmasked, ws::Opcode::kText, "hi", true, std::nullopt));
  client.send_raw(unmasked);
  EXPECT_EQ(client.read_events(1), std::vector<std::string>{"close:1002:unmasked frame from a client"});
  client.send(ws::Opcode::kClose, "");
  EXPECT_TRUE(client.sees_eof());
}

// Our codec against an independent server: the npm ws package's WebSocketServer, echoing.
TEST(WsCodecAgainstNpmServer, HandshakesEchoesFragmentsAndClosesCleanly) {
  ASSERT_TRUE(node_ready());
  Process server({"node", source_dir() + "/tests/e2e/node/ws_echo_server.js"});
  const std::string line = server.first_line();
  ASSERT_TRUE(line.starts_with("listening on ")) << line << server.stderr_text();
  RawClient client(line.substr(13));
  std::string head;
  const int status = client.handshake("/", {"chat"}, head);
  auto chosen = ws::check_upgrade_response(status, head, client.key(), std::vector<std::string>{"chat"});
  ASSERT_TRUE(chosen.has_value()) << chosen.error().message << "\n" << head;
  EXPECT_EQ(*chosen, "chat");

  std::string binary(70000, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 13);
  client.send(ws::Opcode::kText, "hello");
  client.send(ws::Opcode::kBinary, binary);
  client.send(ws::Opcode::kText, "Hel", false);
  client.send(ws::Opcode::kPing, "p");
  client.send(ws::Opcode::kContinuation, "lo \xc3\xa9", true);
  std::string close;
  ASSERT_TRUE(ws::append_close_frame(close, 1000, "bye", 0x01020304));
  client.send_raw(close);
  const std::vector<std::string> expected = {"text:hello", "binary:" + binary, "pong:p",
                                             "text:Hello \xc3\xa9", "close:1000:bye"};
  const std::vector<std::string>& got = client.read_events(expected.size());
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_TRUE(got[i] == expected[i]) << i << ": " << got[i].substr(0, 60);
  EXPECT_TRUE(client.sees_eof());
}

// ws steps in a scenario (surge run), against serve's own counts of upgrades and messages.
TEST(WsSteps, ARoomScenarioMatchesServesCountsOfUpgradesAndMessages) {
  Process server({surge_binary(), "serve", "--port", "0"});
  std::string address = listen_address(server);
  std::string plan = write_temp_file("ws_steps.yaml", "target: http://" + address + R"yaml(
phases: [{ name: main, duration: 1s, users: 3 }]
scenarios:
  - name: collab
    steps:
      - http: { name: login, method: POST, url: /v1/login, json: { user: "u{{ vu.id }}" }, capture: { token: "$.token" } }
      - ws: { connect: /ws/room/main, headers: { Authorization: "Bearer {{ token }}" } }
      - loop: { count: 4, steps: [{ ws: { name: edit, send: '{"op":"edit","user":"{{ vu.id }}"}', expect: { contains: '"op":"edit"' } } }] }
      - ws: { ping: true }
      - ws: { close: 1000 }
sla: ["p99(ws_rtt) < 1s", "max(ws_rtt{step=edit}) < 1ns"]
)yaml");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 99) << run.stderr_text << "the impossible ws_rtt SLA fails";
  nlohmann::json ws = serve_stats(address)["ws"];
  const nlohmann::json& steps = run.results["steps"];
  ASSERT_EQ(steps[1]["name"], "ws connect /ws/room/main");
  uint64_t connects = steps[1]["requests"]["total"];
  EXPECT_GT(connects, 10u);
  EXPECT_EQ(ws["upgrades"], connects);
  EXPECT_EQ(ws["by_room"]["main"]["messages_in"], steps[2]["requests"]["total"]);
  EXPECT_EQ(steps[2]["requests"]["total"].get<uint64_t>(), 4 * connects);
  EXPECT_EQ(run.results["requests"]["errors"], 0);
  EXPECT_EQ(ws["open"], 0) << "every connection was closed by its close step";
  // The round-trip metric is the edit step's (the only send that expects an answer): every message the room
  // received came back to its sender.
  const nlohmann::json& trips = run.results["websocket"];
  EXPECT_EQ(trips["round_trips"], ws["by_room"]["main"]["messages_in"]);
  EXPECT_EQ(trips["failed"], 0);
  EXPECT_EQ(trips["steps"], nlohmann::json::array({"collab / edit"}));
  EXPECT_EQ(trips["rtt_ms"]["max"], steps[2]["latency_ms"]["max"]);
  EXPECT_TRUE(run.results["sla"][0]["pass"]);
  EXPECT_FALSE(run.results["sla"][1]["pass"]);
  EXPECT_EQ(run.results["sla"][1]["actual"].get<double>() / 1e6, trips["rtt_ms"]["max"].get<double>());
  EXPECT_NE(run.stdout_text.find("ws rtt"), std::string::npos) << run.stdout_text;
}

// The same steps against an independent server: the npm ws package's echo server.
TEST(WsSteps, EchoStepsWorkAgainstTheNpmWsServer) {
  ASSERT_TRUE(node_ready());
  Process server({"node", source_dir() + "/tests/e2e/node/ws_echo_server.js"});
  const std::string line = server.first_line();
  ASSERT_TRUE(line.starts_with("listening on ")) << line << server.stderr_text();
  std::string plan = write_temp_file("ws_npm.yaml", "target: http://" + line.substr(13) + R"yaml(
phases: [{ name: main, duration: 1s, users: 2 }]
scenarios:
  - name: echo
    steps:
      - ws: { connect: /, subprotocols: [chat] }
      - ws: { send: 'hello {{ vu.id }} {{ uuid }}', expect: { contains: hello } }
      - ws: { send: 'bin', binary: true, expect: { contains: bin }, name: binary send }
      - ws: { expect: { contains: never, timeout: 50ms }, name: nothing comes }
      - ws: { close: 1000 }
)yaml");
  RunOutcome run = run_surge({plan, "--workers", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const nlohmann::json& steps = run.results["steps"];
  uint64_t iterations = steps[0]["requests"]["total"];
  EXPECT_GT(iterations, 5u);
  EXPECT_EQ(steps[0]["requests"]["errors"], 0);
  EXPECT_EQ(steps[1]["requests"]["ok"], iterations);
  EXPECT_EQ(steps[2]["requests"]["ok"], iterations);
  EXPECT_EQ(steps[3]["requests"]["by_error"]["timeout"], iterations) << "an expect that nothing matches times out";
  EXPECT_EQ(steps[4]["requests"]["ok"], iterations) << "the connection outlived the timeout and closed cleanly";
  // Two sends wait for their echo; the bare expect is no round trip.
  EXPECT_EQ(run.results["websocket"]["round_trips"].get<uint64_t>(), 2 * iterations);
  EXPECT_EQ(run.results["websocket"]["ok"].get<uint64_t>(), 2 * iterations);
}

}  // namespace
}  // namespace surge::e2e
