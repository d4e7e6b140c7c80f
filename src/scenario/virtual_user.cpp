// The virtual user's HTTP I/O over its net::Connection: connecting, sending, reading and judging responses,
// holding connections. Per request: one send() (more only after a short write), one read() per readable event
// (a short read ends the loop), no epoll_ctl unless a write was short, no allocation. The iteration flow is
// in virtual_user_flow.cpp.
#include "scenario/virtual_user.h"

#include <errno.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "core/clock.h"
#include "scenario/connect_errors.h"
#include "scenario/failure_log.h"

namespace surge::scenario {
namespace {

using metrics::ErrorKind;
using proto::http::ResponseParser;

// After a connection-level failure the user waits before its next step, so a dead target costs a bounded number
// of attempts per second instead of a hot loop; the wait doubles up to the cap and resets on a good connect.
constexpr int64_t kFirstBackoffNs = 10 * core::kNsPerMs;
constexpr int64_t kMaxBackoffNs = 1 * core::kNsPerSec;

// A head or a line over its `limits:` bound is the target being too large, not malformed.
ErrorKind parse_error_kind(proto::http::ParseError error) {
  bool too_large = error == proto::http::ParseError::kHeaderTooLarge || error == proto::http::ParseError::kLineTooLong;
  return too_large ? ErrorKind::kTooLarge : ErrorKind::kParse;
}

// A failed TLS handshake backs off too: retrying a certificate that does not verify at full speed would
// only burn handshakes.
bool is_connection_failure(ErrorKind kind) {
  return kind == ErrorKind::kRefused || kind == ErrorKind::kConnect || kind == ErrorKind::kAddress ||
         kind == ErrorKind::kTls || kind == ErrorKind::kBind;
}

}  // namespace

VirtualUser::VirtualUser(WorkerContext& context, VuHost& host, uint64_t id, uint32_t slot)
    : context_(context), host_(host), id_(id), slot_(slot) {
  variables_.resize(context.plan.variables.size());
  loop_rounds_.resize(context.plan.loop_slots);
  parser_.set_max_head_bytes(context.plan.limits.max_header_bytes);
  parser_.set_max_line_bytes(context.plan.limits.max_header_line_bytes);
  WsSessionOwner& owner = *this;  // the base is private: convert here, where it is accessible
  if (context.plan.has_ws) ws_ = std::make_unique<WsSession>(context, owner);
}

VirtualUser::~VirtualUser() { stop_request_waits(); }

metrics::RequestStats& VirtualUser::cell() { return context_.stats.cell(request_phase_, step_->stats_index); }

void VirtualUser::begin_request() {
  if (!host_.take_request()) return finish();
  request_phase_ = context_.phase;
  if (retry_count_ > 0) ++cell().retries;
  const CompiledHttpStep& http = step_->http;
  const int64_t now = context_.loop.now_ns();
  context_.loop.schedule(*this, now + http.timeout_ns);
  if (next_due_ns_ != 0 && context_.kernel_receive_times) context_.loop.schedule(due_wake_, next_due_ns_);
  next_due_ns_ = 0;  // later requests of the iteration (retries) have no schedule
  if (!connection_.is_closed() && connection_.target() != http.target) close_connection();
  // Idle past timeouts.idle, the server may be closing it right now: a new connection does not race that.
  if (!connection_.is_closed() && !held_ && now - idle_since_ns_ > context_.plan.timeouts.idle.count()) {
    close_connection();
  }
  if (!connection_.is_closed()) return send_request();

  sent_ns_ = context_.loop.refresh_now();  // the connect's start, for connect_time
  // The connect and TLS handshake have their own bound inside the request's (send_request restores it).
  const int64_t connect_bound_ns = context_.plan.timeouts.connect.count();
  net::ConnectFailure failure;
  if (!connection_.connect(http.target, sent_ns_, connect_bound_ns < http.timeout_ns ? connect_bound_ns : 0,
                           &failure)) {
    ++context_.stats.connections(request_phase_).failed;
    return fail_request(connect_failure_kind(failure));
  }
  state_ = State::kConnecting;
  held_ = false;
}

void VirtualUser::hold_loop_awake(bool on) {
  if (on == holds_loop_awake_) return;
  holds_loop_awake_ = on;
  if (on) context_.loop.hold_awake();
  else context_.loop.release_awake();
}

// A request ended (or the user goes): its timeout, its chain's due wake and any hold on the loop go with it.
void VirtualUser::stop_request_waits() {
  context_.loop.cancel(*this);
  context_.loop.cancel(due_wake_);
  hold_loop_awake(false);
}

void VirtualUser::on_connection_open() {
  if (state_ == State::kHoldConnecting) return on_hold_open();
  backoff_ns_ = 0;
  send_request();
}

void VirtualUser::on_connection_failed(net::ConnectFailure failure) {
  const ErrorKind kind = connect_failure_kind(failure);
  if (state_ == State::kHoldConnecting) return lose_hold_connect(kind);
  if (failure.tcp_connected) backoff_ns_ = 0;  // TCP got through: a TLS failure backs off anew
  ++context_.stats.connections(request_phase_).failed;
  fail_request(kind);
}

void VirtualUser::hold_connection(size_t target, int64_t timeout_ns) {
  if (!connection_.is_closed() && connection_.target() == target) {
    return host_.on_connection_ready(*this);  // kept from an earlier phase
  }
  if (!connection_.is_closed()) close_connection();
  sent_ns_ = context_.loop.refresh_now();
  // timeout_ns bounds the connect and its TLS handshake together.
  net::ConnectFailure failure;
  if (!connection_.connect(target, sent_ns_, timeout_ns, &failure)) {
    return lose_hold_connect(connect_failure_kind(failure));
  }
  state_ = State::kHoldConnecting;
}

void VirtualUser::on_hold_open() {
  // Bytes read ahead with the server's TLS Finished that are not session tickets came unasked: the connection
  // is no good for a clean first request (and they would keep the buffer RELEASE_BUFFERS is meant to give
  // back).
  if (connection_.has_stray_bytes()) {
    state_ = State::kIdle;
    close_connection();  // opened: closing it counts as closed
    return host_.on_connection_lost(*this);
  }
  on_hold_ready();
}

void VirtualUser::on_hold_ready() {
  held_ = true;  // a held connection is idle on purpose: timeouts.idle does not close it
  state_ = State::kIdle;
  connection_.want_write(false);  // an idle held connection waits only for the peer closing it
  host_.on_connection_ready(*this);
}

void VirtualUser::lose_hold_connect(ErrorKind kind) {
  context_.stats.connections(context_.phase).record_hold_failure(kind);
  connection_.close();  // still opening: nothing counted
  state_ = State::kIdle;
  host_.on_connection_lost(*this);
}

void VirtualUser::drop_connection() {
  if (connection_.is_closed()) return;
  if (state_ != State::kHoldConnecting) return close_connection();
  connection_.close();  // still opening: nothing counted
  state_ = State::kIdle;
}

void VirtualUser::send_request() {
  if (state_ != State::kSending) {
    if (state_ == State::kConnecting) {
      context_.loop.schedule(*this, sent_ns_ + step_->http.timeout_ns);  // sent_ns_: the connect's start
    }
    state_ = State::kSending;
    written_ = 0;
    parser_.start(step_->http.is_head);
    response_.clear();
    prepare_request();
    sent_ns_ = context_.loop.refresh_now();
    received_ns_ = 0;
    // Late (a busy connection, a slow wake-up): latency counts from the schedule. Early (schedule_slack) or
    // unscheduled: from the send.
    if (intended_ns_ == 0 || intended_ns_ > sent_ns_) intended_ns_ = sent_ns_;
  }
  const std::string& request = sends_buffer_ ? request_ : step_->http.request;
  const char* unsent = request.data() + written_;
  size_t unsent_size = request.size() - written_;
  ssize_t n = connection_.write(unsent, unsent_size);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) n = 0;
    else return fail_request(errno == ECONNREFUSED ? ErrorKind::kRefused
                             : errno == EPROTO     ? ErrorKind::kTls
                                                   : ErrorKind::kReset);
  }
  written_ += static_cast<uint32_t>(n);
  cell().bytes_sent += static_cast<uint64_t>(n);
  bool complete = written_ == request.size();
  connection_.want_write(!complete);  // on only after a short write, and off once it drains
  if (complete) state_ = State::kReceiving;
}

void VirtualUser::on_event(uint32_t events) {
  switch (state_) {
    case State::kConnecting:
    case State::kHoldConnecting:
      return connection_.on_opening_event(events);
    case State::kSending:
      // An answer may come before the request is all written (an early 413 or 503, RFC 9112 §9.5): read it,
      // or level-triggered epoll reports it on every wake until the timeout (a busy loop).
      if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) return read_response();
      if (events & EPOLLOUT) send_request();
      return;
    case State::kReceiving:
      return read_response();
    case State::kIdle:
    case State::kWaiting:
    case State::kWs:
      // Idle keep-alive connection: the peer closed it or sent bytes nobody asked for. Either way it is
      // no longer usable for a clean next request.
      if (connection_.is_closed()) return;
      if (connection_.only_housekeeping()) return;  // a TLS 1.3 session ticket, say
      close_connection();
      if (state_ == State::kIdle) host_.on_connection_lost(*this);  // between iterations: the hold reopens
      return;
  }
}

void VirtualUser::read_response() {
  std::vector<char>& buffer = context_.read_buffer;
  while (true) {
    ssize_t n = connection_.read(buffer.data(), buffer.size(), &received_ns_);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return fail_request(errno == EPROTO ? ErrorKind::kTls : ErrorKind::kReset);
    }
    if (n == 0) {
      parser_.finish_on_eof();
      if (parser_.status() == ResponseParser::Status::kComplete) return complete_response(false);
      return fail_request(parser_.status() == ResponseParser::Status::kError &&
                                  parser_.error() != proto::http::ParseError::kUnexpectedEof
                              ? ErrorKind::kParse
                              : ErrorKind::kEof);
    }
    cell().bytes_received += static_cast<uint64_t>(n);
    size_t consumed = parser_.feed(buffer.data(), static_cast<size_t>(n));
    const uint64_t kept_limit = context_.plan.limits.max_kept_bytes;
    const bool keeps_all = step_->http.needs_response || context_.failure_log != nullptr;
    if (keeps_all && response_.size() < kept_limit) {
      response_.append(buffer.data(), std::min<uint64_t>(consumed, kept_limit - response_.size()));
    } else if (!keeps_all && scenario_->cookies != plan::CookieMode::kOff) {
      keep_head(std::string_view(buffer.data(), consumed));  // for Set-Cookie (virtual_user_cookies.cpp)
    }
    if (parser_.status() == ResponseParser::Status::kError) return fail_request(parse_error_kind(parser_.error()));
    const uint64_t max_body = context_.plan.limits.max_body_bytes;
    if (max_body != 0 && parser_.body_bytes() > max_body) return fail_request(ErrorKind::kTooLarge);
    if (parser_.status() == ResponseParser::Status::kComplete) {
      // Bytes after a complete response were never asked for, and a request cut short by an early answer
      // leaves the connection mid-message: record the response, drop the connection.
      bool clean = consumed == static_cast<size_t>(n) && state_ == State::kReceiving;
      return complete_response(parser_.keep_alive() && clean);
    }
    // A short read drained the socket; with TLS, records read ahead into OpenSSL are not in it any more.
    if (static_cast<size_t>(n) < buffer.size() && !connection_.has_pending()) return;
  }
}

void VirtualUser::complete_response(bool keep_connection) {
  stop_request_waits();
  // With kernel receive times the response ended when its last bytes reached the socket, however late the loop
  // got to them (a quiet wait); the clamp guards against a stamp from before the send or a wall-clock step.
  int64_t now = context_.loop.refresh_now();
  if (received_ns_ != 0) now = std::clamp(received_ns_, sent_ns_, now);
  received_ns_ = 0;
  metrics::RequestStats& stats = cell();
  int code = parser_.status_code();
  ++stats.by_status[code >= 0 && code <= metrics::kMaxStatusCode ? code : 0];
  stats.body_bytes_received += parser_.body_bytes();
  stats.latency.record(now - intended_ns_);
  stats.service_time.record(now - sent_ns_);
  intended_ns_ = 0;  // later steps of the iteration follow the user's own pace
  const auto& expect = step_->http.expect_status;
  bool checks_pass = !step_->http.needs_response || judge_response();
  if (scenario_->cookies != plan::CookieMode::kOff) store_cookies();
  std::optional<ErrorKind> failure;
  if (code >= 500) failure = ErrorKind::kStatus5xx;
  else if (code >= 400 && (!expect || *expect != code)) failure = ErrorKind::kStatus4xx;
  else if ((expect && *expect != code) || !checks_pass) failure = ErrorKind::kCheck;
  if (failure) {
    ++stats.by_error[size_t(*failure)];
    note_failure();
    context_.outcomes.record_error(now);
    if (context_.failure_log != nullptr) {
      context_.failure_log->record(step_->stats_index, *failure, code,
                                   sends_buffer_ ? request_ : step_->http.request, response_, &variables_);
    }
  } else {
    ++stats.ok;
    if (retry_count_ > 0) ++stats.recovered;
    context_.outcomes.record_ok(now);
  }
  if (code == 404 && step_->http.rpc.session) begin_reinitialize();
  if (!keep_connection) close_connection();
  else idle_since_ns_ = now;
  state_ = State::kIdle;
  if (failure && retry_later(*failure)) return;
  next_step();
}

// retry: (plan::RetryPolicy) after a failed try of the current step: waits its back-off, then sends the same
// step again (on_timer runs the step at step_index_, which has not moved). False: no try left, a kind not
// retried, or the user is stopping; the step then ends failed.
bool VirtualUser::retry_later(ErrorKind kind) {
  const CompiledHttpStep& http = step_->http;
  if (retry_count_ + 1 >= http.retry_attempts || (http.retry_on & (uint32_t{1} << size_t(kind))) == 0 || stopping_) {
    return false;
  }
  if (retry_count_ == 0) ++cell().retried;
  ++retry_count_;
  int64_t step = http.retry_backoff_min_ns;
  for (uint32_t i = 1; i < retry_count_ && step < http.retry_backoff_max_ns; ++i) step *= 2;
  step = std::min(step, http.retry_backoff_max_ns);
  const int64_t half = step / 2;
  wait(half + static_cast<int64_t>(context_.rng() % static_cast<uint64_t>(step - half + 1)));
  return true;
}

void VirtualUser::fail_request(ErrorKind kind) {
  stop_request_waits();
  intended_ns_ = 0;
  ++cell().by_error[static_cast<size_t>(kind)];
  note_failure();
  context_.outcomes.record_error(context_.loop.now_ns());
  if (context_.failure_log != nullptr) {
    const bool was_sent = state_ == State::kSending || state_ == State::kReceiving;
    const std::string_view request = !was_sent ? "" : sends_buffer_ ? request_ : step_->http.request;
    context_.failure_log->record(step_->stats_index, kind, was_sent ? parser_.status_code() : 0, request,
                                 was_sent ? std::string_view(response_) : std::string_view(), &variables_);
  }
  if (!connection_.is_closed()) close_connection();
  if (is_connection_failure(kind)) {
    backoff_ns_ = backoff_ns_ == 0 ? kFirstBackoffNs : std::min(2 * backoff_ns_, kMaxBackoffNs);
  }
  state_ = State::kIdle;
  if (retry_later(kind)) return;
  next_step();
}

// Counted as closed when it was open (one still opening never counted as opened).
void VirtualUser::close_connection() {
  hold_loop_awake(false);
  connection_.close();
}

void VirtualUser::on_timer() {
  switch (state_) {
    case State::kWaiting:
      state_ = State::kIdle;
      return run_step();
    // The request's timeout, when no longer than timeouts.connect (else the connection times its connect).
    case State::kConnecting: {
      if (connection_.is_handshaking()) backoff_ns_ = 0;  // TCP got through
      ++context_.stats.connections(request_phase_).failed;
      bool connect_bound = context_.loop.now_ns() - sent_ns_ >= context_.plan.timeouts.connect.count();
      return fail_request(connect_bound ? ErrorKind::kConnectTimeout : ErrorKind::kTimeout);
    }
    case State::kSending:
    case State::kReceiving:
      return fail_request(ErrorKind::kTimeout);
    case State::kHoldConnecting:  // the connection times its own connect
    case State::kIdle:
    case State::kWs:  // the session times its own steps
      return;
  }
}

}  // namespace surge::scenario
