// One virtual user: runs its scenario's steps one after the other over one keep-alive connection, records each
// request's outcome into the worker's stats, and asks its host (the load model) what to do between iterations.
#pragma once

#include <cstdint>

#include "core/event_loop.h"
#include "core/timer_heap.h"
#include "metrics/error_kind.h"
#include "proto/http/response_parser.h"
#include "scenario/compiled_plan.h"
#include "scenario/worker_context.h"

namespace surge::scenario {

class VirtualUser;

// Implemented by the load model that owns the users. One virtual call per iteration or request, never per byte.
class VuHost {
 public:
  virtual void on_iteration_done(VirtualUser& user) = 0;  // start another iteration or stop the user
  virtual void on_stopped(VirtualUser& user) = 0;         // the user is idle and may be reused
  virtual bool take_request() = 0;                        // false when the run's request budget is spent

 protected:
  ~VuHost() = default;
};

class VirtualUser final : public core::EventHandler, private core::Timer {
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
  void start_iteration(const CompiledScenario& scenario, int64_t intended_ns = 0);
  // Lets the request in flight finish (bounded by its timeout), cuts think and back-off waits short, then
  // stops and calls VuHost::on_stopped.
  void stop_after_request();
  bool is_running() const { return state_ != State::kIdle; }
  uint64_t id() const { return id_; }
  uint32_t slot() const { return slot_; }

 private:
  enum class State : uint8_t { kIdle, kWaiting, kConnecting, kSending, kReceiving };

  void on_event(uint32_t events) override;
  void on_timer() override;

  void run_step();
  void next_step();
  void begin_request();
  void send_request();
  void on_connected();
  void read_response();
  void complete_response(bool keep_connection);
  void fail_request(metrics::ErrorKind kind);
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
  int64_t sent_ns_ = 0;
  int64_t intended_ns_ = 0;  // of the next request; 0 = its actual send
  int64_t backoff_ns_ = 0;
  int fd_ = -1;
  uint32_t slot_;
  uint32_t target_ = 0;  // target the open connection goes to
  uint32_t step_index_ = 0;
  uint32_t request_phase_ = 0;
  uint32_t written_ = 0;  // bytes of the current request already written
  State state_ = State::kIdle;
  bool wants_write_ = false;  // EPOLLOUT registered
  bool stopping_ = false;
};

}  // namespace surge::scenario
