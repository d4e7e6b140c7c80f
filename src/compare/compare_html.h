// The HTML page of a comparison (--out html=FILE): self-contained like the HTML report, with each scope's
// metric table and its base and new latency distributions overlaid, drawn as inline SVG by embedded JS.
#pragma once

#include <string>

#include "compare/comparison.h"

namespace surge::compare {

// The page template (src/compare/assets/, compiled in) with to_compare_json(comparison, true) as
// script-safe JSON in <script type="application/json" id="surge-compare-data">.
std::string render_compare_html(const Comparison& comparison);

}  // namespace surge::compare
