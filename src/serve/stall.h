// Stall mode of `surge serve` (--stall-every E --stall-for T): the whole worker freezes at fixed moments,
// like a garbage-collection pause in a real service, so a load test can show what a tool reports for it.
#pragma once

#include <cstdint>

#include "core/event_loop.h"
#include "serve/stats.h"

namespace surge::serve {

// [begin_ns, end_ns) of one scheduled stall, monotonic ns.
struct StallWindow {
  int64_t begin_ns = 0;
  int64_t end_ns = 0;
};

// When the stalls are due: stall k (k = 1, 2, ...) spans [start + k·every, start + k·every + length).
// Pure arithmetic on the shared start, so every worker derives the same moments with no coordination.
class StallSchedule {
 public:
  // 0 < length_ns < every_ns (run_server checks the options first).
  StallSchedule(int64_t start_ns, int64_t every_ns, int64_t length_ns)
      : start_ns_(start_ns), every_ns_(every_ns), length_ns_(length_ns) {}

  StallWindow window(int64_t k) const;
  // The first stall k >= from that has not ended by now_ns (its end is after now_ns). A loop busy past a
  // whole stall skips it instead of freezing late for the full length.
  int64_t first_unended(int64_t from, int64_t now_ns) const;

 private:
  int64_t start_ns_;
  int64_t every_ns_;
  int64_t length_ns_;
};

// Freezes its loop's process for each stall of the schedule: a timer that fires at a stall's begin and
// sleeps (clock_nanosleep, the only sleep in serve) until the scheduled end, so a stall that begins late
// still ends on time. Nothing runs meanwhile: no reads, writes, accepts or other timers. Each stall's real
// begin and end go to the worker's stats (kept for worker 0 only: stats.h).
class Staller final : public core::Timer {
 public:
  // loop must outlive the staller; stats is the worker's own slot.
  Staller(core::EventLoop& loop, const StallSchedule& schedule, WorkerStats stats)
      : loop_(loop), schedule_(schedule), stats_(stats) {}
  ~Staller() { loop_.cancel(*this); }
  Staller(const Staller&) = delete;
  Staller& operator=(const Staller&) = delete;

  // Arms the timer for stall 1.
  void start();
  void on_timer() override;

 private:
  core::EventLoop& loop_;
  StallSchedule schedule_;
  WorkerStats stats_;
  int64_t next_ = 1;  // k of the stall the timer is armed for
};

}  // namespace surge::serve
