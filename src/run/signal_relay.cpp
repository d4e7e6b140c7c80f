// SignalRelay: each stop signal steps the workers' stop up one level (signal_relay.h).
#include "run/signal_relay.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "core/clock.h"

namespace surge::run {
namespace {

// A forced stop leaves a worker this long to send its last snapshot before it is killed (it only has to
// write one frame to its pipe, so a live worker needs microseconds).
constexpr int64_t kForcedStopNs = core::kNsPerSec;

}  // namespace

int block_stop_signals() {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  return signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
}

void SignalRelay::on_event(uint32_t) {
  signalfd_siginfo info;
  while (read(fd_, &info, sizeof info) == sizeof info) step_up();
}

void SignalRelay::step_up() {
  ++stops_;
  loop_.cancel(*this);
  if (stops_ == 1) {
    result_.interrupted = true;
    first_signal_ns_ = core::monotonic_ns();
    pool_.signal_all(SIGTERM);
    loop_.schedule(*this, first_signal_ns_ + grace_ns_);
  } else if (stops_ == 2) {
    pool_.signal_all(SIGTERM);  // a worker's second SIGTERM: flush and exit
    loop_.schedule(*this, core::monotonic_ns() + kForcedStopNs);
  } else {
    pool_.signal_all(SIGKILL);
  }
}

}  // namespace surge::run
