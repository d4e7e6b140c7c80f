// epoll_pwait2 gives nanosecond timeouts (timers at sub-millisecond precision); it falls back to
// epoll_wait's milliseconds (rounded up, so a timer never fires early) on kernels without it.
#include "core/event_loop.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "core/clock.h"
#include "core/errno_text.h"

namespace surge::core {
namespace {

constexpr int kMaxEventsPerWake = 512;

}  // namespace

Result<std::unique_ptr<EventLoop>> EventLoop::create(size_t expected_timers) {
  int fd = epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return fail("epoll_create1 failed: " + errno_text(errno));
  return std::unique_ptr<EventLoop>(new EventLoop(fd, expected_timers));
}

EventLoop::EventLoop(int epoll_fd, size_t expected_timers)
    : epoll_fd_(epoll_fd), now_ns_(monotonic_ns()), timers_(expected_timers), ready_(kMaxEventsPerWake) {}

EventLoop::~EventLoop() { close(epoll_fd_); }

Result<void> EventLoop::control(int op, int fd, uint32_t events, EventHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (epoll_ctl(epoll_fd_, op, fd, &ev) < 0) {
    const char* name = op == EPOLL_CTL_ADD ? "ADD" : "MOD";
    return fail(std::string("epoll_ctl(") + name + ", fd " + std::to_string(fd) + ") failed: " + errno_text(errno));
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
  now_ns_ = monotonic_ns();
  return now_ns_;
}

Result<void> EventLoop::run_once(int64_t max_wait_ns) {
  int64_t wait_ns = std::max<int64_t>(max_wait_ns, 0);
  if (!timers_.empty()) wait_ns = std::clamp<int64_t>(timers_.next_deadline_ns() - now_ns_, 0, wait_ns);

  timespec timeout{wait_ns / kNsPerSec, wait_ns % kNsPerSec};
  // A quiet wait: a timer is due soon anyway, so the sockets that become ready before it wait for it, and the
  // wake-up (22-27 us of CPU on a VM by itself) serves them all. The sleep ends early only on a signal.
  if (quiet_window_ns_ > 0 && awake_holds_ == 0 && wait_ns > 0 && !timers_.empty() &&
      timers_.next_deadline_ns() - now_ns_ <= quiet_window_ns_) {
    nanosleep(&timeout, nullptr);
    ++quiet_sleeps_;
    timeout = {0, 0};
  }
  int n = epoll_pwait2(epoll_fd_, ready_.data(), kMaxEventsPerWake, &timeout, nullptr);
  if (n < 0 && errno == ENOSYS) {
    int wait_ms = static_cast<int>((wait_ns + kNsPerMs - 1) / kNsPerMs);
    n = epoll_wait(epoll_fd_, ready_.data(), kMaxEventsPerWake, wait_ms);
  }
  if (n < 0) {
    if (errno != EINTR) return fail("epoll_wait failed: " + errno_text(errno));
    n = 0;
  }
  now_ns_ = monotonic_ns();
  if (tracks_realtime_) realtime_offset_ns_ = wall_clock_ns() - now_ns_;
  for (int i = 0; i < n; ++i) {
    static_cast<EventHandler*>(ready_[i].data.ptr)->on_event(ready_[i].events);
  }
  timers_.expire(now_ns_);
  graveyard_.clear();
  return {};
}

Result<void> EventLoop::run() {
  while (!stopped_) {
    auto result = run_once(kNsPerSec);
    if (!result) return result;
  }
  return {};
}

}  // namespace surge::core
