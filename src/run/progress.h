// Live progress, one line a second: an updating line on a terminal, plain lines when stderr is not one (CI logs).
#pragma once

#include <string>
#include <vector>

#include "results/run_result.h"

namespace surge::run {

class Progress {
 public:
  // phase_durations_s: planned length of each phase, to show how far into its phase the run is.
  Progress(bool quiet, std::vector<double> phase_durations_s);
  void show(const results::SecondRow& row, double run_seconds);
  // Ends the updating line so the summary starts on a fresh line.
  void finish();

 private:
  bool quiet_;
  std::vector<double> phase_durations_s_;
  bool is_terminal_;
  bool line_open_ = false;
};

}  // namespace surge::run
