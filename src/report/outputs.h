// The files a run writes (--out KIND=FILE). Each is written whole to a temporary file and renamed, so a crash
// or a full disk never leaves half a file behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "report/run_result.h"

namespace surge::report {

struct OutputRequest {
  std::string kind;  // json
  std::string path;
};

// Parses "json=results.json"; the kinds this build can write are listed in the error.
core::Result<OutputRequest> parse_output_request(std::string_view text);

// Writes every requested output; returns 0, or 1 when one could not be written (the reason on stderr, and
// results.json printed to stdout instead so the run's figures are not lost).
int write_outputs(const RunResult& result, const std::vector<OutputRequest>& outputs);

core::Result<void> write_file_atomically(const std::string& path, std::string_view content);

}  // namespace surge::report
