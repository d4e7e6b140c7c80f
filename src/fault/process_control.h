// The processes of process faults (docs/faults.md): commands surge starts (a target to kill, a restart, an
// exec), signals sent to them or to a target_pid, and their exit statuses. Every process surge starts is its
// child in its own process group, and is stopped (SIGTERM, then SIGKILL) and reaped by PID at the end.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "net/address.h"

namespace surge::fault {

class ProcessControl {
 public:
  ProcessControl() = default;
  ~ProcessControl();  // stop_all()
  ProcessControl(const ProcessControl&) = delete;
  ProcessControl& operator=(const ProcessControl&) = delete;

  // fork + execvp of argv, stdin from /dev/null, stdout and stderr inherited; the child gets an empty signal
  // mask (the coordinator blocks SIGINT and SIGTERM for its signalfd). Errors name the command and errno;
  // a command that cannot be executed exits 127 in the child (its status says so).
  core::Result<pid_t> start(const std::vector<std::string>& argv);
  // Waits until something accepts a TCP connection at address (the target a started command serves), at
  // most timeout; false if nothing did.
  static bool wait_until_listening(const net::SocketAddress& address, std::chrono::milliseconds timeout);
  // Reaps children that have exited, without waiting, keeping their statuses.
  void reap();
  // The exit status of a started process: "exit 0", "exit 3", "signal 9 (Killed)"; nullopt while it runs.
  std::optional<std::string> status_of(pid_t pid) const;
  // SIGTERM to every child still running, up to grace to exit, then SIGKILL; reaps them all.
  void stop_all(std::chrono::milliseconds grace = std::chrono::seconds(2));

 private:
  struct Child {
    pid_t pid = 0;
    std::optional<int> wait_status;
  };
  std::vector<Child> children_;
};

}  // namespace surge::fault
