// The virtual user's HTTP I/O: connecting, sending, reading and judging responses, holding connections.
// Per request: one send() (more only after a short write), one read() per readable event (a short read ends
// the loop), no epoll_ctl unless a write was short, no allocation. The iteration flow is in virtual_user_flow.cpp.
#include "scenario/virtual_user.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "core/clock.h"
#include "net/socket.h"

namespace surge::scenario {
namespace {

using metrics::ErrorKind;
using proto::http::ResponseParser;

// After a connection-level failure the user waits before its next step, so a dead target costs a bounded number
// of attempts per second instead of a hot loop; the wait doubles up to the cap and resets on a good connect.
constexpr int64_t kFirstBackoffNs = 10 * core::kNsPerMs;
constexpr int64_t kMaxBackoffNs = 1 * core::kNsPerSec;
// A step that checks or captures keeps at most this much of its response; checks see a longer one truncated.
constexpr size_t kMaxKeptResponseBytes = 1 << 20;

ErrorKind connect_error_kind(int err) {
  switch (err) {
    case ECONNREFUSED: return ErrorKind::kRefused;
    case EADDRNOTAVAIL: return ErrorKind::kAddress;
    case ETIMEDOUT: return ErrorKind::kTimeout;
    case ECONNRESET: return ErrorKind::kReset;
    default: return ErrorKind::kConnect;
  }
}

bool is_connection_failure(ErrorKind kind) {
  return kind == ErrorKind::kRefused || kind == ErrorKind::kConnect || kind == ErrorKind::kAddress;
}

}  // namespace

VirtualUser::VirtualUser(WorkerContext& context, VuHost& host, uint64_t id, uint32_t slot)
    : context_(context), host_(host), id_(id), slot_(slot) {
  variables_.resize(context.plan.variables.size());
  loop_rounds_.resize(context.plan.loop_slots);
  WsSessionOwner& owner = *this;  // the base is private: convert here, where it is accessible
  if (context.plan.has_ws) ws_ = std::make_unique<WsSession>(context, owner);
}

VirtualUser::~VirtualUser() {
  context_.loop.cancel(*this);
  if (fd_ >= 0) close(fd_);
}

metrics::RequestStats& VirtualUser::cell() { return context_.stats.cell(request_phase_, step_->stats_index); }

void VirtualUser::begin_request() {
  if (!host_.take_request()) return finish();
  request_phase_ = context_.phase;
  const CompiledHttpStep& http = step_->http;
  context_.loop.schedule(*this, context_.loop.now_ns() + http.timeout_ns);
  if (fd_ >= 0 && target_ != http.target) close_connection();
  if (fd_ >= 0) return send_request();

  int err = 0;
  sent_ns_ = context_.loop.refresh_now();  // the connect's start, for connect_time
  fd_ = net::start_connect(context_.plan.targets[http.target], &err);
  if (fd_ < 0) {
    ++context_.stats.connections(request_phase_).failed;
    return fail_request(connect_error_kind(err));
  }
  target_ = static_cast<uint32_t>(http.target);
  state_ = State::kConnecting;
  wants_write_ = true;
  if (!context_.loop.add(fd_, EPOLLIN | EPOLLOUT, this)) {
    ++context_.stats.connections(request_phase_).failed;
    close(fd_);
    fd_ = -1;
    return fail_request(ErrorKind::kConnect);
  }
}

void VirtualUser::on_connected() {
  int err = net::take_socket_error(fd_);
  if (err != 0) {
    ++context_.stats.connections(request_phase_).failed;
    close(fd_);
    fd_ = -1;
    return fail_request(connect_error_kind(err));
  }
  backoff_ns_ = 0;
  int64_t now = context_.loop.refresh_now();
  context_.on_connection_opened(sent_ns_, now - sent_ns_);
  send_request();
}

void VirtualUser::hold_connection(size_t target, int64_t timeout_ns) {
  if (fd_ >= 0 && target_ == target) return host_.on_connection_ready(*this);  // kept from an earlier phase
  if (fd_ >= 0) close_connection();
  sent_ns_ = context_.loop.refresh_now();
  int err = 0;
  fd_ = net::start_connect(context_.plan.targets[target], &err);
  if (fd_ < 0) return lose_hold_connect();
  target_ = static_cast<uint32_t>(target);
  state_ = State::kHoldConnecting;
  wants_write_ = true;
  if (!context_.loop.add(fd_, EPOLLIN | EPOLLOUT, this)) return lose_hold_connect();
  context_.loop.schedule(*this, sent_ns_ + timeout_ns);
}

void VirtualUser::on_hold_connected() {
  if (net::take_socket_error(fd_) != 0) return lose_hold_connect();
  context_.loop.cancel(*this);
  int64_t now = context_.loop.refresh_now();
  context_.on_connection_opened(sent_ns_, now - sent_ns_);
  state_ = State::kIdle;
  wants_write_ = false;  // an idle held connection waits only for the peer closing it
  (void)context_.loop.modify(fd_, EPOLLIN, this);
  host_.on_connection_ready(*this);
}

void VirtualUser::lose_hold_connect() {
  ++context_.stats.connections(context_.phase).failed;
  context_.loop.cancel(*this);
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  wants_write_ = false;
  state_ = State::kIdle;
  host_.on_connection_lost(*this);
}

void VirtualUser::drop_connection() {
  if (fd_ < 0) return;
  if (state_ != State::kHoldConnecting) return close_connection();
  context_.loop.cancel(*this);
  close(fd_);
  fd_ = -1;
  wants_write_ = false;
  state_ = State::kIdle;
}

void VirtualUser::send_request() {
  if (state_ != State::kSending) {
    state_ = State::kSending;
    written_ = 0;
    parser_.start(step_->http.is_head);
    response_.clear();
    if (step_->http.dynamic) {
      templating::RenderContext render{id_, iteration_, variables_, &context_.template_rng,
                                       core::wall_clock_ns() / core::kNsPerMs};
      step_->http.dynamic->render(render, request_);
    }
    sent_ns_ = context_.loop.refresh_now();
    if (intended_ns_ == 0) intended_ns_ = sent_ns_;
  }
  const std::string& request = step_->http.dynamic ? request_ : step_->http.request;
  ssize_t n = send(fd_, request.data() + written_, request.size() - written_, MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) n = 0;
    else return fail_request(errno == ECONNREFUSED ? ErrorKind::kRefused : ErrorKind::kReset);
  }
  written_ += static_cast<uint32_t>(n);
  cell().bytes_sent += static_cast<uint64_t>(n);
  bool complete = written_ == request.size();
  if (complete == wants_write_) {  // interest changes only after a short write, and back after it drains
    wants_write_ = !complete;
    (void)context_.loop.modify(fd_, complete ? EPOLLIN : EPOLLIN | EPOLLOUT, this);
  }
  if (complete) state_ = State::kReceiving;
}

void VirtualUser::on_event(uint32_t events) {
  switch (state_) {
    case State::kConnecting:
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected();
      return;
    case State::kSending:
      if (events & (EPOLLERR | EPOLLHUP)) return read_response();
      if (events & EPOLLOUT) send_request();
      return;
    case State::kReceiving:
      return read_response();
    case State::kHoldConnecting:
      if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_hold_connected();
      return;
    case State::kIdle:
    case State::kWaiting:
    case State::kWs:
      // Idle keep-alive connection: the peer closed it or sent bytes nobody asked for. Either way it is
      // no longer usable for a clean next request.
      if (fd_ < 0) return;
      close_connection();
      if (state_ == State::kIdle) host_.on_connection_lost(*this);  // between iterations: the hold reopens
      return;
  }
}

void VirtualUser::read_response() {
  std::vector<char>& buffer = context_.read_buffer;
  while (true) {
    ssize_t n = read(fd_, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return fail_request(ErrorKind::kReset);
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
    if (step_->http.needs_response && response_.size() < kMaxKeptResponseBytes) {
      response_.append(buffer.data(), std::min(consumed, kMaxKeptResponseBytes - response_.size()));
    }
    if (parser_.status() == ResponseParser::Status::kError) return fail_request(ErrorKind::kParse);
    if (parser_.status() == ResponseParser::Status::kComplete) {
      // Bytes after a complete response were never asked for: record the response, drop the connection.
      return complete_response(parser_.keep_alive() && consumed == static_cast<size_t>(n));
    }
    if (static_cast<size_t>(n) < buffer.size()) return;  // short read: the socket is drained
  }
}

void VirtualUser::complete_response(bool keep_connection) {
  context_.loop.cancel(*this);
  int64_t now = context_.loop.refresh_now();
  metrics::RequestStats& stats = cell();
  int code = parser_.status_code();
  ++stats.by_status[code >= 0 && code <= metrics::kMaxStatusCode ? code : 0];
  stats.body_bytes_received += parser_.body_bytes();
  stats.latency.record(now - intended_ns_);
  stats.service_time.record(now - sent_ns_);
  intended_ns_ = 0;  // later steps of the iteration follow the user's own pace
  const auto& expect = step_->http.expect_status;
  bool checks_pass = !step_->http.needs_response || judge_response();
  if (code >= 500) ++stats.by_error[size_t(ErrorKind::kStatus5xx)];
  else if (code >= 400 && (!expect || *expect != code)) ++stats.by_error[size_t(ErrorKind::kStatus4xx)];
  else if ((expect && *expect != code) || !checks_pass) ++stats.by_error[size_t(ErrorKind::kCheck)];
  else ++stats.ok;
  if (!keep_connection) close_connection();
  state_ = State::kIdle;
  next_step();
}

void VirtualUser::fail_request(ErrorKind kind) {
  context_.loop.cancel(*this);
  intended_ns_ = 0;
  ++cell().by_error[static_cast<size_t>(kind)];
  if (fd_ >= 0) close_connection();
  if (is_connection_failure(kind)) {
    backoff_ns_ = backoff_ns_ == 0 ? kFirstBackoffNs : std::min(2 * backoff_ns_, kMaxBackoffNs);
  }
  state_ = State::kIdle;
  next_step();
}

void VirtualUser::close_connection() {
  // A connection still connecting never counted as opened.
  if (state_ != State::kConnecting && state_ != State::kHoldConnecting) context_.on_connection_closed();
  close(fd_);  // closing also removes the fd from epoll
  fd_ = -1;
  wants_write_ = false;
}

void VirtualUser::on_timer() {
  switch (state_) {
    case State::kWaiting:
      state_ = State::kIdle;
      return run_step();
    case State::kConnecting:
      ++context_.stats.connections(request_phase_).failed;
      return fail_request(ErrorKind::kTimeout);
    case State::kSending:
    case State::kReceiving:
      return fail_request(ErrorKind::kTimeout);
    case State::kHoldConnecting:
      return lose_hold_connect();
    case State::kIdle:
    case State::kWs:  // the session times its own steps
      return;
  }
}

}  // namespace surge::scenario
