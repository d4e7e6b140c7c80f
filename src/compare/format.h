// Figures as surge compare's table, JUnit messages and HTML show them (compare.json keeps the exact numbers).
#pragma once

#include <optional>
#include <string>

#include "compare/metric.h"

namespace surge::compare {

// "99.8/s", "0.25%", "10.21ms"; "–" for no figure.
std::string value_text(Metric metric, const std::optional<double>& value);
// "+49.2%", "-0.1%", "+0.25pp"; "–" for no delta.
std::string delta_text(Metric metric, const std::optional<double>& delta);
// "±1.2%", "±0.05pp"; "–" without a noise estimate.
std::string noise_text(Metric metric, const std::optional<double>& noise);
// "2026-12-07 23:01:02 UTC"; "–" for 0.
std::string utc_text(int64_t unix_ms);

}  // namespace surge::compare
