// The stall timer. The freeze is a real blocking sleep inside the event loop on purpose: it is what a
// stop-the-world pause does to a server, with the kernel queueing connections and bytes meanwhile.
#include "serve/stall.h"

#include <errno.h>
#include <time.h>

#include <algorithm>

#include "core/clock.h"

namespace surge::serve {
namespace {

// Blocks the whole process until the monotonic deadline. Absolute time, so an interruption resumes
// towards the same end instead of adding to it.
void sleep_until(int64_t deadline_ns) {
  timespec until{deadline_ns / core::kNsPerSec, deadline_ns % core::kNsPerSec};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
  }
}

}  // namespace

StallWindow StallSchedule::window(int64_t k) const {
  int64_t begin_ns = start_ns_ + k * every_ns_;
  return {begin_ns, begin_ns + length_ns_};
}

int64_t StallSchedule::first_unended(int64_t from, int64_t now_ns) const {
  // end(k) > now  <=>  k·every > now - start - length; every k >= 1 qualifies while that is negative.
  int64_t past_ns = now_ns - start_ns_ - length_ns_;
  if (past_ns < 0) return from;
  return std::max(from, past_ns / every_ns_ + 1);
}

void Staller::start() { loop_.schedule(*this, schedule_.window(next_).begin_ns); }

void Staller::on_timer() {
  // A fresh clock, not the loop's batch time: the events handled before this timer may have taken a while,
  // and the recorded begin must be when the freeze really began.
  int64_t begin_ns = core::monotonic_ns();
  next_ = schedule_.first_unended(next_, begin_ns);
  StallWindow window = schedule_.window(next_);
  if (begin_ns >= window.begin_ns) {
    sleep_until(window.end_ns);
    stats_.record_stall(begin_ns, loop_.refresh_now());
    ++next_;
  }
  loop_.schedule(*this, schedule_.window(next_).begin_ns);
}

}  // namespace surge::serve
