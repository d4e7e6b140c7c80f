// SLA text for the terminal summary. The JUnit report builds the same sentences from results.json.
#include "report/sla_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace surge::report {

std::string describe_sla_outcome(const results::SlaOutcome& outcome) {
  std::string expected =
      "expected " + outcome.comparison + " " + format_sla_value(outcome.threshold, outcome.unit);
  std::string text = outcome.actual
                         ? "actual " + format_sla_value(*outcome.actual, outcome.unit) + ", " + expected
                         : "no data, " + expected;
  if (outcome.worst_window_at_s) {
    text +=
        fmt::format(" (worst {} s window, ending at {} s)", *outcome.window_s, *outcome.worst_window_at_s);
  } else if (outcome.window_s) {
    text += fmt::format(" (the run was shorter than the {} s window: whole run)", *outcome.window_s);
  }
  if (outcome.stopped_run) text += "; stopped the run";
  return text;
}

std::string render_sla_table(const std::vector<results::SlaOutcome>& slas) {
  if (slas.empty()) return "";
  size_t width = 0;
  for (const results::SlaOutcome& sla : slas) width = std::max(width, sla.expr.size());
  std::string out = "\n  SLA\n";
  for (const results::SlaOutcome& sla : slas) {
    // ✓ and ✗ are one column wide but three bytes, so the padding is computed on the expression alone.
    out += fmt::format("  {} {:<{}}  {}\n", sla.pass ? "\u2713" : "\u2717", sla.expr, width,
                       describe_sla_outcome(sla));
  }
  return out;
}

}  // namespace surge::report
