// A scrape connection's life: read → parse one head → write the answer (head + shared body, one sendmsg) →
// next request or idle. It reads nothing while an answer is unsent, so a client that pipelines without
// reading fills its own socket buffers, never our memory.
#include "observe/scrape_connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <string>

#include "observe/exposition.h"
#include "observe/metrics_server.h"
#include "proto/http/bearer_auth.h"
#include "proto/http/request_parser.h"

namespace surge::observe {
namespace {

std::string_view reason(uint16_t status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    default:
      return "Request Header Fields Too Large";
  }
}

std::string response_head(uint16_t status, std::string_view content_type, size_t length, bool close_after) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason(status)) + "\r\n";
  head +=
      "Content-Type: " + std::string(content_type) + "\r\nContent-Length: " + std::to_string(length) + "\r\n";
  if (status == 405) head += "Allow: GET, HEAD\r\n";
  if (status == 401) head += "WWW-Authenticate: Bearer realm=\"surge\"\r\n";  // RFC 6750 §3
  if (close_after) head += "Connection: close\r\n";
  return head + "\r\n";
}

}  // namespace

ScrapeConnection::~ScrapeConnection() {
  loop_.cancel(*this);
  if (fd_ >= 0) ::close(fd_);
}

core::Result<void> ScrapeConnection::start() {
  interest_ = EPOLLIN;
  arm_timer(kIdleTimeoutNs);
  return loop_.add(fd_, interest_, this);
}

void ScrapeConnection::close() {
  if (fd_ < 0) return;
  loop_.cancel(*this);
  ::close(fd_);  // closing also removes it from epoll
  fd_ = -1;
  server_.on_connection_closed(*this);
}

void ScrapeConnection::on_event(uint32_t events) {
  if (fd_ < 0) return;
  if ((events & EPOLLERR) != 0) return close();
  if (!has_output()) read_input();
  serve();
}

void ScrapeConnection::read_input() {
  char chunk[kMaxRequestBytes];
  while (fd_ >= 0 && !peer_closed_ && input_.size() < kMaxRequestBytes) {
    const size_t room = kMaxRequestBytes - input_.size();
    ssize_t n = ::read(fd_, chunk, room);
    if (n > 0) {
      input_.append(chunk, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < room) return;  // a short read: the socket is drained
    } else if (n == 0) {
      peer_closed_ = true;
    } else if (errno != EINTR) {
      if (errno != EAGAIN) close();
      return;
    }
  }
}

// Answers requests until one needs more input or the socket takes no more output.
void ScrapeConnection::serve() {
  while (fd_ >= 0) {
    if (has_output()) {
      if (!flush()) return;
      continue;
    }
    if (close_after_) return close();
    if (!take_request()) return;
  }
}

bool ScrapeConnection::take_request() {
  proto::http::Request request;
  std::string error;
  switch (proto::http::parse_request_head(input_, request, &error)) {
    case proto::http::RequestParseResult::kNeedMore:
      if (input_.size() >= kMaxRequestBytes) {
        respond(Status::kTooLarge, "request head over " + std::to_string(kMaxRequestBytes) + " bytes", true);
        return true;
      }
      if (peer_closed_) {
        close();
        return false;
      }
      set_interest(EPOLLIN);
      arm_timer(input_.empty() ? kIdleTimeoutNs : kRequestTimeoutNs);
      return false;
    case proto::http::RequestParseResult::kError:
      respond(Status::kBadRequest, error, true);
      return true;
    case proto::http::RequestParseResult::kComplete:
      break;
  }
  // A body would have to be read and thrown away; no scraper sends one, so refuse it instead.
  if (request.content_length > 0 || request.chunked) {
    respond(Status::kBadRequest, "request bodies are not accepted", true);
    return true;
  }
  const bool close_after = !request.keep_alive;
  const bool is_get = request.method == "GET", is_head = request.method == "HEAD";
  const bool is_metrics = request.target.substr(0, request.target.find('?')) == "/metrics";
  const bool is_authorized = server_.token().empty() ||
                             proto::http::has_bearer_token(std::string_view(input_).substr(0, request.head_bytes),
                                                           server_.token());
  input_.erase(0, request.head_bytes);  // request's views point into input_: read them before this line
  if (!is_authorized) {
    respond(Status::kUnauthorized, "/metrics needs 'Authorization: Bearer <token>' (--prometheus-token)", close_after);
  } else if (!is_metrics) {
    respond(Status::kNotFound, "not found: surge serves /metrics", close_after);
  } else if (!is_get && !is_head) {
    respond(Status::kBadMethod, "/metrics answers GET and HEAD", close_after);
  } else {
    respond_metrics(is_get, close_after);
  }
  return true;
}

void ScrapeConnection::respond(Status status, std::string_view message, bool close_after) {
  std::string body = std::string(message) + "\n";
  head_ =
      response_head(static_cast<uint16_t>(status), "text/plain; charset=utf-8", body.size(), close_after) +
      body;
  body_.reset();
  sent_ = 0;
  close_after_ = close_after;
}

void ScrapeConnection::respond_metrics(bool with_body, bool close_after) {
  const std::shared_ptr<const std::string>& text = server_.body();
  head_ = response_head(200, kExpositionContentType, text ? text->size() : 0, close_after);
  body_ = with_body ? text : nullptr;
  sent_ = 0;
  close_after_ = close_after;
}

// Writes what is left of the answer; true when it is all written (the connection may have been closed).
bool ScrapeConnection::flush() {
  while (has_output()) {
    iovec parts[2];
    int count = 0;
    if (sent_ < head_.size()) parts[count++] = {head_.data() + sent_, head_.size() - sent_};
    const size_t body_sent = sent_ > head_.size() ? sent_ - head_.size() : 0;
    if (body_size() > body_sent) {
      parts[count++] = {const_cast<char*>(body_->data()) + body_sent, body_size() - body_sent};
    }
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<size_t>(count);
    // MSG_NOSIGNAL: a scraper that went away is an EPIPE here, not a SIGPIPE that ends the run.
    ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
    if (n >= 0) {
      sent_ += static_cast<size_t>(n);
    } else if (errno == EAGAIN) {
      set_interest(EPOLLOUT);
      arm_timer(kRequestTimeoutNs);
      return false;
    } else if (errno != EINTR) {
      close();
      return false;
    }
  }
  head_.clear();
  body_.reset();  // the text may be replaced by a newer one now; this connection no longer holds it
  sent_ = 0;
  return true;
}

void ScrapeConnection::set_interest(uint32_t events) {
  if (events == interest_ || fd_ < 0) return;
  interest_ = events;
  if (!loop_.modify(fd_, events, this)) close();
}

}  // namespace surge::observe
