// `target: builtin`: starts `surge serve --port 0` as a child process for the run, learns its port from the
// first line it prints, and stops it (by PID) afterwards.
#pragma once

#include <sys/types.h>

#include <string>

#include "core/result.h"

namespace surge::run {

class BuiltinTarget {
 public:
  // Starts the server on 127.0.0.1 and a free port; fails if it does not say where it listens within 5 s.
  static core::Result<BuiltinTarget> start();
  BuiltinTarget(BuiltinTarget&& other) noexcept;
  BuiltinTarget& operator=(BuiltinTarget&&) = delete;
  ~BuiltinTarget();

  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  // SIGTERM, then wait for it; idempotent.
  void stop();

 private:
  BuiltinTarget(pid_t pid, std::string url, int stdout_fd) : pid_(pid), url_(std::move(url)), stdout_fd_(stdout_fd) {}
  pid_t pid_;
  std::string url_;
  int stdout_fd_;
};

}  // namespace surge::run
