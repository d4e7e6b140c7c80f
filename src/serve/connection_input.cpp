// The reading half of Connection: one read per wake into the worker's buffer, requests parsed in place,
// bodies consumed as they arrive (kept only for /echo), and what is left unparsed kept as the tail.
#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <span>

#include "proto/http/field_rules.h"
#include "proto/ws/handshake.h"
#include "serve/connection.h"
#include "serve/h2_connection.h"
#include "serve/tls_server.h"
#include "serve/worker.h"

namespace surge::serve {
namespace {

namespace http = proto::http;

// Longer Content-Types are not echoed (application/octet-stream instead): they would only bloat the head.
constexpr size_t kMaxEchoTypeBytes = 256;
// An empty tail keeps at most this much capacity; a larger one is given back (idle connections stay small).
constexpr size_t kKeptTailCapacity = 512;

// The value of field `name` in a head the parser accepted (so every line is well formed), or empty.
std::string_view find_field(std::string_view head, std::string_view name) {
  size_t line_end = head.find('\n');  // the request line
  while (line_end != std::string_view::npos) {
    size_t start = line_end + 1;
    line_end = head.find('\n', start);
    std::string_view line = head.substr(start, line_end == std::string_view::npos ? 0 : line_end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && http::equals_ignore_case(line.substr(0, colon), name)) {
      return http::trim_ows(line.substr(colon + 1));
    }
  }
  return {};
}

}  // namespace

void Connection::read_input() {
  std::span<char> buffer = worker_.read_buffer();
  if (lingering_) {  // the response is out and our side is shut: drain what the peer still sends
    ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) close();
    return;
  }
  size_t kept = tail_.size();
  if (kept >= buffer.size()) return;
  std::memcpy(buffer.data(), tail_.data(), kept);
  ssize_t n = ssl_ != nullptr ? tls_read(ssl_, buffer.data() + kept, buffer.size() - kept)
                              : ::read(fd_, buffer.data() + kept, buffer.size() - kept);
  if (n < 0) {
    if (errno != EAGAIN && errno != EINTR) close();
    return;
  }
  if (n == 0) {
    on_peer_closed();
    return;
  }
  size_t size = kept + static_cast<size_t>(n);
  size_t used = consume(buffer.data(), size);
  keep_tail(buffer.data() + used, size - used);
}

// Requests that waited in the tail for queue room; parsed where they are.
void Connection::parse_tail() {
  size_t used = consume(tail_.data(), tail_.size());
  tail_.erase(0, used);
  keep_tail(tail_.data(), tail_.size());
}

void Connection::keep_tail(const char* data, size_t size) {
  if (size == 0) {
    if (tail_.capacity() > kKeptTailCapacity) {
      std::string().swap(tail_);
    } else {
      tail_.clear();
    }
    return;
  }
  if (data != tail_.data()) tail_.assign(data, size);
}

// Parses and queues as many requests as there is queue room for; returns the bytes used.
size_t Connection::consume(const char* data, size_t size) {
  waiting_for_room_ = false;
  size_t pos = 0;
  while (pos < size) {
    if (input_ == Input::kHead) {
      if (!has_room_for_request()) {
        waiting_for_room_ = true;
        break;
      }
      http::Request request;
      auto result = http::parse_request_head(std::string_view(data + pos, size - pos), request, nullptr);
      if (result == http::RequestParseResult::kNeedMore) break;
      if (result == http::RequestParseResult::kError) {
        // Only the first bytes of a connection may be the HTTP/2 preface, whose request line the parser
        // refuses: checked here, so an HTTP/1.1 request pays nothing for it.
        H2Preface preface =
            pos == 0 && queue_size_ == 0 ? match_h2_preface({data, size}) : H2Preface::kAbsent;
        if (preface == H2Preface::kPartial) break;
        if (preface == H2Preface::kComplete) {
          hand_over_to_h2({data, size});
          return size;
        }
        refuse(400);
        return size;
      }
      std::string_view head(data + pos, request.head_bytes);
      pos += request.head_bytes;
      start_request(request, head, size - pos);
    } else if (input_ == Input::kBody) {
      size_t take = static_cast<size_t>(std::min<uint64_t>(body_left_, size - pos));
      back().request_bytes += take;
      if (!take_body(std::string_view(data + pos, take))) return size;
      pos += take;
      body_left_ -= take;
      if (body_left_ == 0) finish_request();
    } else if (input_ == Input::kChunkedBody) {
      std::string_view chunk;
      size_t used = chunked_.decode(data + pos, size - pos, &chunk);
      pos += used;
      back().request_bytes += used;
      if (chunked_.error() != http::ParseError::kNone) {
        refuse(400);
        return size;
      }
      if (!chunk.empty() && !take_body(chunk)) return size;
      if (chunked_.is_done()) {
        finish_request();
      } else if (used == 0) {
        break;
      }
    } else {
      return size;  // Input::kClosed: nothing after the last request is read
    }
  }
  return pos;
}

void Connection::start_request(const proto::http::Request& request, std::string_view head,
                               size_t bytes_after_head) {
  RequestLine line{request.method, request.target, request.minor_version, request.keep_alive};
  ResponsePlan plan = plan_response(line, worker_.base_delay_ns());
  worker_.stats().count_received(plan.route);
  // --fail-every counts HTTP requests only: an upgrade or an MCP exchange keeps its own protocol.
  const bool plain =
      plan.action == Action::kNone || plan.action == Action::kApi || plan.action == Action::kEcho;
  if (plan.route != Route::kControl && plain && worker_.fails_next_request()) {
    plan = unavailable_plan(plan);
  }
  // /mcp is Streamable HTTP, and MCP over WebSocket for a request that asks to upgrade (ws_rpc.h).
  if (plan.action == Action::kMcp && proto::ws::is_upgrade_request(head)) plan.action = Action::kWebSocket;
  if (plan.action == Action::kWebSocket && upgrade_to_websocket(plan, request, head, bytes_after_head))
    return;
  if (plan.action == Action::kEcho && !request.chunked && request.content_length > kMaxEchoBytes) {
    refuse(413);
    return;
  }
  // RFC 9110 §10.1.1: ask for the body only if it is not already here; an HTTP/1.0 client never waits.
  bool body_expected = request.chunked ? bytes_after_head == 0 : request.content_length > bytes_after_head;
  if (request.expect_continue && request.minor_version >= 1 && body_expected) {
    push(continue_plan()).ready_at_ns = worker_.loop().now_ns();
  }
  QueuedResponse& entry = push(plan);
  entry.request_bytes = head.size();
  if (plan.action == Action::kEcho) {
    std::string_view type = find_field(head, "content-type");
    if (type.size() > kMaxEchoTypeBytes) type = {};
    owned_.append(type);
    entry.owned_type_bytes = static_cast<uint32_t>(type.size());
  }
  if (plan.action == Action::kApi) {
    std::string_view authorization = plan.route == Route::kApiWhoami ? find_field(head, "authorization") : "";
    entry.owned_type_bytes =
        static_cast<uint32_t>(save_api_context(plan.route, request.target, authorization, owned_));
  }
  if (plan.action == Action::kMcp) {
    entry.owned_type_bytes =
        static_cast<uint32_t>(save_mcp_context(request.method, find_field(head, "mcp-session-id"),
                                               find_field(head, "mcp-protocol-version"), owned_));
  }
  if (request.chunked) {
    chunked_.reset();
    input_ = Input::kChunkedBody;
  } else if (request.content_length > 0) {
    body_left_ = request.content_length;
    input_ = Input::kBody;
  } else {
    finish_request();
  }
}

// Body bytes of the request at the back of the queue: kept for /echo, the API and /mcp, dropped otherwise.
bool Connection::take_body(std::string_view bytes) {
  QueuedResponse& entry = back();
  Action action = entry.plan.action;
  if (action != Action::kEcho && action != Action::kApi && action != Action::kMcp) return true;
  uint64_t held = owned_.size() - entry.owned_offset - entry.owned_type_bytes;
  uint64_t limit = action == Action::kEcho  ? kMaxEchoBytes
                   : action == Action::kMcp ? McpServer::kMaxBodyBytes
                                            : ApiResponder::kMaxBodyBytes;
  if (held + bytes.size() > limit) {
    refuse(413);
    return false;
  }
  owned_.append(bytes);
  return true;
}

void Connection::finish_request() {
  QueuedResponse& entry = back();
  ResponsePlan& plan = entry.plan;
  int64_t now = worker_.loop().now_ns();
  if (plan.action == Action::kEcho)
    plan.body_bytes = owned_.size() - entry.owned_offset - entry.owned_type_bytes;
  if (plan.action == Action::kStats) {
    entry.owned_offset = static_cast<uint32_t>(owned_.size());
    owned_ += worker_.shared_stats().render_json(now);
    plan.body_bytes = owned_.size() - entry.owned_offset;
  }
  if (plan.action == Action::kApi) {
    worker_.api().answer(plan, owned_, entry.owned_offset, entry.owned_type_bytes);
    entry.owned_type_bytes = 0;
  }
  if (plan.action == Action::kMcp) {  // its extra header lines take the place of the context
    entry.owned_type_bytes =
        static_cast<uint32_t>(worker_.mcp().answer(plan, owned_, entry.owned_offset, entry.owned_type_bytes));
  }
  entry.ready_at_ns = now + plan.delay_ns;
  input_ = plan.close_after ? Input::kClosed : Input::kHead;
}

// Answers `status` in place of the request being read (or after the queued ones) and reads no further.
void Connection::refuse(uint16_t status) {
  bool reading_body = input_ == Input::kBody || input_ == Input::kChunkedBody;
  QueuedResponse* entry = nullptr;
  if (reading_body) {
    entry = &back();
    if (entry->plan.source == BodySource::kOwned) owned_.resize(entry->owned_offset);
    *entry = QueuedResponse{};
    entry->owned_offset = static_cast<uint32_t>(owned_.size());
    entry->plan = refusal_plan(status);
  } else {
    entry = &push(refusal_plan(status));
  }
  entry->ready_at_ns = worker_.loop().now_ns();
  input_ = Input::kClosed;
}

// EOF from the peer: a request cut short gets no answer; the ones already read are still answered.
void Connection::on_peer_closed() {
  peer_closed_ = true;
  if (input_ == Input::kBody || input_ == Input::kChunkedBody) {
    if (back().plan.source == BodySource::kOwned) owned_.resize(back().owned_offset);
    --queue_size_;
  }
  input_ = Input::kClosed;
  keep_tail(nullptr, 0);
}

// h2c by prior knowledge, or h2 by ALPN: the socket (its TLS too) and every byte read from it go to an
// H2Connection; this connection lets
// go of the socket without closing it (the open-connection count goes on with the HTTP/2 one).
void Connection::hand_over_to_h2(std::string_view early) {
  const int fd = fd_;
  SSL* ssl = ssl_;
  fd_ = -1;
  ssl_ = nullptr;
  closed_ = true;
  input_ = Input::kClosed;
  worker_.loop().cancel(*this);
  worker_.on_connection_closed(*this);
  worker_.adopt_h2(fd, ssl, early);
}

Connection::QueuedResponse& Connection::push(const ResponsePlan& plan) {
  QueuedResponse& entry = queue_[(queue_head_ + queue_size_) % kQueueSlots];
  ++queue_size_;
  entry = QueuedResponse{};
  entry.plan = plan;
  entry.owned_offset = static_cast<uint32_t>(owned_.size());
  return entry;
}

}  // namespace surge::serve
