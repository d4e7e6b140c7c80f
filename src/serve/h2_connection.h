// One HTTP/2 connection of `surge serve`: libnghttp2's server session does the framing, HPACK and flow
// control; this class moves bytes between it and the socket and turns each stream into the same
// ResponsePlan an HTTP/1.1 request gets (routes.h), answered through the same responders. A connection
// becomes one when its first bytes are the client preface (h2c by prior knowledge, connection_input.cpp) or
// when TLS's ALPN agreed on "h2" (connection_tls.cpp). Unlike HTTP/1.1's, this path allocates: a stream
// object per stream, and nghttp2's own buffers (its allocator is the default one); pooling them is future
// work.
#pragma once

#include <nghttp2/nghttp2.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/event_loop.h"
#include "core/result.h"
#include "serve/h2_stream.h"

namespace surge::serve {

class Worker;

// The client connection preface (RFC 9113 §3.4) that starts h2c by prior knowledge. No HTTP/1.1 request
// starts this way: its request line names HTTP/2.0, which the HTTP/1.1 parser refuses.
inline constexpr std::string_view kH2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
enum class H2Preface : uint8_t { kAbsent, kPartial, kComplete };
// Whether the first bytes of a connection are the preface, a beginning of it, or something else.
inline H2Preface match_h2_preface(std::string_view first_bytes) {
  if (first_bytes.size() >= kH2Preface.size())
    return first_bytes.starts_with(kH2Preface) ? H2Preface::kComplete : H2Preface::kAbsent;
  return kH2Preface.starts_with(first_bytes) ? H2Preface::kPartial : H2Preface::kAbsent;
}

// The callbacks every server session uses (h2_session.cpp); made once.
const nghttp2_session_callbacks* h2_server_callbacks();

class H2Connection final : public core::EventHandler, public core::Timer {
 public:
  // SETTINGS_MAX_CONCURRENT_STREAMS we advertise: as nginx's http2_max_concurrent_streams default.
  static constexpr uint32_t kMaxConcurrentStreams = 100;
  // Session output gathered before a write: a few full DATA frames, one write per wake under load.
  static constexpr size_t kOutputBytes = 64 * 1024;

  H2Connection(Worker& worker, int fd) : worker_(worker), fd_(fd) {}
  ~H2Connection() override;  // closes the socket if close() has not, frees the session and its streams

  // Starts the session and takes over the socket (takes ownership of fd, which is registered with the loop
  // for its HTTP/1.1 connection already). `early` are the bytes already read from it, the client preface
  // first; they are fed to the session before anything else is read. ssl: the connection's TLS, its
  // handshake done with ALPN "h2" (taken over), or nullptr for h2c.
  core::Result<void> start(SSL* ssl, std::string_view early);
  void on_event(uint32_t events) override;
  // Fires when the earliest delayed response may leave.
  void on_timer() override;
  // Closes the socket now and hands the connection back to the worker (destroyed after the batch).
  void close();

  // The worker's list of open HTTP/2 connections.
  H2Connection* prev = nullptr;
  H2Connection* next = nullptr;

 private:
  friend struct H2Callbacks;

  // Session events (h2_session.cpp, called from nghttp2's callbacks).
  H2Stream* open_stream(int32_t id);
  void close_stream(H2Stream* stream);
  void on_request_headers(H2Stream& stream, size_t header_block_bytes);
  void on_request_body(H2Stream& stream, std::string_view bytes);
  void on_request_end(H2Stream& stream);
  void on_response_sent(H2Stream& stream);
  void refuse(H2Stream& stream, uint16_t status);
  void submit_response(H2Stream& stream);
  void submit_ready_responses();
  // --misbehave's HTTP/2 modes (h2_misbehave.cpp): true when the mode has taken the stream's place.
  core::Result<void> submit_settings();
  void misbehave_on_open(H2Stream& stream);
  bool misbehave_on_answer(H2Stream& stream);
  size_t misbehave_on_headers();

  // Socket side (h2_connection.cpp).
  bool feed(const char* data, size_t size);
  void read_input();
  void flush();
  void update_interest();

  Worker& worker_;
  int fd_;
  SSL* ssl_ = nullptr;
  nghttp2_session* session_ = nullptr;
  H2HeaderBlock headers_;        // scratch for the response being submitted
  H2Stream* streams_ = nullptr;  // every open stream (intrusive list)
  std::string output_;           // bytes taken from the session and not written yet
  size_t output_sent_ = 0;       // prefix of output_ already written
  uint32_t streams_opened_ = 0;  // on this connection
  uint32_t interest_ = 0;
  bool write_blocked_ = false;
  bool closed_ = false;
};

}  // namespace surge::serve
