// Whether two results.json come from the same plan, which is what makes their figures comparable scope by
// scope; and, when not, which steps and phases the two have in common and which they do not.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compare/run_figures.h"

namespace surge::compare {

struct PlanMismatch {
  std::string base_plan, candidate_plan;  // the plans' names
  // Labels as scope_label writes them without the "step " prefix ("browse / home"), in each file's order.
  std::vector<std::string> steps_in_both, steps_only_in_base, steps_only_in_candidate;
  std::vector<std::string> base_steps_order, candidate_steps_order;  // every step, in each file's order
  std::vector<std::string> base_phases, candidate_phases;            // the phase names, when they differ
};

// nullopt when both ran the same plan: the same plan name, the same phases and the same steps, each in the
// same order (a scope is matched by its place and its name). Otherwise what differs.
std::optional<PlanMismatch> find_plan_mismatch(const RunFigures& base, const RunFigures& candidate);

// Lines for the user, the first one the verdict:
//   'new.json' ran another plan than 'base.json': plan 'checkout' vs 'shop'
//     steps in both: browse / home
//     steps only in 'base.json': browse / cart
//     steps only in 'new.json': api / users
//     phases: 'base.json' has warm, steady; 'new.json' has steady
// (a line only when it has something to say).
std::string describe_plan_mismatch(const PlanMismatch& mismatch, const std::string& base_source,
                                   const std::string& candidate_source);

}  // namespace surge::compare
