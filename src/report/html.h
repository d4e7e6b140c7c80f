// The html output: one self-contained page (no network) with the run header, SLA table, phase and step
// tables, charts over time and the latency percentile distribution, drawn as inline SVG by embedded JS.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.h"
#include "report/results_document.h"

namespace surge::report {

// Fills the page template (src/report/assets/, compiled in) with results.json as JSON in a
// <script type="application/json" id="surge-data"> tag: the document without its base64 histograms and
// per-second step rows, plus `distribution` [{percentile, latency_ms}] computed from the whole-run
// `latency_hdr` (empty when it is absent; the page then plots the latency_ms percentiles).
core::Result<void> render_html(const ResultsDocument& results, OutputSink& out);

// Text made safe between HTML tags and inside quoted attributes: & < > " ' as character references.
std::string html_escape(std::string_view text);

// JSON text made safe inside a <script> element: every '<' (only ever inside a string) becomes \u003c, so
// no "</script" or "<!--" can end or change the element.
std::string script_safe_json(std::string_view json_text);

}  // namespace surge::report
