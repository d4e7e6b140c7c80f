// Process and HTTP helpers for the e2e tests (blocking, simple, only loopback).
#include "support.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/free_port.h"

namespace surge::e2e {

std::string surge_binary() { return SURGE_BINARY; }
std::string source_dir() { return SURGE_SOURCE_DIR; }

std::string temp_dir() { return test_support::test_temp_dir(); }

std::string write_temp_file(const std::string& name, const std::string& content) {
  std::string path = temp_dir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

std::string listen_address(Process& server) {
  std::string line = server.first_line();
  const std::string prefix = "listening on ";
  if (line.rfind(prefix, 0) != 0)
    throw std::runtime_error("server did not start: '" + line + "' " + server.stderr_text());
  return line.substr(prefix.size());
}

std::string http_get(const std::string& address, const std::string& path) {
  size_t colon = address.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &addr.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to " + address);
  }
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + address + "\r\nConnection: close\r\n\r\n";
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size()))
    throw std::runtime_error("write");
  std::string response;
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) response.append(buffer, static_cast<size_t>(n));
  close(fd);
  size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) throw std::runtime_error("bad response from " + address + path);
  std::string head = response.substr(0, body);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (head.find("\r\ntransfer-encoding: chunked") == std::string::npos) return response.substr(body + 4);
  // Node's http module answers chunked when a handler calls writeHead before end: take the chunks' data.
  std::string decoded;
  size_t at = body + 4;
  while (true) {
    size_t line_end = response.find("\r\n", at);
    if (line_end == std::string::npos)
      throw std::runtime_error("truncated chunked body from " + address + path);
    size_t size = std::stoul(response.substr(at, line_end - at), nullptr, 16);
    if (size == 0) return decoded;
    if (line_end + 2 + size > response.size())
      throw std::runtime_error("truncated chunk from " + address + path);
    decoded.append(response, line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
}

nlohmann::json serve_stats(const std::string& address) {
  return nlohmann::json::parse(http_get(address, "/__surge/stats"));
}

namespace {
void wait_for_count(const std::string& address, const char* key, uint64_t count) {
  uint64_t seen = 0;
  for (int i = 0; i < 2000; ++i) {
    seen = serve_stats(address)[key].get<uint64_t>();
    if (seen >= count) return;
    poll(nullptr, 0, 5);
  }
  ADD_FAILURE() << "surge serve at " << address << " counted " << seen << " " << key << " in 10 s, not "
                << count;
}
}  // namespace

void wait_for_requests(const std::string& address, uint64_t count) {
  wait_for_count(address, "requests_total", count);
}

void wait_for_received(const std::string& address, uint64_t count) {
  wait_for_count(address, "requests_received", count);
}

RunOutcome run_surge(std::vector<std::string> args) {
  static int counter = 0;
  std::string json_path = temp_dir() + "/results-" + std::to_string(++counter) + ".json";
  std::vector<std::string> argv = {surge_binary(), "run"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--out");
  argv.push_back("json=" + json_path);
  argv.push_back("--quiet");
  Process process(argv);
  RunOutcome outcome;
  outcome.exit_code = process.wait();
  outcome.elapsed_s = process.elapsed_s();
  outcome.stdout_text = process.stdout_text();
  outcome.stderr_text = process.stderr_text();
  std::string json_text = read_file(json_path);
  if (!json_text.empty()) outcome.results = nlohmann::json::parse(json_text);
  return outcome;
}

int free_port() { return test_support::free_loopback_port(); }

// Runs a script from tests/e2e/node with the project's node_modules; fails the test when node or the
// packages are missing. Returns the script's one-line JSON verdict.
nlohmann::json run_node_check(const std::string& script, const std::vector<std::string>& args) {
  const std::string modules = source_dir() + "/tests/node/node_modules";
  for (const char* package : {"/hdr-histogram-js", "/puppeteer-core"}) {
    if (access((modules + package).c_str(), R_OK) != 0) {
      ADD_FAILURE() << modules << package
                    << " is missing: run scripts/install-deps.sh (npm ci in tests/node)";
      return nullptr;
    }
  }
  std::vector<std::string> argv = {"node", source_dir() + "/tests/e2e/node/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  Process node(argv, {{"NODE_PATH", modules}});
  const int code = node.wait(180);
  if (code == 127) {
    ADD_FAILURE() << "node is not installed or not in PATH (scripts/install-deps.sh installs Node.js)";
    return nullptr;
  }
  const std::string out = node.stdout_text();
  nlohmann::json verdict = nlohmann::json::parse(out, nullptr, false);
  EXPECT_EQ(code, 0) << out << node.stderr_text();
  if (verdict.is_discarded()) ADD_FAILURE() << script << " printed no verdict: " << out << node.stderr_text();
  return verdict;
}

}  // namespace surge::e2e
