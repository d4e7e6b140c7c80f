// The session half of H2Connection: nghttp2's server callbacks, and each stream's request taken through the
// same steps as an HTTP/1.1 request in connection_input.cpp (plan at the end of the headers, body kept for
// /echo, the API and /mcp, answer at END_STREAM, delay, --fail-every), then submitted as a response.
#include <algorithm>
#include <string_view>

#include "serve/api_responder.h"
#include "serve/connection.h"
#include "serve/h2_connection.h"
#include "serve/h2_stats.h"
#include "serve/mcp_server.h"
#include "serve/mcp_stats.h"
#include "serve/worker.h"

namespace surge::serve {
namespace {

// As connection_input.cpp: longer Content-Types are not echoed.
constexpr size_t kMaxEchoTypeBytes = 256;

std::string_view view(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

H2Stream* stream_of(nghttp2_session* session, int32_t id) {
  return static_cast<H2Stream*>(nghttp2_session_get_stream_user_data(session, id));
}

void count(H2Counters* counters, uint64_t H2Counters::*field) {
  if (counters != nullptr) bump(counters->*field);
}

// nghttp2's data source for a response body: the stream's bytes from body_sent on. A chunked HTTP/1.1 body
// ends with the trailer "X-Trailer: done"; over HTTP/2 that is a trailing HEADERS frame.
ssize_t read_body(nghttp2_session* session, int32_t id, uint8_t* buffer, size_t length, uint32_t* flags,
                  nghttp2_data_source* source, void* /*user_data*/) {
  auto* stream = static_cast<H2Stream*>(source->ptr);
  size_t n = read_h2_body(*stream, buffer, length);
  stream->body_sent += n;
  if (stream->body_sent >= h2_body_bytes(stream->plan)) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    if (stream->plan.framing == Framing::kChunked) {
      static constexpr std::string_view kName = "x-trailer", kValue = "done";
      nghttp2_nv trailer{reinterpret_cast<uint8_t*>(const_cast<char*>(kName.data())),
                         reinterpret_cast<uint8_t*>(const_cast<char*>(kValue.data())), kName.size(),
                         kValue.size(), NGHTTP2_NV_FLAG_NONE};
      if (nghttp2_submit_trailer(session, id, &trailer, 1) == 0) *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
    }
  }
  return static_cast<ssize_t>(n);
}

}  // namespace

// nghttp2's callbacks, each handing its event to the connection (user_data).
struct H2Callbacks {
  static H2Connection& of(void* user_data) { return *static_cast<H2Connection*>(user_data); }

  static int on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    H2Stream* stream = of(user_data).open_stream(frame->hd.stream_id);
    nghttp2_session_set_stream_user_data(session, frame->hd.stream_id, stream);
    return 0;
  }

  static int on_header(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name_data,
                       size_t name_size, const uint8_t* value_data, size_t value_size, uint8_t /*flags*/,
                       void* /*user_data*/) {
    H2Stream* stream = stream_of(session, frame->hd.stream_id);
    if (stream == nullptr || stream->planned) return 0;  // trailers carry nothing an answer reads
    std::string_view name = view(name_data, name_size), value = view(value_data, value_size);
    if (name == ":method") {
      stream->method = value;
    } else if (name == ":path") {
      stream->path = value;
    } else if (name == "content-type") {
      stream->content_type = value;
    } else if (name == "content-length") {
      uint64_t length = 0;  // nghttp2 has checked it is digits
      for (char c : value) length = length * 10 + static_cast<uint64_t>(c - '0');
      stream->content_length = length;
    } else if (name == "authorization") {
      stream->authorization = value;
    } else if (name == "mcp-session-id") {
      stream->mcp_session_id = value;
    } else if (name == "mcp-protocol-version") {
      stream->mcp_protocol_version = value;
    }
    return 0;
  }

  static int on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) return 0;
    H2Stream* stream = stream_of(session, frame->hd.stream_id);
    if (stream == nullptr) return 0;
    H2Connection& connection = of(user_data);
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
      connection.on_request_headers(*stream, frame->hd.length);
    if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) connection.on_request_end(*stream);
    return 0;
  }

  static int on_data_chunk_recv(nghttp2_session* session, uint8_t /*flags*/, int32_t id, const uint8_t* data,
                                size_t size, void* user_data) {
    H2Stream* stream = stream_of(session, id);
    if (stream != nullptr) of(user_data).on_request_body(*stream, view(data, size));
    return 0;
  }

  static int on_frame_send(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
    H2Connection& connection = of(user_data);
    H2Counters* counters = connection.worker_.stats().h2_counters();
    if (frame->hd.type == NGHTTP2_RST_STREAM) count(counters, &H2Counters::rst_sent);
    if (frame->hd.type == NGHTTP2_GOAWAY) count(counters, &H2Counters::goaway_sent);
    if (frame->hd.type == NGHTTP2_SETTINGS && !(frame->hd.flags & NGHTTP2_FLAG_ACK))
      count(counters, &H2Counters::settings_sent);
    bool ends_stream = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                       (frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
    H2Stream* stream = ends_stream ? stream_of(session, frame->hd.stream_id) : nullptr;
    if (stream != nullptr && stream->submitted && !stream->counted) connection.on_response_sent(*stream);
    return 0;
  }

  static int on_stream_close(nghttp2_session* session, int32_t id, uint32_t /*error_code*/, void* user_data) {
    H2Stream* stream = stream_of(session, id);
    if (stream != nullptr) of(user_data).close_stream(stream);
    return 0;
  }

  // One set for every session: nghttp2_session_server_new copies what it needs.
  static const nghttp2_session_callbacks* get() {
    static nghttp2_session_callbacks* callbacks = [] {
      nghttp2_session_callbacks* made = nullptr;
      if (nghttp2_session_callbacks_new(&made) != 0) return made;
      nghttp2_session_callbacks_set_on_begin_headers_callback(made, on_begin_headers);
      nghttp2_session_callbacks_set_on_header_callback(made, on_header);
      nghttp2_session_callbacks_set_on_frame_recv_callback(made, on_frame_recv);
      nghttp2_session_callbacks_set_on_data_chunk_recv_callback(made, on_data_chunk_recv);
      nghttp2_session_callbacks_set_on_frame_send_callback(made, on_frame_send);
      nghttp2_session_callbacks_set_on_stream_close_callback(made, on_stream_close);
      return made;
    }();
    return callbacks;
  }
};

const nghttp2_session_callbacks* h2_server_callbacks() { return H2Callbacks::get(); }

H2Stream* H2Connection::open_stream(int32_t id) {
  auto* stream = new H2Stream;
  stream->id = id;
  stream->next = streams_;
  if (streams_ != nullptr) streams_->prev = stream;
  streams_ = stream;
  count(worker_.stats().h2_counters(), &H2Counters::streams);
  stream->ordinal = ++streams_opened_;
  misbehave_on_open(*stream);
  return stream;
}

void H2Connection::close_stream(H2Stream* stream) {
  nghttp2_session_set_stream_user_data(session_, stream->id, nullptr);
  if (stream->prev != nullptr) stream->prev->next = stream->next;
  if (stream->next != nullptr) stream->next->prev = stream->prev;
  if (streams_ == stream) streams_ = stream->next;
  delete stream;
}

// The end of the request headers: routed as an HTTP/1.1 request line would be.
void H2Connection::on_request_headers(H2Stream& stream, size_t header_block_bytes) {
  stream.request_bytes += header_block_bytes;
  RequestLine line{stream.method, stream.path, 1, true};
  ResponsePlan plan = plan_response(line, worker_.base_delay_ns());
  const bool plain =
      plan.action == Action::kNone || plan.action == Action::kApi || plan.action == Action::kEcho;
  if (plan.route != Route::kControl && plain && worker_.fails_next_request()) plan = unavailable_plan(plan);
  // A WebSocket endpoint answers the plan's 426: RFC 8441's extended CONNECT is not offered.
  plan.close_after = false;  // HTTP/2 ends the stream, never the connection, after a response
  stream.plan = plan;
  stream.planned = true;
  if (plan.action == Action::kEcho && stream.content_length != UINT64_MAX &&
      stream.content_length > Connection::kMaxEchoBytes) {
    refuse(stream, 413);
    return;
  }
  if (plan.action == Action::kEcho) {
    std::string_view type = stream.content_type;
    if (type.size() <= kMaxEchoTypeBytes) stream.owned.assign(type);
    stream.prefix_bytes = static_cast<uint32_t>(stream.owned.size());
  }
  if (plan.action == Action::kApi) {
    std::string_view authorization =
        plan.route == Route::kApiWhoami ? std::string_view(stream.authorization) : "";
    stream.prefix_bytes =
        static_cast<uint32_t>(save_api_context(plan.route, stream.path, authorization, stream.owned));
  }
  if (plan.action == Action::kMcp) {
    stream.prefix_bytes = static_cast<uint32_t>(
        save_mcp_context(stream.method, stream.mcp_session_id, stream.mcp_protocol_version, stream.owned));
  }
}

// Body bytes: kept for /echo, the API and /mcp (within their limits), dropped otherwise.
void H2Connection::on_request_body(H2Stream& stream, std::string_view bytes) {
  stream.request_bytes += bytes.size();
  Action action = stream.plan.action;
  if (stream.submitted || (action != Action::kEcho && action != Action::kApi && action != Action::kMcp))
    return;
  uint64_t limit = action == Action::kEcho  ? Connection::kMaxEchoBytes
                   : action == Action::kMcp ? McpServer::kMaxBodyBytes
                                            : ApiResponder::kMaxBodyBytes;
  if (stream.owned.size() - stream.prefix_bytes + bytes.size() > limit) {
    refuse(stream, 413);
    return;
  }
  stream.owned.append(bytes);
}

// The request is complete: the answer is made, and submitted now or when its delay is over.
void H2Connection::on_request_end(H2Stream& stream) {
  if (!stream.planned || stream.submitted) return;
  ResponsePlan& plan = stream.plan;
  int64_t now = worker_.loop().now_ns();
  if (plan.action == Action::kEcho) plan.body_bytes = stream.owned.size() - stream.prefix_bytes;
  if (plan.action == Action::kStats) {
    stream.owned = worker_.shared_stats().render_json(now);
    stream.prefix_bytes = 0;
    plan.body_bytes = stream.owned.size();
  }
  if (plan.action == Action::kApi) {
    worker_.api().answer(plan, stream.owned, 0, stream.prefix_bytes);
    stream.prefix_bytes = 0;
  }
  if (plan.action == Action::kMcp)
    stream.prefix_bytes =
        static_cast<uint32_t>(worker_.mcp().answer(plan, stream.owned, 0, stream.prefix_bytes));
  stream.ready_at_ns = now + plan.delay_ns;
  if (stream.ready_at_ns <= now) {
    submit_response(stream);
  } else if (!is_armed() || deadline_ns() > stream.ready_at_ns) {
    worker_.loop().schedule(*this, stream.ready_at_ns);
  }
}

// Answers `status` (413) at once in place of the request, whose further body is dropped.
void H2Connection::refuse(H2Stream& stream, uint16_t status) {
  stream.owned.clear();
  stream.prefix_bytes = 0;
  stream.plan = refusal_plan(status);
  stream.plan.close_after = false;
  stream.ready_at_ns = worker_.loop().now_ns();
  submit_response(stream);
}

void H2Connection::submit_response(H2Stream& stream) {
  if (misbehave_on_answer(stream)) return;
  headers_.render(stream, worker_.http_date(stream.ready_at_ns));
  nghttp2_data_provider provider{};
  provider.source.ptr = &stream;
  provider.read_callback = read_body;
  const ResponsePlan& plan = stream.plan;
  bool has_data = h2_body_bytes(plan) > 0 || (plan.framing == Framing::kChunked && !plan.head_only);
  stream.submitted = true;
  size_t skipped = misbehave_on_headers();
  if (nghttp2_submit_response(session_, stream.id, headers_.fields() + skipped, headers_.count() - skipped,
                              has_data ? &provider : nullptr) != 0) {
    stream.submitted = false;  // the stream is gone (reset by the client): nothing to answer
  }
}

// The timer: every delayed response whose time has come, then the timer for the next one.
void H2Connection::submit_ready_responses() {
  int64_t now = worker_.loop().now_ns();
  int64_t next = H2Stream::kNotReady;
  for (H2Stream* stream = streams_; stream != nullptr; stream = stream->next) {
    if (stream->submitted || stream->ready_at_ns == H2Stream::kNotReady) continue;
    if (stream->ready_at_ns <= now) {
      submit_response(*stream);
    } else {
      next = std::min(next, stream->ready_at_ns);
    }
  }
  if (next != H2Stream::kNotReady) worker_.loop().schedule(*this, next);
}

// The last frame of a response is in the session's output: counted as an HTTP/1.1 response is just before
// its write (an error on the write closes the connection; a response the client never read is rare enough
// on HTTP/2, where the connection outlives it, not to take back).
void H2Connection::on_response_sent(H2Stream& stream) {
  const ResponsePlan& plan = stream.plan;
  stream.counted = true;
  worker_.stats().count_response(plan.route, plan.status, h2_body_bytes(plan), worker_.loop().now_ns(),
                                 plan.cache);
  if (plan.route != Route::kControl) count(worker_.stats().h2_counters(), &H2Counters::responses);
}

}  // namespace surge::serve
