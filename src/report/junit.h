// The JUnit XML report (--out junit=FILE): one testsuite "surge SLAs" with one testcase per SLA, a <failure>
// carrying actual vs threshold for each failed one, so CI systems show SLAs as tests.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "report/results_document.h"
#include "results/run_result.h"

namespace surge::report {

// Renders from a results.json document alone (its `sla[]`, `plan`, `duration_s`, `started_at_unix_ms`), so
// `surge report results.json --out junit=F` rebuilds it exactly. A document without `sla` has no testcase.
core::Result<void> render_junit(const ResultsDocument& results, OutputSink& out);

// One results.json `sla[]` entry back into the outcome it was written from.
results::SlaOutcome sla_outcome_from_json(const nlohmann::json& entry);

}  // namespace surge::report
