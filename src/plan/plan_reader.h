// The plan loader's walk over the parsed YAML: root keys, phases, scenarios and steps, each node checked
// and turned into the plan.h model. Errors go to the YamlReader; the walk never stops at the first one.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.h"
#include "plan/yaml_reader.h"

namespace surge::plan {

// The whole plan from a document's root node. The result is only meaningful if reader has no errors.
Plan read_plan(YamlReader& reader, const YAML::Node& root, const std::string& file);

// Names seen so far in one list (phases, scenarios, steps of a scenario) with where each was written.
using NameIndex = std::vector<std::pair<std::string, SourceLocation>>;

// Records "duplicate <what> name 'x'; the first is at 3:5" and returns false if `name` is in `seen`.
bool check_unique(YamlReader& reader, NameIndex& seen, const std::string& name, const SourceLocation& where,
                  std::string_view what);

// The required, non-empty, unique `name:` of a phase or scenario.
std::optional<std::string> read_unique_name(YamlReader& reader, const MapFields& map, NameIndex& seen,
                                            std::string_view what);

// `phases:` items; at least one.
std::vector<Phase> read_phases(YamlReader& reader, const Field& phases);

// `scenarios:` items; at least one, each with at least one step.
std::vector<Scenario> read_scenarios(YamlReader& reader, const Field& scenarios);

}  // namespace surge::plan
