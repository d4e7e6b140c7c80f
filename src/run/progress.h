// Live progress, one line a second: an updating line on a terminal, plain lines when stderr is not one (CI logs).
#pragma once

#include <string>

#include "report/run_result.h"

namespace surge::run {

class Progress {
 public:
  explicit Progress(bool quiet);
  void show(const report::SecondRow& row, double run_seconds);
  // Ends the updating line so the summary starts on a fresh line.
  void finish();

 private:
  bool quiet_;
  bool is_terminal_;
  bool line_open_ = false;
};

}  // namespace surge::run
