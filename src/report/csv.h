// The csv output: the run's time series as a table a spreadsheet or pandas reads directly.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "report/results_document.h"

namespace surge::report {

// One row per second of results.json `timeseries[]` with scope "run" (their requests add up to the run's
// total), each followed by one row with scope "step" per step that ended a request in that second. Columns
// (docs/reports.md): t_s, phase, scope, scenario, step, active_users, open_connections, requests, ok,
// errors, errors_<kind> for every error kind, throughput_rps, p50_ms, p90_ms, p95_ms, p99_ms, max_ms,
// target_cpu_percent, target_rss_bytes. A figure that was not measured is an empty field. Lines end in LF.
core::Result<void> render_csv(const ResultsDocument& results, OutputSink& out);

// RFC 4180: the text as is, or in double quotes with each quote doubled when it holds a comma, a quote, CR
// or LF.
std::string csv_field(std::string_view text);

}  // namespace surge::report
