// Target monitoring: samples the CPU time, resident memory, open descriptors and threads of the target's
// process tree (the process and every descendant, so a forking server counts whole) from /proc.
#pragma once

#include <sys/types.h>

#include <optional>

#include "results/run_result.h"

namespace surge::machine {

class TargetMonitor {
 public:
  explicit TargetMonitor(pid_t pid);

  pid_t pid() const { return pid_; }
  // Reads the tree now; nullopt when the process is gone. cpu_percent covers the time since the previous
  // sample (0 on the first).
  std::optional<results::TargetSample> sample();

 private:
  pid_t pid_;
  double last_cpu_s_ = 0;
  int64_t last_ns_ = 0;
};

}  // namespace surge::machine
