// The hlog output: HdrHistogram's interval log (format 1.3) of the run's latency, one interval per second,
// for HistogramLogProcessor, HistogramLogAnalyzer, hdr-histogram-js and HdrHistogram_c's log reader.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "report/results_document.h"

namespace surge::report {

// Built from results.json: the start time from started_at_unix_ms (also the BaseTime, so each line's start
// is seconds since the run began), then one line per `timeseries[]` entry: start offset, interval length,
// the second's max latency in ms (the Java writer's ns / 1e6) and its `latency_hdr` (V2 compressed, base64).
// Values in the histograms are nanoseconds. An entry without `latency_hdr` is an error.
core::Result<void> render_hlog(const ResultsDocument& results, OutputSink& out);

}  // namespace surge::report
