// The files a run writes (--out KIND=FILE). Each is written whole to a temporary file and renamed, so a crash
// or a full disk never leaves half a file behind.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "report/results_document.h"
#include "results/run_result.h"

namespace surge::report {

struct OutputRequest {
  std::string kind;  // json, csv, html, hlog, junit (output_kinds())
  std::string path;
};

// The kinds this build writes, comma-separated: "json, csv, html, hlog".
std::string output_kinds();

// Parses "json=results.json"; the kinds this build can write are listed in the error.
core::Result<OutputRequest> parse_output_request(std::string_view text);

// Renders one kind from a results.json document: every output is a pure function of it.
core::Result<void> render_output(std::string_view kind, const ResultsDocument& results, OutputSink& out);
// The same into a string, from a document held whole (surge report's, tests').
core::Result<std::string> render_output(std::string_view kind, const nlohmann::json& results);

// Renders and writes every requested output from the document; each failure's reason goes to stderr.
// Returns false when any could not be written (the others are still written).
bool write_output_files(const ResultsDocument& results, const std::vector<OutputRequest>& outputs);

// Writes every requested output from the run's results.json: its head built once, its time series rows made
// one at a time for each output, so memory stays flat however long the run was. Returns 0, or 1 when one
// could not be written (the reasons on stderr, and results.json printed to stdout so the run's figures are
// not lost).
int write_outputs(const results::RunResult& result, const std::vector<OutputRequest>& outputs);

// Writes what produce sends to its sink into a temporary file, then fsyncs and renames it to path; when
// produce or a write fails, the temporary file is removed and path is left as it was.
core::Result<void> write_file_atomically(const std::string& path,
                                         const std::function<core::Result<void>(OutputSink&)>& produce);

}  // namespace surge::report
