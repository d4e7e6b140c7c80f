// The single-threaded event loop of one process: level-triggered epoll for sockets, an intrusive timer heap
// for time, and a clock read once per wake-up and shared by everything handled in that batch. The clock is
// CLOCK_MONOTONIC, or a test's SimulatedClock (simulated_clock.h): then the loop never sleeps, it moves the
// time on.
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/result.h"
#include "core/timer_heap.h"

namespace surge::core {

class SimulatedClock;

// One virtual call per event (h2load's Session idea). Level-triggered epoll and non-blocking fds make
// spurious wake-ups harmless, so handlers must tolerate EAGAIN on any event.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void on_event(uint32_t events) = 0;
};

class EventLoop {
 public:
  // clock: simulated time for a test (it must outlive the loop); nullptr, the default, is CLOCK_MONOTONIC.
  static Result<std::unique_ptr<EventLoop>> create(size_t expected_timers = 1024,
                                                   SimulatedClock* clock = nullptr);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Registers fd for events (EPOLLIN/EPOLLOUT...); the handler must stay alive until remove(fd), and
  // (for pooled handlers) until the end of the current batch.
  Result<void> add(int fd, uint32_t events, EventHandler* handler);
  Result<void> modify(int fd, uint32_t events, EventHandler* handler);
  // Stops watching fd (closing the fd also does that; this keeps the order explicit).
  void remove(int fd);
  // Destroys the handler after the current batch, so events already fetched for it stay safe.
  void destroy_later(std::unique_ptr<EventHandler> handler);

  // early_ns: TimerHeap::schedule's early window. The loop sleeps until the earliest deadline, never an
  // earliest moment, so a wake-up only ever happens for a timer that is due.
  void schedule(Timer& timer, int64_t deadline_ns, int64_t early_ns = 0) {
    timers_.schedule(timer, deadline_ns, early_ns);
  }
  void cancel(Timer& timer) { timers_.cancel(timer); }

  // Quiet waits (the open model's batching; docs/performance.md): while a timer is due within window_ns and
  // nobody holds the loop awake, the loop sleeps until that timer without waking for ready sockets, then
  // handles every event that became ready meanwhile, then the timers. 0 (the default) turns it off. Only for
  // work whose times do not depend on when it is handled, such as responses dated by the kernel's receive
  // timestamp; whatever is timed at handling (a connect) holds the loop awake while it is pending.
  void set_quiet_window(int64_t window_ns) { quiet_window_ns_ = window_ns; }
  void hold_awake() { ++awake_holds_; }
  void release_awake() { --awake_holds_; }
  // Quiet sleeps so far (each one a wake-up that ready sockets could not cause).
  uint64_t quiet_sleeps() const { return quiet_sleeps_; }

  // CLOCK_REALTIME − CLOCK_MONOTONIC at the latest wake-up, for turning kernel receive timestamps (real
  // time) into the loop's monotonic time; read only after track_realtime_offset(true).
  void track_realtime_offset(bool on) { tracks_realtime_ = on; }
  int64_t realtime_offset_ns() const { return realtime_offset_ns_; }

  // Monotonic ns (or the simulated clock's), read once per wake-up (cheap: no clock call per event).
  int64_t now_ns() const { return now_ns_; }
  // Re-reads the clock; for the rare place that needs a fresher time than the batch start.
  int64_t refresh_now();

  // Waits at most max_wait_ns (or until the next timer), handles ready events, then due timers. On a
  // simulated clock the wait takes no time: when no socket is ready the clock moves on by the wait instead.
  Result<void> run_once(int64_t max_wait_ns);
  // Runs until stop() is called.
  Result<void> run();
  void stop() { stopped_ = true; }
  bool is_stopped() const { return stopped_; }

 private:
  EventLoop(int epoll_fd, size_t expected_timers, SimulatedClock* clock);
  Result<void> control(int op, int fd, uint32_t events, EventHandler* handler);
  int64_t read_clock() const;
  int wait_real(int64_t wait_ns, bool quiet);
  int wait_simulated(int64_t wait_ns, bool quiet);

  int epoll_fd_;
  SimulatedClock* simulated_;
  int64_t now_ns_;
  bool stopped_ = false;
  int64_t quiet_window_ns_ = 0;
  int awake_holds_ = 0;
  uint64_t quiet_sleeps_ = 0;
  bool tracks_realtime_ = false;
  int64_t realtime_offset_ns_ = 0;
  TimerHeap timers_;
  std::vector<epoll_event> ready_;
  std::vector<std::unique_ptr<EventHandler>> graveyard_;
};

}  // namespace surge::core
