// Process and HTTP helpers for the e2e tests (blocking, simple, only loopback).
#include "support.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "../support/free_port.h"

namespace surge::e2e {
namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string surge_binary() { return SURGE_BINARY; }
std::string source_dir() { return SURGE_SOURCE_DIR; }

std::string temp_dir() {
  static std::string dir = [] {
    char pattern[] = "/tmp/surge-e2e-XXXXXX";
    return std::string(mkdtemp(pattern));
  }();
  return dir;
}

std::string write_temp_file(const std::string& name, const std::string& content) {
  std::string path = temp_dir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

Process::Process(const std::vector<std::string>& argv) {
  static int counter = 0;
  ++counter;
  out_path_ = temp_dir() + "/proc-" + std::to_string(getpid()) + "-" + std::to_string(counter) + ".out";
  err_path_ = out_path_ + ".err";
  started_s_ = now_s();
  pid_ = fork();
  if (pid_ == 0) {
    int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

Process::~Process() {
  if (status_ == -1 && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

std::string Process::first_line() {
  double deadline = now_s() + 10;
  while (now_s() < deadline) {
    std::string text = read_file(out_path_);
    size_t newline = text.find('\n');
    if (newline != std::string::npos) return text.substr(0, newline);
    if (waitpid(pid_, &status_, WNOHANG) == pid_) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a file: no event to wait on
  }
  return "";
}

int Process::wait(double timeout_s) {
  double deadline = now_s() + timeout_s;
  while (status_ == -1) {
    pid_t done = waitpid(pid_, &status_, WNOHANG);
    if (done == pid_) break;
    if (now_s() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  return 128 + WTERMSIG(status_);
}

void Process::terminate() {
  if (status_ == -1) {
    kill(pid_, SIGTERM);
    wait(10);
  }
}

std::string Process::stdout_text() const { return read_file(out_path_); }
std::string Process::stderr_text() const { return read_file(err_path_); }
double Process::elapsed_s() const { return now_s() - started_s_; }

std::string listen_address(Process& server) {
  std::string line = server.first_line();
  const std::string prefix = "listening on ";
  if (line.rfind(prefix, 0) != 0) throw std::runtime_error("server did not start: '" + line + "' " + server.stderr_text());
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
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) throw std::runtime_error("write");
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
    if (line_end == std::string::npos) throw std::runtime_error("truncated chunked body from " + address + path);
    size_t size = std::stoul(response.substr(at, line_end - at), nullptr, 16);
    if (size == 0) return decoded;
    if (line_end + 2 + size > response.size()) throw std::runtime_error("truncated chunk from " + address + path);
    decoded.append(response, line_end + 2, size);
    at = line_end + 2 + size + 2;
  }
}

nlohmann::json serve_stats(const std::string& address) { return nlohmann::json::parse(http_get(address, "/__surge/stats")); }

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
  setenv("NODE_PATH", modules.c_str(), 1);
  std::vector<std::string> argv = {"node", source_dir() + "/tests/e2e/node/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  Process node(argv);
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
