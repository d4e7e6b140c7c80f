// `surge merge`: N partial results.json of one plan (segments 0/N .. N-1/N, each from `surge run --segment`)
// become one run's result, as exact as one run with all their workers: counters add, histograms add bucket
// by bucket, every second adds across the parts, and the SLAs are judged again on the sums.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "merge/partial.h"
#include "report/outputs.h"
#include "results/run_result.h"

namespace surge::merge {

// Checks that the parts are every segment of one plan exactly once. Errors, one line each: parts of
// different plans (their hashes differ), different segment counts, a segment given twice (both files named),
// segments missing (listed).
core::Result<void> check_parts(const std::vector<Part>& parts);

// The merged run, with its SLAs judged and its exit code decided. The parts must have passed check_parts.
// Errors only when a part's seconds do not decode (a corrupt file, named).
core::Result<results::RunResult> merge_parts(const std::vector<Part>& parts);

// Merges, prints the summary on stdout and writes the outputs; returns the exit code a run of the whole plan
// would have had (0, 1, 99), or 2 (results::kExitUsage) when the parts do not fit together or do not decode.
int merge_and_report(const std::vector<Part>& parts, const std::vector<report::OutputRequest>& outputs);

}  // namespace surge::merge
