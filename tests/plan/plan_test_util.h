// Shared by the plan tests: load YAML text and get its diagnostics as printed lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace surge::plan {

// Every diagnostic of the plan as "p.yaml:line:column: message"; empty if the plan loaded.
inline std::vector<std::string> diagnostics_of(std::string_view yaml) {
  auto plan = load_plan_string(yaml, "p.yaml");
  if (plan) return {};
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : plan.error()) lines.push_back(diagnostic.to_string());
  return lines;
}

using Lines = std::vector<std::string>;

}  // namespace surge::plan
