// Matching two runs' plans by name, phases and steps; on a mismatch, the steps in common and apart (as
// multisets, so two steps of the same name are two entries).
#include "compare/plan_match.h"

#include <algorithm>

namespace surge::compare {
namespace {

std::string step_key(const ScopeFigures& step) { return scope_label(step).substr(5); }  // without "step "

std::vector<std::string> step_keys(const RunFigures& run) {
  std::vector<std::string> keys;
  for (const ScopeFigures& step : run.steps) keys.push_back(step_key(step));
  return keys;
}

std::vector<std::string> phase_names(const RunFigures& run) {
  std::vector<std::string> names;
  for (const ScopeFigures& phase : run.phases) names.push_back(phase.name);
  return names;
}

// The entries of keys that other has too, each taken once from other; and those it does not.
void split(const std::vector<std::string>& keys, std::vector<std::string> other,
           std::vector<std::string>& both, std::vector<std::string>& only) {
  for (const std::string& key : keys) {
    auto found = std::find(other.begin(), other.end(), key);
    if (found == other.end()) {
      only.push_back(key);
    } else {
      both.push_back(key);
      other.erase(found);
    }
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "(none)" : out;
}

}  // namespace

std::optional<PlanMismatch> find_plan_mismatch(const RunFigures& base, const RunFigures& candidate) {
  const std::vector<std::string> base_steps = step_keys(base), candidate_steps = step_keys(candidate);
  const std::vector<std::string> base_phases = phase_names(base), candidate_phases = phase_names(candidate);
  if (base.plan == candidate.plan && base_steps == candidate_steps && base_phases == candidate_phases)
    return std::nullopt;
  PlanMismatch mismatch;
  mismatch.base_plan = base.plan;
  mismatch.candidate_plan = candidate.plan;
  std::vector<std::string> unused;
  split(base_steps, candidate_steps, mismatch.steps_in_both, mismatch.steps_only_in_base);
  split(candidate_steps, base_steps, unused, mismatch.steps_only_in_candidate);
  mismatch.base_steps_order = base_steps;
  mismatch.candidate_steps_order = candidate_steps;
  if (base_phases != candidate_phases) {
    mismatch.base_phases = base_phases;
    mismatch.candidate_phases = candidate_phases;
  }
  return mismatch;
}

std::string describe_plan_mismatch(const PlanMismatch& mismatch, const std::string& base_source,
                                   const std::string& candidate_source) {
  const std::string base = "'" + base_source + "'", candidate = "'" + candidate_source + "'";
  std::string out = candidate + " ran another plan than " + base;
  out += mismatch.base_plan == mismatch.candidate_plan
             ? ": both are plan '" + mismatch.base_plan + "', but its steps or phases differ"
             : ": plan '" + mismatch.candidate_plan + "' vs '" + mismatch.base_plan + "'";
  out += "\n  steps in both: " + joined(mismatch.steps_in_both);
  if (!mismatch.steps_only_in_base.empty())
    out += "\n  steps only in " + base + ": " + joined(mismatch.steps_only_in_base);
  if (!mismatch.steps_only_in_candidate.empty())
    out += "\n  steps only in " + candidate + ": " + joined(mismatch.steps_only_in_candidate);
  if (mismatch.steps_only_in_base.empty() && mismatch.steps_only_in_candidate.empty() &&
      mismatch.base_steps_order != mismatch.candidate_steps_order)
    out += "\n  the steps are in another order";
  if (mismatch.base_phases != mismatch.candidate_phases) {
    out += "\n  phases: " + base + " has " + joined(mismatch.base_phases) + "; " + candidate + " has " +
           joined(mismatch.candidate_phases);
  }
  return out;
}

}  // namespace surge::compare
