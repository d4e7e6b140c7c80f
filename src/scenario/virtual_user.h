// One virtual user: runs its scenario's steps one after the other over one keep-alive connection, records each
// request's outcome into the worker's stats, and asks its host (the load model) what to do between iterations.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/event_loop.h"
#include "core/timer_heap.h"
#include "metrics/error_kind.h"
#include "net/connection.h"
#include "proto/http/response_parser.h"
#include "proto/http/response_split.h"
#include "scenario/compiled_plan.h"
#include "scenario/cookie_jar.h"
#include "scenario/worker_context.h"
#include "scenario/ws_session.h"

namespace surge::scenario {

class VirtualUser;

// Implemented by the load model that owns the users. One virtual call per iteration or request, never per byte.
class VuHost {
 public:
  virtual void on_iteration_done(VirtualUser& user) = 0;  // start another iteration or stop the user
  virtual void on_stopped(VirtualUser& user) = 0;         // the user is idle and may be reused
  virtual bool take_request() = 0;                        // false when the run's request budget is spent
  // hold_connection succeeded: the user is idle and holds an open connection.
  virtual void on_connection_ready(VirtualUser& user) = 0;
  // The user is idle and its connection is gone: a hold_connection connect failed (or timed out), or the peer
  // closed (or wrote unasked to) the connection of a user idle between iterations.
  virtual void on_connection_lost(VirtualUser& user) = 0;

 protected:
  ~VuHost() = default;
};

// Its connection's socket handler: a net::ConnectionOwner (a core::EventHandler).
class VirtualUser final : public net::ConnectionOwner, private core::Timer, private WsSessionOwner {
 public:
  // slot: this user's index in its host's pool (hosts keep per-user state in arrays indexed by it).
  VirtualUser(WorkerContext& context, VuHost& host, uint64_t id, uint32_t slot);
  ~VirtualUser() override;
  VirtualUser(const VirtualUser&) = delete;
  VirtualUser& operator=(const VirtualUser&) = delete;

  // Starts an iteration. intended_ns > 0 is when the schedule (open or constant-throughput model) meant its
  // first request to go: latency of that request runs from then, even when the user could only send it later
  // (no coordinated omission); if it lies in the future the user waits for it. 0: a closed-loop iteration,
  // latency from the actual send.
  // next_due_ns (constant-throughput model): when this connection's next request is due; if the response is
  // still out by then, the worker must notice it at once, not at its next quiet wake-up (core::EventLoop).
  void start_iteration(const CompiledScenario& scenario, int64_t intended_ns = 0, int64_t next_due_ns = 0);
  // Lets the request in flight finish (bounded by its timeout), cuts think and back-off waits short, then
  // stops and calls VuHost::on_stopped.
  void stop_after_request();
  // graceful_stop ran out: abandons the iteration at once. A request in flight has no outcome (it is not
  // counted) and its connection is closed; a wait is cut. The iteration is counted in
  // interrupted_iterations of the phase it started in. The user is idle afterwards and the host is not
  // called. No effect outside an iteration.
  void interrupt();
  // The run is over and the worker's loop has stopped: closes the connections the user still holds (http and
  // WebSocket), each counted in connections.closed like any other close, so a finished run counts every
  // connection it opened as closed however it ended (docs/results.md#connections).
  void close_at_run_end();
  // Connect-only mode (the hold model): opens a connection to targets[target] and keeps it, idle, holding no
  // buffer. The outcome comes back as VuHost::on_connection_ready (also at once, when the user already holds
  // a connection to that target) or on_connection_lost (the connect failed, counted in connections.failed,
  // or took longer than timeout_ns). A later start_iteration sends its requests over the held connection.
  // Only for an idle user.
  void hold_connection(size_t target, int64_t timeout_ns);
  // Closes the connection of an idle user, or gives up a hold_connection connect in progress (not counted as
  // opened nor failed). Not for a user in an iteration.
  void drop_connection();
  bool is_running() const { return state_ != State::kIdle; }
  // From start_iteration until the iteration ends, is interrupted or the user stops.
  bool is_in_iteration() const { return scenario_ != nullptr; }
  bool is_connected() const { return connection_.is_open(); }
  uint64_t id() const { return id_; }
  uint32_t slot() const { return slot_; }

 private:
  // kConnecting: the request's connection opens (TCP, then TLS for https targets).
  // kHoldConnecting: a hold_connection connect, outside any iteration.
  // kWs: a ws step runs on the WebSocket session.
  enum class State : uint8_t { kIdle, kWaiting, kConnecting, kSending, kReceiving, kHoldConnecting, kWs };

  void on_event(uint32_t events) override;
  void on_timer() override;
  void on_connection_open() override;
  void on_connection_failed(net::ConnectFailure failure) override;
  void on_ws_step_done(bool ok, metrics::ErrorKind kind) override;
  std::string& ws_variable(uint32_t slot) override { return variables_[slot]; }
  void begin_ws_step();
  void end_ws_session();

  void run_step();
  void run_loop_step();  // a loop marker: moves step_index_ into the body, back to it, or past the loop
  void run_group_step();  // a group marker: starts a run of the group, or records the run that ends
  // Counts a failed request, WebSocket step or check, for the groups around it (a plan without groups has no
  // slot for it).
  void note_failure() {
    if (context_.plan.failure_slot) ++loop_rounds_[*context_.plan.failure_slot];
  }
  bool take_feeder_rows();
  int64_t think_time();
  void next_step();
  void begin_request();
  void send_request();
  // The request's bytes into request_ when they differ from the step's static bytes (a template, or a Cookie
  // header from the jar); sends_buffer_ says which one is sent (cookies in virtual_user_cookies.cpp).
  void prepare_request();
  void add_cookie_header();
  void keep_head(std::string_view data);  // a cookie scenario keeps every response's head for Set-Cookie
  void store_cookies();
  void on_hold_open();
  void on_hold_ready();
  // A chain's next request is due with this one's response still out (see DueWake).
  void hold_loop_awake(bool on);
  void stop_request_waits();
  void lose_hold_connect(metrics::ErrorKind kind);  // counts the failed connect by kind
  void read_response();
  void complete_response(bool keep_connection);
  // Checks, captures and custom metrics on the kept response; true when every check passed (response_judge.cpp).
  bool judge_response();
  // A jsonrpc or mcp answer: its ids and results, counted under "jsonrpc id" and "jsonrpc result", and its
  // error codes; true when both hold (response_judge.cpp).
  bool judge_rpc(std::string_view answer);
  // The first of `calls` fresh JSON-RPC ids from this user's counter: ids never repeat within a user, so
  // they never repeat within its MCP session either.
  int64_t draw_rpc_ids(uint32_t calls) {
    rpc_first_id_ = next_rpc_id_;
    next_rpc_id_ += calls;
    return rpc_first_id_;
  }
  // An MCP session step got 404: forget the session and run the scenario's initialize and initialized steps,
  // then go on after the failed step (it is not retried). A 404 while re-initializing starts no second round.
  void begin_reinitialize();
  std::string_view event_stream_data(const proto::http::ResponseParts& parts);
  void fail_request(metrics::ErrorKind kind);
  bool retry_later(metrics::ErrorKind kind);
  void close_connection();
  void wait(int64_t duration_ns);
  void finish();
  metrics::RequestStats& cell();

  WorkerContext& context_;
  VuHost& host_;
  const CompiledScenario* scenario_ = nullptr;
  const CompiledStep* step_ = nullptr;
  proto::http::ResponseParser parser_;
  uint64_t id_;
  uint64_t iteration_ = 0;
  std::vector<std::string> variables_;  // by CompiledPlan::variables slot; kept across iterations
  std::vector<uint64_t> loop_rounds_;   // by loop slot: rounds done of the loop running
  std::string request_;   // a templated request, rendered (kept until it is written)
  std::string response_;  // the raw response, for a step that checks or captures
  std::unique_ptr<WsSession> ws_;  // only when the plan has ws steps
  std::unique_ptr<CookieJar> cookies_;  // made at the first request of a scenario with cookies
  int64_t sent_ns_ = 0;  // while connecting: when the connect started
  int64_t intended_ns_ = 0;  // of the next request; 0 = its actual send
  int64_t received_ns_ = 0;  // kernel receive time (monotonic) of the response's latest bytes; 0: none
  bool holds_loop_awake_ = false;   // a chain's next request already due (see DueWake)
  int64_t next_due_ns_ = 0;         // start_iteration's next_due_ns, for the first request of the iteration
  // At next_due_ns_ with the request still out, the loop stops waiting quietly: the response that lets the
  // next request go must be handled when it comes, or the wait would count as that request's latency.
  struct DueWake final : core::Timer {
    explicit DueWake(VirtualUser& owner) : user(owner) {}
    void on_timer() override { user.hold_loop_awake(true); }
    VirtualUser& user;
  } due_wake_{*this};
  int64_t backoff_ns_ = 0;
  uint32_t retry_count_ = 0;  // retries already sent (or waiting) of the current step
  int64_t next_rpc_id_ = 1;   // the user's JSON-RPC id counter (kept across iterations, like the session)
  int64_t rpc_first_id_ = 0;  // the first id of the message in flight
  uint32_t resume_step_ = 0;   // re-initializing an MCP session: the step to go on with (0: not re-initializing)
  uint32_t reinit_until_ = 0;  // ... once step_index_ reaches this (just past the initialized notification)
  int64_t idle_since_ns_ = 0;  // when the kept-alive connection's last response completed
  // The user's keep-alive connection; its socket's events come to on_event, which hands them over while it
  // opens.
  net::Connection connection_{context_, *this};
  uint32_t slot_;
  uint32_t step_index_ = 0;
  uint32_t request_phase_ = 0;
  uint32_t iteration_phase_ = 0;  // phase running when the current iteration started
  uint32_t written_ = 0;  // bytes of the current request already written
  State state_ = State::kIdle;
  bool stopping_ = false;
  bool held_ = false;  // the connection was opened by hold_connection (exempt from timeouts.idle)
  bool sends_buffer_ = false;  // the request being sent is in request_, not CompiledHttpStep::request
};

}  // namespace surge::scenario
