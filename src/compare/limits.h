// How far each metric may move from the base run before surge compare calls it a regression: the defaults,
// and `--max METRIC=LIMIT[,METRIC=LIMIT...]`, which replaces the limits of the metrics it names and keeps
// the others.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compare/metric.h"
#include "core/result.h"

namespace surge::compare {

// Per metric, how far it may move in its worse direction (worse_direction), in its delta_unit: 10 for p50
// means p50 may rise by at most 10 % of the base; 5 for throughput, that it may fall by at most 5 %. A
// metric without a limit is shown but not judged.
struct Limits {
  std::array<std::optional<double>, kMetricCount> max_change;

  const std::optional<double>& of(Metric metric) const { return max_change[static_cast<size_t>(metric)]; }
  std::optional<double>& of(Metric metric) { return max_change[static_cast<size_t>(metric)]; }
};

// p50 +10%, p95 +10%, p99 +15%, error_rate +0.5pp, throughput -5%; p90 and p999 are not judged.
Limits default_limits();

// The defaults with each `--max` text applied in order. A text is one or more `METRIC=LIMIT` separated by
// commas; LIMIT is `+N%` (`-N%` for throughput; the sign may be left out), `+Npp` for error_rate, or `off`
// (show the metric, judge nothing). Errors are one line quoting the text, e.g.
// "--max 'p95=20': give p95's limit in % of the base run's value, e.g. p95=+20%".
core::Result<Limits> parse_limits(const std::vector<std::string>& texts);

// "+10%", "-5%", "+0.5pp": the limit as --max spells it.
std::string limit_text(Metric metric, double max_change);

}  // namespace surge::compare
