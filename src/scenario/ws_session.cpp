// The WebSocket session's state machine. An outcome found while handling an event (a matching message in the
// middle of a read) is delivered once the event is handled, so the owner's next step never runs inside the
// frame decoder.
#include "scenario/ws_session.h"

#include <errno.h>

#include <algorithm>

#include "core/clock.h"
#include "extract/json_path.h"
#include "extract/json_value.h"
#include "proto/http/response_split.h"
#include "proto/ws/handshake.h"
#include "scenario/connect_errors.h"

namespace surge::scenario {
namespace {

using metrics::ErrorKind;
using plan::WsStep;

int64_t wall_clock_s() { return core::wall_clock_ns() / core::kNsPerSec; }

}  // namespace

WsSession::WsSession(WorkerContext& context, WsSessionOwner& owner)
    : context_(context),
      owner_(owner),
      parser_(context.plan.limits.max_header_bytes, context.plan.limits.max_header_line_bytes),
      decoder_(proto::ws::Role::kClient) {}

WsSession::~WsSession() { context_.loop.cancel(*this); }

void WsSession::run(const CompiledWsStep& step, const templating::RenderContext& render, metrics::RequestStats& cell,
                    CookieJar* cookies) {
  step_ = &step;
  cell_ = &cell;
  cookies_ = cookies;
  rpc_first_id_ = render.rpc_id;
  has_outcome_ = false;
  started_ns_ = context_.loop.refresh_now();
  context_.loop.schedule(*this, started_ns_ + step.timeout_ns);
  if (step.action == WsStep::Action::kConnect) {
    start_connect(step, render);
  } else if (state_ != State::kOpen) {
    fail(ErrorKind::kEof);  // no connection: never opened, closed by the server, or closed by a step
  } else if (step.action == WsStep::Action::kSend) {
    std::string& message = context_.ws_message;
    message.clear();
    templating::render(step.message, render, message);
    waiting_ = Waiting::kWrite;
    queue_frame(step.binary ? proto::ws::Opcode::kBinary : proto::ws::Opcode::kText, message);
    flush();
  } else if (step.action == WsStep::Action::kExpect) {
    waiting_ = Waiting::kMessage;
  } else if (step.action == WsStep::Action::kPing) {
    waiting_ = Waiting::kPong;
    queue_frame(proto::ws::Opcode::kPing, "surge");
    flush();
  } else {
    waiting_ = Waiting::kClose;
    (void)proto::ws::append_close_frame(out_, step.close_code, "", static_cast<uint32_t>(context_.template_rng.next()));
    flush();
  }
  deliver();
}

void WsSession::start_connect(const CompiledWsStep& step, const templating::RenderContext& render) {
  close_socket();
  std::string& path = context_.ws_message;
  path.clear();
  templating::render(step.path, render, path);
  std::string& lines = context_.ws_header_lines;
  lines.clear();
  for (const auto& [prefix, value] : step.headers) append_header_line(lines, prefix, value, render);
  path_.assign(path.substr(0, path.find('?')));
  if (cookies_ != nullptr) cookies_->append_header(step.host, path_, step.is_secure, wall_clock_s(), lines);
  key_ = proto::ws::make_client_key(context_.template_rng.next(), context_.template_rng.next());
  out_.clear();
  proto::ws::append_upgrade_request(out_, step.host_header, path, lines, step.subprotocols, key_);
  // timeouts.connect bounds the connect and TLS handshake inside the step's own timeout.
  const int64_t connect_ns = context_.plan.timeouts.connect.count();
  net::ConnectFailure failure;
  if (!connection_.connect(step.target, started_ns_, connect_ns < step.timeout_ns ? connect_ns : 0,
                           &failure)) {
    ++context_.stats.connections(context_.phase).failed;
    return fail(connect_failure_kind(failure));
  }
  state_ = State::kConnecting;
  waiting_ = Waiting::kConnect;
}

void WsSession::on_connection_failed(net::ConnectFailure failure) {
  ++context_.stats.connections(context_.phase).failed;
  state_ = State::kClosed;
  fail(connect_failure_kind(failure));
  deliver();  // outside the session's own event (the connection's timer)
}

// TCP (and TLS) established: send the upgrade.
void WsSession::on_connection_open() {
  state_ = State::kUpgrading;
  parser_.start(false);
  head_.clear();
  flush();
}

void WsSession::on_event(uint32_t events) {
  in_event_ = true;
  if (state_ == State::kConnecting) {
    connection_.on_opening_event(events);
  } else {
    if ((events & EPOLLOUT) && !connection_.is_closed()) flush();
    if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && !connection_.is_closed()) read_input();
  }
  in_event_ = false;
  deliver();
}

void WsSession::on_timer() {
  in_event_ = true;
  if (waiting_ == Waiting::kMessage || waiting_ == Waiting::kPong) {
    // Nothing matched in time: the step failed, but the connection stays for the steps after it (a room's
    // traffic goes on).
    waiting_ = Waiting::kNothing;
    has_outcome_ = true;
    outcome_ok_ = false;
    outcome_kind_ = ErrorKind::kTimeout;
  } else if (waiting_ == Waiting::kConnect && state_ == State::kConnecting &&
             context_.loop.now_ns() - started_ns_ >= context_.plan.timeouts.connect.count()) {
    ++context_.stats.connections(context_.phase).failed;
    fail(ErrorKind::kConnectTimeout);
  } else if (waiting_ != Waiting::kNothing) {
    fail(ErrorKind::kTimeout);
  }
  in_event_ = false;
  deliver();
}

void WsSession::read_input() {
  std::vector<char>& buffer = context_.read_buffer;
  int64_t received_ns = 0;  // unused: plans with ws steps read unstamped (CompiledPlan::responses_can_wait)
  while (!connection_.is_closed()) {
    ssize_t n = connection_.read(buffer.data(), buffer.size(), &received_ns);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) fail(errno == EPROTO ? ErrorKind::kTls : ErrorKind::kReset);
      return;
    }
    if (n == 0) {
      if (waiting_ == Waiting::kClose) {
        close_socket();
        return succeed();
      }
      if (waiting_ != Waiting::kNothing) return fail(ErrorKind::kEof);
      return close_socket();
    }
    if (cell_ != nullptr) cell_->bytes_received += static_cast<uint64_t>(n);
    std::string_view bytes(buffer.data(), static_cast<size_t>(n));
    if (state_ == State::kUpgrading) on_upgrade_bytes(bytes);
    else on_frame_bytes(bytes);
    // A short read drained the socket; with TLS, records read ahead into OpenSSL are not in it any more.
    if (static_cast<size_t>(n) < buffer.size() && !connection_.has_pending()) return;
  }
}

void WsSession::on_upgrade_bytes(std::string_view bytes) {
  size_t consumed = parser_.feed(bytes.data(), bytes.size());
  // A refused upgrade's body is read to its end but kept only up to limits.max_kept_bytes.
  uint64_t room = context_.plan.limits.max_kept_bytes - std::min<uint64_t>(head_.size(), context_.plan.limits.max_kept_bytes);
  head_.append(bytes.substr(0, static_cast<size_t>(std::min<uint64_t>(consumed, room))));
  if (parser_.status() == proto::http::ResponseParser::Status::kError) {
    bool too_large = parser_.error() == proto::http::ParseError::kHeaderTooLarge ||
                     parser_.error() == proto::http::ParseError::kLineTooLong;
    return fail(too_large ? ErrorKind::kTooLarge : ErrorKind::kParse);
  }
  if (parser_.status() != proto::http::ResponseParser::Status::kComplete) return;
  proto::http::ResponseParts parts = proto::http::split_response(head_, context_.body_scratch);
  // The upgrade's answer is a response like an http step's: by_status counts it, 101 or refused
  // (docs/results.md).
  ++cell_->by_status[parts.status >= 0 && parts.status <= metrics::kMaxStatusCode ? parts.status : 0];
  // docs/cookies.md: the upgrade's answer is a response like any other, refused or not.
  if (cookies_ != nullptr) cookies_->store_from_head(parts.head, step_->host, path_, wall_clock_s());
  auto chosen = proto::ws::check_upgrade_response(parts.status, parts.head, key_, step_->subprotocols);
  // A refused upgrade is a response that failed the step's checks (docs/websocket.md).
  if (!chosen) return fail(parts.status >= 500 ? ErrorKind::kStatus5xx
                           : parts.status >= 400 ? ErrorKind::kStatus4xx : ErrorKind::kCheck);
  state_ = State::kOpen;
  decoder_.reset();
  succeed();
  if (consumed < bytes.size()) on_frame_bytes(bytes.substr(consumed));
}

void WsSession::on_frame_bytes(std::string_view bytes) {
  if (decoder_.feed(bytes, *this) != proto::ws::FrameError::kNone && !connection_.is_closed()) {
    out_.clear();
    (void)proto::ws::append_close_frame(out_, 1002, "", static_cast<uint32_t>(context_.template_rng.next()));
    (void)connection_.write(out_.data(), out_.size());  // best effort: the connection ends anyway
    if (waiting_ != Waiting::kNothing) return fail(ErrorKind::kParse);
    close_socket();
  }
}

void WsSession::on_message(proto::ws::Opcode, std::string_view payload) {
  if (waiting_ != Waiting::kMessage) return;
  const CompiledRpc& rpc = step_->rpc;
  if (rpc.calls == 0) {
    if (matches(payload)) succeed();
    return;
  }
  // JSON-RPC: the answer is the message carrying our ids; notifications and other traffic are skipped. The
  // answer decides the step: ids, results and the step's expect all hold, or it is a check error.
  if (!answers_rpc(payload, rpc_first_id_, rpc.calls)) return;
  RpcVerdict verdict = judge_rpc_answer(payload, rpc_first_id_, rpc.calls, rpc.batch, cell_->rpc_errors);
  bool holds = verdict.ids_match && (!rpc.wants_result || verdict.all_results) && matches(payload);
  capture(payload);
  if (holds) return succeed();
  fail_check();
}

void WsSession::on_ping(std::string_view payload) {
  queue_frame(proto::ws::Opcode::kPong, payload);
  flush();
}

void WsSession::on_pong(std::string_view) {
  if (waiting_ == Waiting::kPong) succeed();
}

void WsSession::on_close(uint16_t, std::string_view) {
  if (waiting_ == Waiting::kClose) {
    close_socket();
    return succeed();
  }
  // The server closed first: the connection is over for the steps that follow.
  if (waiting_ != Waiting::kNothing) return fail(ErrorKind::kEof);
  close_socket();
}

// The step's captures (optional JSON paths): a value the answer lacks leaves its variable empty, which ends a
// cursor loop.
void WsSession::capture(std::string_view message) {
  for (const CompiledCapture& capture : step_->captures) {
    (void)capture_value(capture, extract::ResponseView{0, {}, message}, owner_.ws_variable(capture.slot));
  }
}

bool WsSession::matches(std::string_view message) const {
  for (const std::string& text : step_->contains) {
    if (message.find(text) == std::string_view::npos) return false;
  }
  for (const auto& [path, expected] : step_->json) {
    auto value = extract::find(path, message);
    if (!value || !extract::json_equal(*value, expected)) return false;
  }
  for (const extract::Condition& condition : step_->conditions) {
    if (!condition.holds(extract::ResponseView{0, {}, message})) return false;
  }
  return true;
}

void WsSession::queue_frame(proto::ws::Opcode opcode, std::string_view payload) {
  (void)proto::ws::append_frame(out_, opcode, payload, true, static_cast<uint32_t>(context_.template_rng.next()));
}

void WsSession::flush() {
  while (!out_.empty() && !connection_.is_closed()) {
    ssize_t n = connection_.write(out_.data(), out_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return fail(errno == EPROTO ? ErrorKind::kTls : ErrorKind::kReset);
      connection_.want_write(true);
      return;
    }
    if (cell_ != nullptr) cell_->bytes_sent += static_cast<uint64_t>(n);
    out_.erase(0, static_cast<size_t>(n));
  }
  if (connection_.is_closed()) return;
  connection_.want_write(false);
  if (waiting_ == Waiting::kWrite) after_write();
}

void WsSession::after_write() {
  if (step_->expects) {
    waiting_ = Waiting::kMessage;
    return;
  }
  succeed();
}

void WsSession::succeed() {
  context_.loop.cancel(*this);
  waiting_ = Waiting::kNothing;
  has_outcome_ = true;
  outcome_ok_ = true;
}

void WsSession::fail(ErrorKind kind) {
  context_.loop.cancel(*this);
  close_socket();
  waiting_ = Waiting::kNothing;
  has_outcome_ = true;
  outcome_ok_ = false;
  outcome_kind_ = kind;
}

// An answer that fails its checks: the step fails, the connection stays open for the steps after it.
void WsSession::fail_check() {
  context_.loop.cancel(*this);
  waiting_ = Waiting::kNothing;
  has_outcome_ = true;
  outcome_ok_ = false;
  outcome_kind_ = ErrorKind::kCheck;
}

void WsSession::deliver() {
  if (!has_outcome_ || in_event_) return;
  has_outcome_ = false;
  owner_.on_ws_step_done(outcome_ok_, outcome_kind_);
}

void WsSession::close_socket() {
  if (connection_.is_closed()) return;
  connection_.close();  // counted as closed once it was open (upgrading or open)
  state_ = State::kClosed;
  out_.clear();
}

void WsSession::close_now() {
  context_.loop.cancel(*this);
  close_socket();
  waiting_ = Waiting::kNothing;
  has_outcome_ = false;
}

}  // namespace surge::scenario
