// One proxied connection: the client's socket, the socket to the upstream, and a Pipe each way. Internal to
// proxy/: the Proxy accepts, creates and owns these, and hands each the effects of the faults that chose it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/event_loop.h"
#include "core/result.h"
#include "proxy/pipe.h"

namespace surge::proxy {

class Proxy;
struct ProxyStats;

// The effects on both directions of one connection.
struct ConnectionEffects {
  PipeEffects upstream;    // client to upstream
  PipeEffects downstream;  // upstream to client
  bool operator==(const ConnectionEffects&) const = default;
};

// The EventHandler for the client's socket; a member handler forwards the upstream socket's events, so both
// land in on_side_event. It is destroyed through EventLoop::destroy_later once closed.
class Connection final : public core::EventHandler, public core::Timer {
 public:
  // Takes ownership of both fds; upstream_fd is a connect in progress (net::start_connect). seed drives the
  // jitter draws of both pipes.
  Connection(Proxy& owner, core::EventLoop& loop, ProxyStats& stats, uint64_t id, int client_fd,
             int upstream_fd, size_t buffer_bytes, uint64_t seed);
  ~Connection() override;  // closes whatever is still open
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers both sockets. On failure the caller destroys the connection (which closes them).
  core::Result<void> start(const ConnectionEffects& effects);
  // New fault effects; held bytes move on (or stop) at once.
  void set_effects(const ConnectionEffects& effects);
  // Sends RST to both sides (SO_LINGER 0, then close) and tells the owner. Held bytes are dropped.
  void reset();

  uint64_t id() const { return id_; }
  bool is_open() const { return client_.fd >= 0; }
  size_t slot() const { return slot_; }  // index in the owner's list, kept by the owner
  void set_slot(size_t slot) { slot_ = slot; }

  void on_event(uint32_t events) override { on_side_event(client_, events); }
  void on_timer() override { pump(); }

 private:
  struct Side {
    int fd = -1;
    uint32_t interest = 0;
    bool is_registered = false;  // in epoll: a side that wants nothing is taken out, so HUP cannot spin
    core::EventHandler* handler = nullptr;
  };
  class UpstreamHandler final : public core::EventHandler {
   public:
    explicit UpstreamHandler(Connection& connection) : connection_(connection) {}
    void on_event(uint32_t events) override { connection_.on_side_event(connection_.upstream_, events); }

   private:
    Connection& connection_;
  };

  void on_side_event(Side& side, uint32_t events);
  bool finish_connect();
  void pump();
  bool set_interest(Side& side, uint32_t interest);
  void close_both(bool with_reset);

  Proxy& owner_;
  core::EventLoop& loop_;
  ProxyStats& stats_;
  uint64_t id_;
  size_t slot_ = 0;
  Side client_;
  Side upstream_;
  UpstreamHandler upstream_handler_;
  Pipe to_upstream_;
  Pipe to_client_;
  bool is_connecting_ = true;
};

}  // namespace surge::proxy
