// The --max grammar: METRIC=LIMIT items, comma-separated, each replacing one metric's default.
#include "compare/limits.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace surge::compare {
namespace {

std::string metric_list() {
  std::string out;
  for (Metric metric : kMetrics) out += (out.empty() ? "" : ", ") + std::string(metric_name(metric));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// One "METRIC=LIMIT" into limits.
core::Result<void> apply_item(std::string_view item, Limits& limits) {
  const std::string quoted = "--max '" + std::string(item) + "'";
  const size_t equals = item.find('=');
  if (equals == std::string_view::npos)
    return core::fail(quoted + ": expected METRIC=LIMIT, e.g. p95=+20% (metrics: " + metric_list() + ")");
  const std::string_view name = trim(item.substr(0, equals));
  std::string_view value = trim(item.substr(equals + 1));
  const std::optional<Metric> metric = metric_named(name);
  if (!metric)
    return core::fail(quoted + ": unknown metric '" + std::string(name) + "' (metrics: " + metric_list() +
                      ")");
  const std::string metric_text(metric_name(*metric));
  if (value == "off") {
    limits.of(*metric).reset();
    return {};
  }
  const std::string unit(delta_unit(*metric));
  const bool rises_worse = worse_direction(*metric) > 0;
  const std::string example =
      fmt::format("{}={}{}", metric_text, rises_worse ? "+" : "-", unit == "pp" ? "0.5pp" : "10%");
  const std::string unit_words = unit == "pp" ? "in percentage points (pp)" : "in % of the base run's value";
  if (value.size() < unit.size() || value.substr(value.size() - unit.size()) != unit) {
    // A bare number is most likely the limit without its unit: the example then shows it with one.
    std::string_view digits = value;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
    double number = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    const std::string suggestion =
        !digits.empty() && error == std::errc() && end == digits.data() + digits.size()
            ? metric_text + "=" + (rises_worse ? "+" : "-") + std::string(digits) + unit
            : example;
    return core::fail(quoted + ": give " + metric_text + "'s limit " + unit_words + ", e.g. " + suggestion +
                      ", or off");
  }
  value.remove_suffix(unit.size());
  int sign = 0;
  if (!value.empty() && (value.front() == '+' || value.front() == '-')) {
    sign = value.front() == '+' ? 1 : -1;
    value.remove_prefix(1);
  }
  if (sign != 0 && sign != worse_direction(*metric)) {
    return core::fail(quoted + ": " + metric_text + " gets worse when it " +
                      (rises_worse ? "rises" : "falls") + ": give how far it may " +
                      (rises_worse ? "rise" : "fall") + ", e.g. " + example);
  }
  double number = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || !std::isfinite(number) ||
      number < 0) {
    return core::fail(quoted + ": '" + std::string(value) + "' is not a number of " + unit + " (e.g. " +
                      example + ")");
  }
  limits.of(*metric) = number;
  return {};
}

}  // namespace

Limits default_limits() {
  Limits limits;
  limits.of(Metric::kP50) = 10;
  limits.of(Metric::kP95) = 10;
  limits.of(Metric::kP99) = 15;
  limits.of(Metric::kErrorRate) = 0.5;
  limits.of(Metric::kThroughput) = 5;
  return limits;
}

core::Result<Limits> parse_limits(const std::vector<std::string>& texts) {
  Limits limits = default_limits();
  for (const std::string& text : texts) {
    std::string_view rest = text;
    while (true) {
      const size_t comma = rest.find(',');
      if (auto applied = apply_item(trim(rest.substr(0, comma)), limits); !applied)
        return core::fail(applied.error().message);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return limits;
}

std::string limit_text(Metric metric, double max_change) {
  return fmt::format("{}{:g}{}", worse_direction(metric) > 0 ? "+" : "-", max_change, delta_unit(metric));
}

}  // namespace surge::compare
