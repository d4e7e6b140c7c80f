// One client connection, whatever protocol runs over it (wrk's `struct sock`, h2load's Client): the socket
// and its optional TLS session, the connect and handshake with their time bound, write interest,
// kernel-stamped reads, and the open/close accounting of the worker's net::Dialer. Plain or TLS is chosen
// once, at connect: the transport picked then (plain, kernel-stamped or TLS) is one byte that read and write
// switch on, so the byte path makes no indirect call and the connection stays small (one per virtual user).
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "core/event_loop.h"
#include "core/timer_heap.h"
#include "net/dialer.h"

namespace surge::net {

// Why a connection never opened. The layer above turns it into its outcome kind (scenario/connect_errors.h).
struct ConnectFailure {
  enum class Cause : uint8_t {
    kSocket,   // connect() failed at once or through SO_ERROR (errno in err), or the loop refused the fd (err
               // 0)
    kBind,     // the source address could not be bound (errno in err)
    kTls,      // the TLS handshake failed, or no TLS session could be made
    kTimeout,  // the connect's bound ran out (connect or handshake)
  };
  Cause cause = Cause::kSocket;
  int err = 0;
  bool tcp_connected = false;  // TCP was established: the failure is the handshake's (or its timeout)
};

// The socket's handler, and what a connection tells it while it opens. The socket's events go straight to
// on_event, which hands them to Connection::on_opening_event while the connection opens (no hop per event
// once it is open). The two calls below are one virtual call per connection, never per byte.
class ConnectionOwner : public core::EventHandler {
 public:
  // The connection is open (TCP, and TLS when the target has it) and counted as opened. Its time bound is
  // gone.
  virtual void on_connection_open() = 0;
  // The connect or handshake failed or ran out of time: the socket is closed already, and nothing was counted
  // (a failed connect is counted by the owner, who knows its phase and kind).
  virtual void on_connection_failed(ConnectFailure failure) = 0;

 protected:
  ~ConnectionOwner() = default;
};

class Connection final : private core::Timer {
 public:
  // owner: registered as the socket's handler.
  Connection(Dialer& dialer, ConnectionOwner& owner) : dialer_(dialer), owner_(owner) {}
  ~Connection();  // frees the socket without counting a close (the worker is going away)
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts a connect to target `target`, started at started_ns (its connect_time runs from there). A
  // timeout_ns > 0 bounds the connect and the TLS handshake together: when it runs out the owner hears
  // on_connection_failed(kTimeout). Returns false with *failure when it failed at once (nothing is open, the
  // owner is not called). Only on a closed connection.
  bool connect(size_t target, int64_t started_ns, int64_t timeout_ns, ConnectFailure* failure);
  // An event on the socket while it connects or handshakes.
  void on_opening_event(uint32_t events);

  // Like read(2): > 0 bytes, 0 at the end of the stream, -1 with errno (EAGAIN: wait; EPROTO: a TLS error).
  // With kernel receive stamps, *received_ns becomes the monotonic time the kernel received the last byte
  // read (left alone when it gave none).
  ssize_t read(char* buffer, size_t size, int64_t* received_ns) {
    if (transport_ == Transport::kPlain) return ::read(fd_, buffer, size);
    return transport_ == Transport::kStamped ? read_stamped(buffer, size, received_ns)
                                             : read_tls(buffer, size);
  }
  // Like send(2) without SIGPIPE: bytes written, or -1 with errno (EAGAIN: wait for writable; EPROTO).
  ssize_t write(const char* data, size_t size) {
    return transport_ != Transport::kTls ? send(fd_, data, size, MSG_NOSIGNAL) : write_tls(data, size);
  }
  // EPOLLOUT interest, on after a short write and off once it drained; costs an epoll_ctl only on a change.
  void want_write(bool on) {
    if (on != wants_write_) set_write_interest(on);
  }
  // Bytes held inside TLS that epoll cannot see (read ahead from the socket): read again before waiting.
  bool has_pending() const;
  // A connection idle between requests turned readable: true when that was only TLS housekeeping (a TLS 1.3
  // session ticket, say) and it is still good to use.
  bool only_housekeeping();
  // Just opened, with bytes already read ahead into TLS that are not housekeeping: the server spoke unasked.
  bool has_stray_bytes();

  // Closes the socket. An open connection counts as closed; one still opening counts nothing (and its owner
  // is not called).
  void close();
  bool is_closed() const { return state_ == State::kClosed; }
  bool is_opening() const { return state_ == State::kConnecting || state_ == State::kHandshaking; }
  bool is_open() const { return state_ == State::kOpen; }
  bool is_handshaking() const { return state_ == State::kHandshaking; }  // TCP is established
  size_t target() const { return target_; }
  int fd() const { return fd_; }

 private:
  enum class State : uint8_t { kClosed, kConnecting, kHandshaking, kOpen };
  // kStamped: plain, read with the kernel's receive stamp (Dialer::kernel_receive_times).
  enum class Transport : uint8_t { kPlain, kStamped, kTls };

  void on_timer() override;
  void on_connected(uint32_t events);
  void start_handshake(int64_t now_ns);
  void continue_handshake();
  void open();
  void fail(ConnectFailure failure);
  void release();  // frees TLS and the socket, counts nothing
  void set_write_interest(bool on);
  void hold_loop_awake(bool on);

  ssize_t read_stamped(char* buffer, size_t size, int64_t* received_ns);
  ssize_t read_tls(char* buffer, size_t size);
  ssize_t write_tls(const char* data, size_t size);

  // The small members first: they fill core::Timer's tail padding (one Connection per virtual user).
  int fd_ = -1;
  uint32_t target_ = 0;
  State state_ = State::kClosed;
  Transport transport_ = Transport::kPlain;
  bool wants_write_ = false;  // EPOLLOUT registered
  bool holds_loop_awake_ =
      false;  // while TCP connects, the loop wakes for it (core::EventLoop's quiet waits)
  Dialer& dialer_;
  ConnectionOwner& owner_;
  SSL* ssl_ = nullptr;  // TLS targets only; plain connections never touch it
  int64_t started_ns_ = 0;
};

}  // namespace surge::net
