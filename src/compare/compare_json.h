// compare.json (--out json=FILE): the comparison as data, for scripts and for the HTML page. The keys are
// listed in docs/compare.md.
#pragma once

#include <nlohmann/json.hpp>

#include "compare/comparison.h"

namespace surge::compare {

// {surge_version, result, regressed, within_noise, base, new, limits, notes, scopes[]}; a figure that does
// not exist is null. with_distributions adds each scope's `distribution` {base, new} of
// {percentile, latency_ms} points (the HTML page draws them; the file leaves them out).
nlohmann::json to_compare_json(const Comparison& comparison, bool with_distributions = false);

}  // namespace surge::compare
