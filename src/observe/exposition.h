// Renders the Prometheus text exposition format 0.0.4 (what /metrics serves) from a LiveView and the run's
// cumulative StatsGrid. Counters only grow because the grid only grows; names and labels: docs/prometheus.md.
#pragma once

#include <string>
#include <string_view>

#include "metrics/request_stats.h"
#include "observe/live_view.h"

namespace surge::observe {

// The `Content-Type` of what render_exposition writes.
inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// Appends the whole exposition to out. totals has one row per view.shape.phases entry and one column per
// view.shape.steps entry. Families without samples (SLAs, target) are left out, HELP and TYPE lines included.
void render_exposition(const LiveView& view, const metrics::StatsGrid& totals, std::string& out);

// Appends value escaped for a label value: backslash, double quote and line feed (the format's only escapes).
void append_label_value(std::string& out, std::string_view value);

// True for the error kinds that end a request without an HTTP response (refused, connect, address, reset,
// timeout, eof, parse): their requests are counted under status="<kind name>". 4xx, 5xx and failed checks
// came with a response, and its status code is their label.
bool ends_without_response(metrics::ErrorKind kind);

}  // namespace surge::observe
