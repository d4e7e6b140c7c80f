// The worker of `surge serve --misbehave MODE`: accepts on its listening socket and gives every connection to a
// HostileConnection. It keeps no stats: the hostile target is judged by what the client reports.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "core/event_loop.h"
#include "core/result.h"
#include "serve/misbehave.h"

namespace surge::serve {

class HostileConnection;

class HostileWorker final : public core::EventHandler {
 public:
  static constexpr size_t kReadBufferBytes = 64 * 1024;

  // listen_fd is a non-blocking listening socket the worker takes over (and closes); loop must outlive it.
  HostileWorker(core::EventLoop& loop, int listen_fd, Misbehaviour mode);
  ~HostileWorker() override;  // closes every open connection and the listening socket
  HostileWorker(const HostileWorker&) = delete;
  HostileWorker& operator=(const HostileWorker&) = delete;

  core::Result<void> start();
  void on_event(uint32_t events) override;  // connections to accept

  core::EventLoop& loop() { return loop_; }
  std::span<char> read_buffer() { return {read_buffer_.get(), kReadBufferBytes}; }
  // Called by a connection that has closed its socket: unlinks it and destroys it after the batch.
  void on_connection_closed(HostileConnection& connection);

 private:
  core::EventLoop& loop_;
  int listen_fd_;
  Misbehaviour mode_;
  uint64_t accepted_ = 0;
  std::unique_ptr<char[]> read_buffer_;
  HostileConnection* connections_ = nullptr;
};

}  // namespace surge::serve
