// The `segment` and `partial` keys of a segment run's results.json, written and read back. Reading is input
// from the user (files from other machines), so every key is checked and nlohmann's exceptions stop here.
#include "merge/partial.h"

#include "metrics/hdr_log.h"
#include "metrics/snapshot.h"

namespace surge::merge {
namespace {

using nlohmann::json;

json shape_of(const results::RunResult& result) {
  json phases = json::array(), steps = json::array(), groups = json::array(), checks = json::array(),
       metrics = json::array();
  for (const results::PhaseInfo& phase : result.phases) {
    phases.push_back({{"name", phase.name},
                      {"model", phase.model},
                      {"planned_duration_s", phase.planned_duration_s},
                      {"stable_s", phase.stable_s}});
  }
  for (const results::StepName& step : result.steps) {
    steps.push_back({{"scenario", step.scenario},
                     {"name", step.name},
                     {"is_request", step.is_request},
                     {"group", step.group},
                     {"is_round_trip", step.is_round_trip}});
  }
  for (const results::GroupName& group : result.groups) {
    groups.push_back({{"scenario", group.scenario}, {"name", group.name}, {"path", group.path}});
  }
  for (const results::CheckName& check : result.checks)
    checks.push_back({{"step", check.step}, {"name", check.name}});
  for (const results::CustomMetricName& metric : result.custom_metrics) {
    metrics.push_back({{"name", metric.name}, {"kind", metric.kind}});
  }
  return {{"phases", phases}, {"steps", steps}, {"groups", groups}, {"checks", checks}, {"metrics", metrics}};
}

// A compiled SLA as bound to this plan's grid: the expression text (parsed again on reading) and the binding,
// so merge judges exactly what the run would have without the plan file.
json sla_of(const sla::Sla& sla) {
  json entry = {{"expr", sla.expression.text},
                {"metric", static_cast<int>(sla.metric)},
                {"custom_metric", sla.custom_metric},
                {"phases", sla.scope.phases},
                {"steps", sla.scope.steps},
                {"groups", sla.scope.groups},
                {"names_phase", sla.scope.names_phase},
                {"abort_on_fail", sla.abort_on_fail},
                {"delay_ns", sla.delay_ns}};
  if (sla.window_s) entry["window_s"] = *sla.window_s;
  return entry;
}

void read_shape(const json& shape, results::RunResult& result) {
  for (const json& phase : shape.at("phases")) {
    results::PhaseInfo info;
    info.name = phase.at("name").get<std::string>();
    info.model = phase.at("model").get<std::string>();
    info.planned_duration_s = phase.at("planned_duration_s").get<double>();
    info.stable_s = phase.value("stable_s", 5.0);
    result.phases.push_back(info);
  }
  for (const json& step : shape.at("steps")) {
    result.steps.push_back({step.at("scenario").get<std::string>(), step.at("name").get<std::string>(),
                            step.at("is_request").get<bool>(), step.at("group").get<std::string>(),
                            step.at("is_round_trip").get<bool>()});
  }
  for (const json& group : shape.at("groups")) {
    result.groups.push_back({group.at("scenario").get<std::string>(), group.at("name").get<std::string>(),
                             group.at("path").get<std::string>()});
  }
  for (const json& check : shape.at("checks")) {
    const size_t step = check.at("step").get<size_t>();
    if (step >= result.steps.size()) throw std::out_of_range("partial.shape.checks: step out of range");
    result.checks.push_back({step, check.at("name").get<std::string>()});
  }
  for (const json& metric : shape.at("metrics")) {
    result.custom_metrics.push_back(
        {metric.at("name").get<std::string>(), metric.at("kind").get<std::string>()});
  }
}

template <typename T>
void check_indices(const std::vector<T>& indices, size_t bound, const char* what) {
  for (T index : indices) {
    if (index >= bound) throw std::out_of_range(std::string("partial.slas: ") + what + " index out of range");
  }
}

core::Result<sla::Sla> read_sla(const json& entry, const results::RunResult& shape) {
  const std::string text = entry.at("expr").get<std::string>();
  auto expression = sla::parse_expression(text);
  if (!expression)
    return core::fail("partial.slas: '" + text + "' does not parse: " + expression.error().message);
  sla::Sla sla;
  sla.expression = std::move(expression).value();
  const int metric = entry.at("metric").get<int>();
  if (metric < 0 || metric > static_cast<int>(sla::kLastMetric)) {
    return core::fail("partial.slas: '" + text + "' has an unknown metric " + std::to_string(metric));
  }
  sla.metric = static_cast<sla::Metric>(metric);
  sla.custom_metric = entry.at("custom_metric").get<size_t>();
  sla.scope.phases = entry.at("phases").get<std::vector<size_t>>();
  sla.scope.steps = entry.at("steps").get<std::vector<size_t>>();
  sla.scope.groups = entry.value("groups", std::vector<size_t>{});
  sla.scope.names_phase = entry.at("names_phase").get<bool>();
  sla.abort_on_fail = entry.at("abort_on_fail").get<bool>();
  sla.delay_ns = entry.at("delay_ns").get<int64_t>();
  if (entry.contains("window_s")) sla.window_s = entry.at("window_s").get<uint32_t>();
  check_indices(sla.scope.phases, shape.phases.size(), "phase");
  check_indices(sla.scope.steps, shape.steps.size(), "step");
  check_indices(sla.scope.groups, shape.groups.size(), "group");
  const bool is_custom = sla.metric == sla::Metric::kCustomRate ||
                         sla.metric == sla::Metric::kCustomCounter || sla.metric == sla::Metric::kCustomTrend;
  if (is_custom && sla.custom_metric >= shape.custom_metrics.size()) {
    return core::fail("partial.slas: '" + text + "' names a custom metric the plan does not have");
  }
  return sla;
}

// The run's own facts, from the usual results.json keys (docs/results.md).
void read_run_facts(const json& document, results::RunResult& result) {
  result.plan_name = document.at("plan").get<std::string>();
  result.target = document.at("target_url").get<std::string>();
  result.mode = document.at("mode").get<std::string>();
  result.duration_s = document.at("duration_s").get<double>();
  result.started_at_unix_ms = document.at("started_at_unix_ms").get<int64_t>();
  result.interrupted = document.at("interrupted").get<bool>();
  if (document.contains("interrupted_at_s"))
    result.interrupted_at_s = document.at("interrupted_at_s").get<double>();
  if (document.contains("stop_reason")) result.stop_reason = document.at("stop_reason").get<std::string>();
  result.generator_cpu_s = document.at("generator").at("cpu_s").get<double>();
  result.generator_peak_rss_bytes = document.at("generator").at("peak_rss_bytes").get<uint64_t>();
  for (const json& worker : document.at("workers")) {
    result.workers.push_back({worker.at("pid").get<int>(), worker.at("exit_code").get<int>(),
                              worker.contains("signal") ? worker.at("signal").get<int>() : 0});
  }
}

}  // namespace

void PartialRecorder::on_second(const CompletedSecond& second) {
  metrics::Snapshot snapshot(second.grid.phase_count(), second.grid.step_count());
  snapshot.sequence = second.row.second;
  snapshot.phase = second.phase;
  snapshot.active_users = second.row.active_users;
  snapshot.open_connections = second.row.open_connections;
  snapshot.max_open_connections = second.max_open_connections;
  snapshot.grid = second.grid;
  std::string frame;
  metrics::encode_frame(snapshot, frame);
  seconds_.push_back(frame.substr(4));  // the body: merge sets worker and is_final itself
}

std::string PartialRecorder::keys(const results::RunResult& result, const std::vector<sla::Sla>& slas,
                                  uint64_t max_requests) const {
  json sla_entries = json::array(), seconds = json::array();
  for (const sla::Sla& sla : slas) sla_entries.push_back(sla_of(sla));
  for (const std::string& body : seconds_) seconds.push_back(metrics::base64_encode(body));
  json keys;
  keys["segment"] = {{"index", run_.segment.index}, {"count", run_.segment.count}};
  keys["partial"] = {{"format", kPartialFormat},     {"plan_hash", run_.plan_hash},
                     {"max_requests", max_requests}, {"shape", shape_of(result)},
                     {"slas", sla_entries},          {"seconds", seconds}};
  return keys.dump();
}

core::Result<Part> read_part(const json& document, const std::string& path) {
  const std::string where = "'" + path + "'";
  if (!document.is_object() || !document.contains("partial") || !document.contains("segment")) {
    return core::fail(where +
                      " is not a partial results.json (no \"partial\" and \"segment\" keys): write "
                      "parts with surge run --segment I/N --out json=FILE");
  }
  Part part;
  part.path = path;
  try {
    const json& partial = document.at("partial");
    const int format = partial.at("format").get<int>();
    if (format != kPartialFormat) {
      return core::fail(where + " has partial format " + std::to_string(format) +
                        "; this surge reads format " + std::to_string(kPartialFormat));
    }
    part.index = document.at("segment").at("index").get<uint32_t>();
    part.count = document.at("segment").at("count").get<uint32_t>();
    if (part.count == 0 || part.index >= part.count) {
      return core::fail(where + " has segment " + std::to_string(part.index) + "/" +
                        std::to_string(part.count) + ": expected an index below the count");
    }
    part.plan_hash = partial.at("plan_hash").get<std::string>();
    part.max_requests = partial.at("max_requests").get<uint64_t>();
    read_shape(partial.at("shape"), part.result);
    read_run_facts(document, part.result);
    for (const json& entry : partial.at("slas")) {
      auto sla = read_sla(entry, part.result);
      if (!sla) return core::fail(where + ": " + sla.error().message);
      part.slas.push_back(std::move(sla).value());
    }
    for (const json& second : partial.at("seconds")) {
      auto body = metrics::base64_decode(second.get<std::string>());
      if (!body) return core::fail(where + ": partial.seconds: " + body.error().message);
      part.seconds.push_back(std::move(body).value());
    }
  } catch (const json::exception& e) {
    return core::fail(where + " is not a valid partial results.json: " + e.what());
  } catch (const std::out_of_range& e) {
    return core::fail(where + " is not a valid partial results.json: " + e.what());
  }
  if (part.result.phases.empty())
    return core::fail(where + " is not a valid partial results.json: no phases");
  return part;
}

}  // namespace surge::merge
