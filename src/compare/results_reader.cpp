// read_run_figures: the head gives each scope's counts and whole histogram; the rows give, for each second,
// the run's and its phase's figures (from the second's latency_hdr) and each step's (from its latency_ms),
// added to their per-second values one row at a time.
#include "compare/results_reader.h"

#include <algorithm>
#include <string_view>

#include "compare/noise.h"
#include "core/clock.h"
#include "metrics/hdr_log.h"
#include "report/results_fields.h"

namespace surge::compare {
namespace {

using nlohmann::json;

double ms(int64_t ns) { return static_cast<double>(ns) / static_cast<double>(core::kNsPerMs); }

// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string json_reason(const json::exception& e) {
  std::string reason = e.what();
  if (reason.rfind("[json.exception.", 0) == 0) {
    if (size_t end = reason.find("] "); end != std::string::npos) reason.erase(0, end + 2);
  }
  return reason;
}

core::Result<ScopeFigures> read_scope(const json& block, ScopeFigures scope) {
  const json& requests = block.at("requests");
  scope.requests = requests.at("total").get<uint64_t>();
  scope.errors = requests.at("errors").get<uint64_t>();
  scope.throughput_rps = block.at("throughput_rps").get<double>();
  if (auto latency = block.find("latency_ms"); latency != block.end()) {
    scope.latency_min_ms = latency->at("min").get<double>();
    scope.latency_max_ms = latency->at("max").get<double>();
  }
  if (auto encoded = block.find("latency_hdr"); encoded != block.end()) {
    auto histogram = metrics::decode_hdr_base64(encoded->get<std::string>());
    if (!histogram)
      return core::fail("latency_hdr of " + scope_label(scope) + ": " + histogram.error().message);
    scope.latency = std::move(histogram).value();
    scope.has_latency_histogram = true;
  }
  return scope;
}

// A second's percentiles from its whole histogram, kept within its exact max as the run keeps them; from
// latency_ms (p50 to p99) for a row without one.
core::Result<std::array<std::optional<double>, kPercentileCount>> row_percentiles(const json& row) {
  std::array<std::optional<double>, kPercentileCount> out;
  const auto latency = row.find("latency_ms");
  if (auto encoded = row.find("latency_hdr"); encoded != row.end()) {
    auto histogram = metrics::decode_hdr_base64(encoded->get<std::string>());
    if (!histogram)
      return core::fail("latency_hdr of second " + row.at("t_s").dump() + ": " + histogram.error().message);
    if (histogram->empty()) return out;
    double highest = ms(histogram->max());
    if (latency != row.end()) highest = latency->at("max").get<double>();
    for (Metric metric : kMetrics) {
      if (!is_latency(metric)) continue;
      out[percentile_index(metric)] =
          std::min(ms(histogram->value_at_percentile(percentile_of(metric))), highest);
    }
    return out;
  }
  if (latency == row.end()) return out;
  for (Metric metric : kMetrics) {
    if (is_latency(metric) && latency->contains(metric_name(metric)))
      out[percentile_index(metric)] = latency->at(metric_name(metric)).get<double>();
  }
  return out;
}

// Adds one row to the run, its phase and every step (a step the row does not list ended nothing that second).
core::Result<void> add_row(const json& head, const json& row, RunFigures& figures) {
  SecondFigures second;
  second.t_s = row.at("t_s").get<uint64_t>();
  second.length_s = report::second_length_s(head, second.t_s);
  second.requests = row.at("requests").get<uint64_t>();
  second.errors = row.at("errors").get<uint64_t>();
  auto latency = row_percentiles(row);
  if (!latency) return core::fail(latency.error().message);
  second.latency_ms = *latency;
  add_second(figures.run, second);
  const std::string phase = row.value("phase", std::string());
  for (ScopeFigures& scope : figures.phases) {
    if (scope.name != phase) continue;
    add_second(scope, second);
    break;
  }
  std::vector<SecondFigures> steps(figures.steps.size(), SecondFigures{second.t_s, second.length_s});
  for (const json& entry : row.value("steps", json::array())) {
    // Rows name a step by scenario and name only: the first step of that name takes it.
    const std::string scenario = entry.at("scenario").get<std::string>(),
                      name = entry.at("name").get<std::string>();
    auto step = std::find_if(figures.steps.begin(), figures.steps.end(),
                             [&](const ScopeFigures& s) { return s.scenario == scenario && s.name == name; });
    if (step == figures.steps.end()) continue;
    SecondFigures& own = steps[static_cast<size_t>(step - figures.steps.begin())];
    own.requests = entry.at("requests").get<uint64_t>();
    own.errors = entry.at("errors").get<uint64_t>();
    auto step_latency = row_percentiles(entry);
    if (!step_latency) return core::fail(step_latency.error().message);
    own.latency_ms = *step_latency;
  }
  for (size_t i = 0; i < steps.size(); ++i) add_second(figures.steps[i], steps[i]);
  return {};
}

core::Result<RunFigures> read_head(const json& head) {
  RunFigures figures;
  figures.plan = head.at("plan").get<std::string>();
  figures.surge_version = head.at("surge_version").get<std::string>();
  figures.started_at_unix_ms = head.value("started_at_unix_ms", int64_t{0});
  figures.duration_s = head.at("duration_s").get<double>();
  if (auto reason = head.find("stop_reason"); reason != head.end()) {
    figures.incomplete = "stopped early: " + reason->get<std::string>();
  } else if (head.value("interrupted", false)) {
    figures.incomplete =
        "interrupted at " + head.value("interrupted_at_s", json(figures.duration_s)).dump() + " s";
  }
  auto run = read_scope(head, ScopeFigures{ScopeKind::kRun, "", "", "run"});
  if (!run) return core::fail(run.error().message);
  figures.run = std::move(run).value();
  for (const json& phase : head.at("phases")) {
    auto scope =
        read_scope(phase, ScopeFigures{ScopeKind::kPhase, "", "", phase.at("name").get<std::string>()});
    if (!scope) return core::fail(scope.error().message);
    figures.phases.push_back(std::move(scope).value());
  }
  for (const json& step : head.at("steps")) {
    auto scope = read_scope(
        step, ScopeFigures{ScopeKind::kStep, step.at("scenario").get<std::string>(),
                           step.value("group", std::string()), step.at("name").get<std::string>()});
    if (!scope) return core::fail(scope.error().message);
    figures.steps.push_back(std::move(scope).value());
  }
  return figures;
}

}  // namespace

core::Result<RunFigures> read_run_figures(const report::ResultsDocument& document,
                                          const std::string& source) {
  const auto not_results = [&](const std::string& why) {
    return core::fail("'" + source + "' is not a surge results.json: " + why);
  };
  const json& head = document.head();
  if (!head.is_object()) return not_results("expected a JSON object");
  if (!head.contains("surge_version")) return not_results("it has no surge_version");
  if (auto segment = head.find("segment"); segment != head.end() && head.contains("partial")) {
    return core::fail("'" + source + "' is segment " + segment->value("index", json()).dump() + "/" +
                      segment->value("count", json()).dump() +
                      " of a run: merge the parts with `surge merge` and compare its results");
  }
  if (!document.has_timeseries()) return not_results("it has no timeseries[]");
  try {
    auto figures = read_head(head);
    if (!figures) return not_results(figures.error().message);
    figures->source = source;
    auto rows = document.each_second([&](const json& row) -> core::Result<void> {
      try {
        return add_row(head, row, *figures);
      } catch (const json::exception& e) {
        return core::fail("timeseries[]: " + json_reason(e));
      }
    });
    if (!rows) return not_results(rows.error().message);
    return figures;
  } catch (const json::exception& e) {
    return not_results(json_reason(e));
  }
}

}  // namespace surge::compare
