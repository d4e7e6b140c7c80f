// Reading results.json for `surge report` without holding its time series whole: a day-long run's file holds
// 86,400 rows (hundreds of MB), and one JSON tree of them took 27 kB of memory per row. The head (every key
// but `timeseries`) is read once; the rows are read from the file again, one at a time, for each output.
#pragma once

#include <string>

#include "core/result.h"
#include "report/results_document.h"

namespace surge::cli {

// The document, or a one-line reason naming the file: unreadable, or not JSON (with nlohmann's line and
// column). The rows are read again from path on every pass, so the file must stay as it is until the
// outputs are written.
core::Result<report::ResultsDocument> read_results_file(const std::string& path);

}  // namespace surge::cli
