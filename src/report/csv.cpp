// CSV rendering of results.json `timeseries[]`: a fixed header (every error kind gets a column, so files from
// different runs line up) and RFC 4180 quoting for the names that come from the plan.
#include "report/csv.h"

#include <vector>

#include "metrics/error_kind.h"
#include "report/results_fields.h"

namespace surge::report {
namespace {

using nlohmann::json;

// The figures a run row and a step row share: counts, errors by kind, rate and latency.
void append_figures(std::vector<std::string>& fields, const json& entry, double length_s) {
  const uint64_t requests = entry.at("requests").get<uint64_t>();
  fields.push_back(std::to_string(requests));
  fields.push_back(number_text(entry.at("ok")));
  fields.push_back(number_text(entry.at("errors")));
  const json& by_error = entry.at("by_error");
  for (std::string_view kind : metrics::kErrorKindNames) {
    auto count = by_error.find(std::string(kind));
    fields.push_back(count == by_error.end() ? "0" : number_text(*count));
  }
  fields.push_back(number_text(json(static_cast<double>(requests) / length_s)));
  auto latency = entry.find("latency_ms");
  for (const char* key : {"p50", "p90", "p95", "p99", "max"}) {
    if (latency == entry.end() || !latency->contains(key)) {
      fields.emplace_back();
    } else {
      fields.push_back(number_text(latency->at(key)));
    }
  }
}

void append_row(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(fields[i]);
  }
  out += '\n';
}

std::string header() {
  std::vector<std::string> names = {
      "t_s",      "phase", "scope", "scenario", "step", "active_users", "open_connections",
      "requests", "ok",    "errors"};
  for (std::string_view kind : metrics::kErrorKindNames) names.push_back("errors_" + std::string(kind));
  for (const char* name : {"throughput_rps", "p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms",
                           "target_cpu_percent", "target_rss_bytes"}) {
    names.emplace_back(name);
  }
  std::string out;
  append_row(out, names);
  return out;
}

void append_second(std::string& out, const json& results, const json& second) {
  const uint64_t t_s = second.at("t_s").get<uint64_t>();
  const double length_s = second_length_s(results, t_s);
  const std::string t_text = std::to_string(t_s);
  const std::string phase = second.at("phase").get<std::string>();

  std::vector<std::string> run = {t_text,
                                  phase,
                                  "run",
                                  "",
                                  "",
                                  number_text(second.at("active_users")),
                                  number_text(second.at("open_connections"))};
  append_figures(run, second, length_s);
  auto target = second.find("target");
  if (target == second.end()) {
    run.insert(run.end(), 2, "");
  } else {
    run.push_back(number_text(target->at("cpu_percent")));
    run.push_back(number_text(target->at("rss_bytes")));
  }
  append_row(out, run);

  auto steps = second.find("steps");
  if (steps == second.end()) return;
  for (const json& step : *steps) {
    std::vector<std::string> row = {
        t_text, phase, "step", step.at("scenario").get<std::string>(), step.at("name").get<std::string>(),
        "",     ""};
    append_figures(row, step, length_s);
    row.insert(row.end(), 2, "");  // the target's resources belong to the second, not to a step
    append_row(out, row);
  }
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

core::Result<void> render_csv(const ResultsDocument& results, OutputSink& out) {
  return guard_json("csv", [&]() -> core::Result<void> {
    out.write(header());
    std::string lines;
    return each_second("csv", results, [&](const json& second) -> core::Result<void> {
      lines.clear();
      append_second(lines, results.head(), second);
      out.write(lines);
      return {};
    });
  });
}

}  // namespace surge::report
