// The terminal table surge compare prints: one block per scope, one line per metric, then the verdict.
#pragma once

#include <string>

#include "compare/comparison.h"

namespace surge::compare {

// The whole text, ending with "result: pass" or "result: regressed (N metrics)" and a line per regression.
std::string render_table(const Comparison& comparison);

}  // namespace surge::compare
