// The one nginx of the tests: Debian's nginx with a configuration written from NginxOptions, on free loopback
// ports it picks itself, in a folder of its own (so tests running side by side never share one), waited on
// until it accepts, its access log read back, stopped by its PID.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "child_process.h"

namespace surge::test_support {

inline constexpr const char* kNginxBinary = "/usr/sbin/nginx";

struct NginxOptions {
  // The server block's locations (and any other server directives), one string.
  std::string locations = "    location / { return 200 \"hello from nginx\\n\"; }\n";
  // A log_format for the access log ("" nginx's combined format); `access_log` false logs nothing.
  std::string log_format;
  bool access_log = true;
  // With a certificate the port speaks TLS; `client_ca` adds ssl_verify_client on with that CA.
  std::string certificate, certificate_key, client_ca;
  // Also listen on this unix socket (a path) when not empty.
  std::string unix_socket;
  // Extra lines in the http block (keepalive_requests, upstreams, ...).
  std::string http_directives;
  int worker_connections = 1024;
};

class Nginx {
 public:
  explicit Nginx(NginxOptions options = {});
  ~Nginx();  // SIGTERM by PID
  Nginx(const Nginx&) = delete;
  Nginx& operator=(const Nginx&) = delete;

  // "" once nginx accepts connections, else why it does not (its stderr and error log).
  const std::string& failure() const { return failure_; }
  uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string url(const std::string& path = "/") const;
  const std::string& dir() const { return dir_; }
  // The access log's lines so far.
  std::vector<std::string> access_log_lines() const;

 private:
  void write_config(const NginxOptions& options) const;

  uint16_t port_;
  std::string dir_;
  bool tls_;
  std::string failure_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace surge::test_support
