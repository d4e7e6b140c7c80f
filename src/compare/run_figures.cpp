// How a scope is named in every output of surge compare.
#include "compare/run_figures.h"

namespace surge::compare {

std::string scope_label(const ScopeFigures& scope) {
  switch (scope.kind) {
    case ScopeKind::kRun:
      return "run";
    case ScopeKind::kPhase:
      return "phase " + scope.name;
    case ScopeKind::kStep:
      return "step " + scope.scenario + " / " + (scope.group.empty() ? "" : scope.group + " / ") + scope.name;
  }
  return "";
}

}  // namespace surge::compare
