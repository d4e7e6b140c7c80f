// One scraper's connection to /metrics: reads one request at a time (pipelined ones wait in the input),
// answers it with the shared metrics text, and keeps the connection for the next scrape unless asked not to.
// Internal to observe/: MetricsServer creates and owns these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/event_loop.h"

namespace surge::observe {

class MetricsServer;

class ScrapeConnection final : public core::EventHandler, public core::Timer {
 public:
  // Input kept per connection: a request head that does not fit gets 431 and the connection closes.
  static constexpr size_t kMaxRequestBytes = 8 * 1024;
  // A connection with nothing to do is closed after this (Prometheus reconnects when it scrapes again).
  static constexpr int64_t kIdleTimeoutNs = 120 * core::kNsPerSec;
  // A started request must arrive, and its response be taken, within this.
  static constexpr int64_t kRequestTimeoutNs = 10 * core::kNsPerSec;

  // Takes ownership of fd (non-blocking).
  ScrapeConnection(MetricsServer& server, core::EventLoop& loop, int fd)
      : server_(server), loop_(loop), fd_(fd) {}
  ~ScrapeConnection() override;  // closes the socket if close() has not

  core::Result<void> start();
  void on_event(uint32_t events) override;
  void on_timer() override { close(); }
  // Closes the socket now and tells the server (which destroys this after the current batch).
  void close();

 private:
  enum class Status : uint16_t {
    kOk = 200,
    kBadRequest = 400,
    kUnauthorized = 401,
    kNotFound = 404,
    kBadMethod = 405,
    kTooLarge = 431
  };

  void read_input();
  void serve();
  bool take_request();
  void respond(Status status, std::string_view message, bool close_after);
  void respond_metrics(bool with_body, bool close_after);
  bool flush();
  bool has_output() const { return sent_ < head_.size() + body_size(); }
  size_t body_size() const { return body_ ? body_->size() : 0; }
  void set_interest(uint32_t events);
  void arm_timer(int64_t timeout_ns) { loop_.schedule(*this, loop_.now_ns() + timeout_ns); }

  MetricsServer& server_;
  core::EventLoop& loop_;
  int fd_;
  std::string input_;                        // received, not yet answered; never above kMaxRequestBytes
  std::string head_;                         // the response head (and a short error body)
  std::shared_ptr<const std::string> body_;  // the metrics text being sent, or null
  size_t sent_ = 0;                          // bytes of head_ then body_ written
  uint32_t interest_ = 0;
  bool close_after_ = false;
  bool peer_closed_ = false;
};

}  // namespace surge::observe
