// Prints plan diagnostics the same way for `run` and `validate`: one "file:line:column: message" per line.
#pragma once

#include <cstdio>
#include <vector>

#include "plan/plan.h"
#include "results/exit_code.h"

namespace surge::cli {

// Returns kExitUsage (2), the exit code of an invalid plan.
inline int print_plan_diagnostics(const std::vector<plan::Diagnostic>& diagnostics) {
  for (const plan::Diagnostic& diagnostic : diagnostics) std::fprintf(stderr, "%s\n", diagnostic.to_string().c_str());
  return results::kExitUsage;
}

}  // namespace surge::cli
