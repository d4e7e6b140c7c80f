// The JUnit XML of a comparison (--out junit=FILE), for CI: one testsuite per scope (the run, each phase,
// each step) and one testcase per compared metric. A regression is a <failure>; a metric without a limit or
// without data is <skipped>; one within noise passes, and says so in its <system-out>.
#pragma once

#include <string>

#include "compare/comparison.h"

namespace surge::compare {

std::string render_compare_junit(const Comparison& comparison);

}  // namespace surge::compare
