// One control client: read one request (head, then a Content-Length body), answer it, close. Internal to
// proxy/: ControlServer creates and owns these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/event_loop.h"
#include "proxy/proxy.h"

namespace surge::proxy {

class ControlServer;

class ControlConnection final : public core::EventHandler, public core::Timer {
 public:
  static constexpr size_t kMaxRequestBytes = 64 * 1024;  // head and body; more gets 413 (or 431)
  // The request must arrive, and the answer be taken, within this.
  static constexpr int64_t kTimeoutNs = 10 * core::kNsPerSec;

  // Takes ownership of fd (non-blocking).
  ControlConnection(ControlServer& server, core::EventLoop& loop, Proxy& proxy, int fd)
      : server_(server), loop_(loop), proxy_(proxy), fd_(fd) {}
  ~ControlConnection() override;  // closes the socket if close() has not

  core::Result<void> start();
  void on_event(uint32_t events) override;
  void on_timer() override { close(); }
  // Closes the socket and tells the server (which destroys this after the current batch).
  void close();

 private:
  bool read_input();
  bool take_request();
  void respond(int status, const std::string& body);
  void flush();

  ControlServer& server_;
  core::EventLoop& loop_;
  Proxy& proxy_;
  int fd_;
  std::string input_;
  std::string output_;
  size_t sent_ = 0;
  bool is_responding_ = false;
  bool peer_closed_ = false;
};

}  // namespace surge::proxy
