// Progress rendering to stderr, so stdout carries only the summary (and JSON when asked).
#include "run/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace surge::run {

Progress::Progress(bool quiet, std::vector<double> phase_durations_s)
    : quiet_(quiet), phase_durations_s_(std::move(phase_durations_s)), is_terminal_(isatty(STDERR_FILENO) == 1) {}

void Progress::show(const results::SecondRow& row, double run_seconds) {
  if (quiet_) return;
  std::string p95 = row.latency ? fmt::format("{:.2f}ms", row.latency->p95_ms) : "-";
  // How far into its phase this second is: "7/10s" (the run's figure is before it).
  double phase_start = 0;
  std::string phase_clock;
  for (size_t i = 0; i < phase_durations_s_.size(); ++i) {
    if (static_cast<double>(row.second) <= phase_start + phase_durations_s_[i] || i + 1 == phase_durations_s_.size()) {
      phase_clock = fmt::format("{:.0f}/{:.0f}s", std::min(static_cast<double>(row.second) - phase_start, phase_durations_s_[i]),
                                phase_durations_s_[i]);
      break;
    }
    phase_start += phase_durations_s_[i];
  }
  // A run bounded by a request budget (-n) has no planned length to show.
  std::string run_clock = run_seconds > 0 ? fmt::format("{:>4}s/{:.0f}s", row.second, run_seconds)
                                          : fmt::format("{:>4}s", row.second);
  std::string line = fmt::format("[{}] {:<10} {:>9}  users {:>6}  conns {:>6}  req/s {:>8}  p95 {:>9}  errors {}",
                                 run_clock, row.phase, phase_clock, row.active_users,
                                 row.open_connections, row.requests, p95, row.errors);
  if (is_terminal_) {
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    line_open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (line_open_) std::fprintf(stderr, "\n");
  line_open_ = false;
}

}  // namespace surge::run
