// Reading a results.json (a run's, or `surge merge`'s) into the figures surge compare judges: the head for
// each scope's counts and histogram, one pass over the time series for the per-second figures.
#pragma once

#include <string>

#include "compare/run_figures.h"
#include "core/result.h"
#include "report/results_document.h"

namespace surge::compare {

// The figures of the document read from source (the path, used in messages). Errors are one line naming
// the file: "'x.json' is not a surge results.json: <why>", or, for one segment's part of a distributed run,
// "'x.json' is segment 1/4 of a run: merge the parts with `surge merge` and compare its results".
core::Result<RunFigures> read_run_figures(const report::ResultsDocument& document, const std::string& source);

}  // namespace surge::compare
