// Test support for tests/serve: a `surge serve` started in a forked child (killed by PID at the end), and
// plain blocking client sockets that read one HTTP/1.1 response at a time, raw bytes kept.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "serve/options.h"
#include "serve/server.h"
#include "support/child_process.h"

namespace surge::serve::testing {

// run_server in a forked child (the shared launcher, tests/support/child_process.h); the constructor waits
// for the listening line. Stopped by PID when destroyed.
class ServerProcess {
 public:
  explicit ServerProcess(const ServeOptions& options)
      : child_([&options] {
          auto served = run_server(options);
          if (!served) std::fprintf(stderr, "%s\n", served.error().message.c_str());
          return served ? 0 : 1;
        }) {
    listening_line_ = child_.first_line();
    if (listening_line_.empty()) throw std::runtime_error("timed out waiting for a line");
    size_t colon = listening_line_.rfind(':');
    if (colon != std::string::npos)
      port_ = static_cast<uint16_t>(std::atoi(listening_line_.c_str() + colon + 1));
  }
  ~ServerProcess() { stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  uint16_t port() const { return port_; }
  const std::string& listening_line() const { return listening_line_; }
  pid_t pid() const { return child_.pid(); }

  // SIGTERM, then waits (SIGKILL after 10 s); returns the exit code, or 128 + signal.
  int stop() { return child_.terminate(); }

 private:
  test_support::ChildProcess child_;
  uint16_t port_ = 0;
  std::string listening_line_;
};

inline ServeOptions options_on_free_port(int workers = 1) {
  ServeOptions options;
  options.port = 0;
  options.workers = workers;
  return options;
}

// A blocking loopback client socket; reads time out after 10 s so a missing response fails, not hangs.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("connect failed");
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  int fd() const { return fd_; }

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads until `buffer_` holds at least `size` bytes; false on EOF.
  bool fill(size_t size) {
    char chunk[65536];
    while (buffer_.size() < size) {
      ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n < 0) throw std::runtime_error("recv failed or timed out");
      if (n == 0) return false;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    return true;
  }

  // Exactly the next `size` bytes.
  std::string take(size_t size) {
    if (!fill(size)) throw std::runtime_error("eof before " + std::to_string(size) + " bytes");
    std::string out = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return out;
  }

  // Everything up to and including the next "\r\n\r\n".
  std::string take_head() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(buffer_.size() + 1)) throw std::runtime_error("eof inside a head");
    }
    return take(end + 4);
  }

  // Everything up to and including the next "\r\n".
  std::string take_line() {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
      if (!fill(buffer_.size() + 1)) throw std::runtime_error("eof inside a line");
    }
    return take(end + 2);
  }

  // Everything until the peer closes.
  std::string take_until_eof() {
    while (fill(buffer_.size() + 1)) {
    }
    std::string out;
    out.swap(buffer_);
    return out;
  }

  // True when the server has closed the connection and nothing more is buffered.
  bool is_closed_by_peer() { return buffer_.empty() && !fill(1); }

 private:
  int fd_ = -1;
  std::string buffer_;
};

// The value of header `name` (exact case) in a raw head, or "" when absent.
inline std::string header(const std::string& head, const std::string& name) {
  size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  size_t start = at + name.size() + 4;
  return head.substr(start, head.find("\r\n", start) - start);
}

// A head with its Date value (checked to be an IMF-fixdate) replaced by "<date>", for exact comparisons.
inline std::string without_date(const std::string& raw) {
  static const std::regex kDate(
      "\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n");
  return std::regex_replace(raw, kDate, "\r\nDate: <date>\r\n", std::regex_constants::format_first_only);
}

// One response with a Content-Length body: its raw bytes.
inline std::string take_length_response(Client& client) {
  std::string head = client.take_head();
  return head + client.take(std::stoul(header(head, "Content-Length")));
}

// The body of a chunked message whose head was already taken; the raw framing goes to *raw if given.
inline std::string take_chunked_body(Client& client, std::string* raw = nullptr) {
  std::string body;
  while (true) {
    std::string line = client.take_line();
    if (raw != nullptr) *raw += line;
    size_t size = std::stoul(line, nullptr, 16);
    if (size == 0) break;
    body += client.take(size);
    std::string crlf = client.take(2);
    if (raw != nullptr) *raw += std::string(size, '.') + crlf;
    if (crlf != "\r\n") throw std::runtime_error("chunk data not followed by CRLF");
  }
  for (std::string line = client.take_line();; line = client.take_line()) {
    if (raw != nullptr) *raw += line;
    if (line == "\r\n") break;
  }
  return body;
}

inline std::string get(const std::string& path, const std::string& extra_headers = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

// GET /__surge/stats on a new connection, parsed.
inline nlohmann::json stats_of(uint16_t port) {
  Client client(port);
  client.send(get("/__surge/stats"));
  std::string response = take_length_response(client);
  if (header(response, "Content-Type") != "application/json") throw std::runtime_error("stats not JSON");
  return nlohmann::json::parse(response.substr(response.find("\r\n\r\n") + 4));
}

}  // namespace surge::serve::testing
