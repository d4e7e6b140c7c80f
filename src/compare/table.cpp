// Plain columns padded to fixed widths (names of steps may be long: they get their own header line).
#include "compare/table.h"

#include <fmt/format.h>

#include "compare/format.h"

namespace surge::compare {
namespace {

// fmt pads by code points; "–" and "±" are one each.
std::string row(std::string_view metric, std::string_view base, std::string_view candidate,
                std::string_view delta, std::string_view limit, std::string_view noise,
                std::string_view verdict) {
  return fmt::format("  {:<12}{:>12}{:>12}{:>10}{:>9}{:>10}  {}\n", metric, base, candidate, delta, limit,
                     noise, verdict);
}

std::string verdict_text(Verdict verdict) {
  return verdict == Verdict::kRegressed ? "REGRESSED" : std::string(verdict_name(verdict));
}

std::string run_line(std::string_view role, const RunSummary& run) {
  return fmt::format("  {:<5} '{}': {}, {:.2f} s, surge {}\n", role, run.source,
                     utc_text(run.started_at_unix_ms), run.duration_s, run.surge_version);
}

}  // namespace

std::string render_table(const Comparison& comparison) {
  std::string out = fmt::format("surge compare: plan '{}'\n", comparison.base.plan);
  out += run_line("base", comparison.base);
  out += run_line("new", comparison.candidate);
  out += "\n" + row("metric", "base", "new", "delta", "limit", "noise", "verdict");
  std::string regressions;
  for (const ScopeComparison& scope : comparison.scopes) {
    out += scope.label + "\n";
    for (const MetricDelta& m : scope.metrics) {
      out += row(metric_name(m.metric), value_text(m.metric, m.base), value_text(m.metric, m.candidate),
                 delta_text(m.metric, m.delta), m.limit ? limit_text(m.metric, *m.limit) : "–",
                 noise_text(m.metric, m.noise), verdict_text(m.verdict));
      if (m.verdict == Verdict::kRegressed) {
        regressions += fmt::format("  {} {}: {} -> {} ({}, limit {})\n", scope.label, metric_name(m.metric),
                                   value_text(m.metric, m.base), value_text(m.metric, m.candidate),
                                   delta_text(m.metric, m.delta), limit_text(m.metric, *m.limit));
      }
    }
  }
  for (const std::string& note : comparison.notes) out += "note: " + note + "\n";
  out += fmt::format("\n{} regressed, {} within noise, {} passed, {} not judged, {} without data\n",
                     comparison.count(Verdict::kRegressed), comparison.count(Verdict::kWithinNoise),
                     comparison.count(Verdict::kPass), comparison.count(Verdict::kNotJudged),
                     comparison.count(Verdict::kNoData));
  if (!comparison.has_regression()) return out + "result: pass\n";
  return out + "result: regressed\n" + regressions;
}

}  // namespace surge::compare
