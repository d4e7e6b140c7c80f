// An event handler that stops its loop when a signal arrives on a signalfd (the signals are blocked, so no
// handler runs in the middle of the loop's work). It owns the descriptor.
#pragma once

#include <sys/signalfd.h>
#include <unistd.h>

#include "core/event_loop.h"

namespace surge::core {

class StopOnSignal final : public EventHandler {
 public:
  StopOnSignal(EventLoop& loop, int signal_fd) : loop_(loop), fd_(signal_fd) {}
  ~StopOnSignal() override { ::close(fd_); }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  void on_event(uint32_t /*events*/) override {
    signalfd_siginfo info;
    while (::read(fd_, &info, sizeof info) == sizeof info) loop_.stop();
  }

 private:
  EventLoop& loop_;
  int fd_;
};

}  // namespace surge::core
