// epoll_pwait2 gives nanosecond timeouts (timers at sub-millisecond precision); it falls back to
// epoll_wait's milliseconds (rounded up, so a timer never fires early) on kernels without it.
#include "core/event_loop.h"

#include <errno.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "core/clock.h"
#include "core/errno_text.h"
#include "core/simulated_clock.h"

namespace surge::core {
namespace {

constexpr int kMaxEventsPerWake = 512;

}  // namespace

// A predictable branch before the same inlined vDSO call as a loop without the choice: no indirect call,
// since refresh_now runs a few times per request.
inline int64_t EventLoop::read_clock() const {
  return simulated_ == nullptr ? monotonic_ns() : simulated_->now_ns();
}

Result<std::unique_ptr<EventLoop>> EventLoop::create(size_t expected_timers, SimulatedClock* clock) {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return fail("epoll_create1 failed: " + errno_text(errno));
  return std::unique_ptr<EventLoop>(new EventLoop(fd, expected_timers, clock));
}

EventLoop::EventLoop(int epoll_fd, size_t expected_timers, SimulatedClock* clock)
    : epoll_fd_(epoll_fd),
      simulated_(clock),
      now_ns_(read_clock()),
      timers_(expected_timers),
      ready_(kMaxEventsPerWake) {}

EventLoop::~EventLoop() { close(epoll_fd_); }

Result<void> EventLoop::control(int op, int fd, uint32_t events, EventHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (epoll_ctl(epoll_fd_, op, fd, &ev) < 0) {
    const char* name = op == EPOLL_CTL_ADD ? "ADD" : "MOD";
    return fail(std::string("epoll_ctl(") + name + ", fd " + std::to_string(fd) +
                ") failed: " + errno_text(errno));
  }
  return {};
}

Result<void> EventLoop::add(int fd, uint32_t events, EventHandler* handler) {
  return control(EPOLL_CTL_ADD, fd, events, handler);
}

Result<void> EventLoop::modify(int fd, uint32_t events, EventHandler* handler) {
  return control(EPOLL_CTL_MOD, fd, events, handler);
}

void EventLoop::remove(int fd) { epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::destroy_later(std::unique_ptr<EventHandler> handler) {
  graveyard_.push_back(std::move(handler));
}

int64_t EventLoop::refresh_now() {
  now_ns_ = read_clock();
  return now_ns_;
}

Result<void> EventLoop::run_once(int64_t max_wait_ns) {
  int64_t wait_ns = std::max<int64_t>(max_wait_ns, 0);
  if (!timers_.empty()) wait_ns = std::clamp<int64_t>(timers_.next_deadline_ns() - now_ns_, 0, wait_ns);
  // A quiet wait: a timer is due soon anyway, so the sockets that become ready before it wait for it, and the
  // wake-up (22-27 us of CPU on a VM by itself) serves them all.
  const bool quiet = quiet_window_ns_ > 0 && awake_holds_ == 0 && wait_ns > 0 && !timers_.empty() &&
                     timers_.next_deadline_ns() - now_ns_ <= quiet_window_ns_;
  if (quiet) ++quiet_sleeps_;
  int n = simulated_ == nullptr ? wait_real(wait_ns, quiet) : wait_simulated(wait_ns, quiet);
  if (n < 0) {
    if (errno != EINTR) return fail("epoll_wait failed: " + errno_text(errno));
    n = 0;
  }
  now_ns_ = read_clock();
  if (tracks_realtime_) {
    realtime_offset_ns_ = (simulated_ == nullptr ? wall_clock_ns() : simulated_->wall_clock_ns()) - now_ns_;
  }
  for (int i = 0; i < n; ++i) {
    static_cast<EventHandler*>(ready_[i].data.ptr)->on_event(ready_[i].events);
  }
  timers_.expire(now_ns_);
  graveyard_.clear();
  return {};
}

// Returns epoll's count, or -1 with errno set. A quiet sleep ends early only on a signal.
int EventLoop::wait_real(int64_t wait_ns, bool quiet) {
  timespec timeout{wait_ns / kNsPerSec, wait_ns % kNsPerSec};
  if (quiet) {
    nanosleep(&timeout, nullptr);
    timeout = {0, 0};
  }
  int n = epoll_pwait2(epoll_fd_, ready_.data(), kMaxEventsPerWake, &timeout, nullptr);
  if (n < 0 && errno == ENOSYS) {
    int wait_ms = static_cast<int>((wait_ns + kNsPerMs - 1) / kNsPerMs);
    n = epoll_wait(epoll_fd_, ready_.data(), kMaxEventsPerWake, wait_ms);
  }
  return n;
}

// "Fake the clock, never the loop": epoll is asked without waiting, and the time the wait would have taken
// passes only when it would have passed in full: no socket ready (or a quiet wait, which ignores them).
// Loopback peers on the same loop answer within the same instant, so a test's counts do not depend on the
// machine's speed.
// Loopback delivers inside the sender's write, except when the kernel has put its receive work off to this
// CPU's ksoftirqd (a busy machine): before time moves on, the loop yields once and asks again, so deferred
// bytes arrive at the instant they were sent rather than a timer later.
int EventLoop::wait_simulated(int64_t wait_ns, bool quiet) {
  if (quiet) simulated_->advance_by(wait_ns);
  int n = epoll_wait(epoll_fd_, ready_.data(), kMaxEventsPerWake, 0);
  if (n == 0 && !quiet) {
    sched_yield();
    n = epoll_wait(epoll_fd_, ready_.data(), kMaxEventsPerWake, 0);
    if (n == 0) simulated_->advance_by(wait_ns);
  }
  return n;
}

Result<void> EventLoop::run() {
  while (!stopped_) {
    auto result = run_once(kNsPerSec);
    if (!result) return result;
  }
  return {};
}

}  // namespace surge::core
