// A control request's life: read → parse the head (proto/http) → wait for the Content-Length body → run the
// route → write the answer → close. Input is bounded by kMaxRequestBytes, and a slow client by kTimeoutNs.
#include "proxy/control_connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proto/http/bearer_auth.h"
#include "proto/http/request_parser.h"
#include "proxy/control_routes.h"
#include "proxy/control_server.h"

namespace surge::proxy {

ControlConnection::~ControlConnection() {
  loop_.cancel(*this);
  if (fd_ >= 0) ::close(fd_);
}

core::Result<void> ControlConnection::start() {
  loop_.schedule(*this, loop_.now_ns() + kTimeoutNs);
  return loop_.add(fd_, EPOLLIN, this);
}

void ControlConnection::close() {
  if (fd_ < 0) return;
  loop_.cancel(*this);
  ::close(fd_);
  fd_ = -1;
  server_.on_connection_closed(*this);
}

void ControlConnection::on_event(uint32_t events) {
  if (fd_ < 0) return;
  if (is_responding_) return flush();
  if ((events & EPOLLERR) != 0 || !read_input()) return close();
  if (!take_request() && peer_closed_) close();
}

// Reads what has arrived; false when the socket failed.
bool ControlConnection::read_input() {
  char chunk[16 * 1024];
  while (!peer_closed_ && input_.size() <= kMaxRequestBytes) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      input_.append(chunk, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < sizeof chunk) return true;  // a short read: the socket is drained
    } else if (n == 0) {
      peer_closed_ = true;
    } else if (errno != EINTR) {
      return errno == EAGAIN;
    }
  }
  return true;
}

// Answers the request if it is all there; false when more input is needed.
bool ControlConnection::take_request() {
  proto::http::Request request;
  std::string error;
  switch (proto::http::parse_request_head(input_, request, &error)) {
    case proto::http::RequestParseResult::kNeedMore:
      if (input_.size() < kMaxRequestBytes) return false;
      respond(431, error_response(431, "request head over " + std::to_string(kMaxRequestBytes) + " bytes").body);
      return true;
    case proto::http::RequestParseResult::kError:
      respond(400, error_response(400, error).body);
      return true;
    case proto::http::RequestParseResult::kComplete:
      break;
  }
  const std::string& token = server_.token();
  if (!token.empty() && !proto::http::has_bearer_token(std::string_view(input_).substr(0, request.head_bytes), token)) {
    respond(401, error_response(401, "the control API needs 'Authorization: Bearer <token>' (--control-token)").body);
    return true;
  }
  if (request.chunked) {
    respond(400, error_response(400, "chunked request bodies are not accepted: send Content-Length").body);
    return true;
  }
  if (request.content_length > kMaxRequestBytes - request.head_bytes) {
    respond(413, error_response(413, "request over " + std::to_string(kMaxRequestBytes) + " bytes").body);
    return true;
  }
  const size_t length = static_cast<size_t>(request.content_length);
  if (input_.size() < request.head_bytes + length) {
    if (request.expect_continue && input_.size() == request.head_bytes) {
      // curl waits for this before sending a larger body; if it cannot be written now, curl sends anyway.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      (void)::send(fd_, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
    }
    return false;
  }
  const std::string_view body = std::string_view(input_).substr(request.head_bytes, length);
  ControlResponse response = handle_control_request(proxy_, request.method, request.target, body);
  respond(response.status, response.body);
  return true;
}

void ControlConnection::respond(int status, const std::string& body) {
  output_ = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
  if (status != 204) {
    output_ += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size() + 1) + "\r\n";
  }
  output_ += "Connection: close\r\n\r\n";
  if (status != 204) output_ += body + "\n";
  is_responding_ = true;
  flush();
}

void ControlConnection::flush() {
  while (sent_ < output_.size()) {
    const ssize_t n = ::send(fd_, output_.data() + sent_, output_.size() - sent_, MSG_NOSIGNAL);
    if (n >= 0) {
      sent_ += static_cast<size_t>(n);
    } else if (errno == EAGAIN) {
      if (!loop_.modify(fd_, EPOLLOUT, this)) close();
      return;
    } else if (errno != EINTR) {
      return close();
    }
  }
  close();
}

}  // namespace surge::proxy
