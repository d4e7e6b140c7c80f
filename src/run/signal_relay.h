// Ctrl-C and SIGTERM during a run. The first stop lets requests in flight finish for at most --grace; a
// second signal, or the grace running out, makes the workers send what they counted and leave at once (their
// requests in flight have no outcome); a worker that still has not left kForcedStopNs later is killed.
#pragma once

#include <cstdint>

#include "core/event_loop.h"
#include "results/run_result.h"
#include "run/worker_pool.h"

namespace surge::run {

// Blocks SIGINT and SIGTERM (the workers inherit the mask and unblock them) and returns a signalfd that reads
// them, or -1 when none could be made (the run then goes on without relaying signals).
int block_stop_signals();

class SignalRelay final : public core::EventHandler, private core::Timer {
 public:
  SignalRelay(int fd, core::EventLoop& loop, WorkerPool& pool, results::RunResult& result, int64_t grace_ns)
      : fd_(fd), loop_(loop), pool_(pool), result_(result), grace_ns_(grace_ns) {}
  ~SignalRelay() override { loop_.cancel(*this); }

  void on_event(uint32_t) override;
  // When the first signal came, on the monotonic clock; 0 if none did.
  int64_t first_signal_ns() const { return first_signal_ns_; }

 private:
  void on_timer() override { step_up(); }
  void step_up();

  int fd_;
  core::EventLoop& loop_;
  WorkerPool& pool_;
  results::RunResult& result_;
  int64_t grace_ns_;
  int stops_ = 0;
  int64_t first_signal_ns_ = 0;
};

}  // namespace surge::run
