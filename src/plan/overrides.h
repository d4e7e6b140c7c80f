// The run-time overrides of plan.h's Overrides as steps of loading: --set edits the YAML document before it
// is read; --scale and --max-users change the plan after it was read and found valid.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plan/plan.h"
#include "plan/yaml_reader.h"

namespace surge::plan {

// Applies each --set to the document in place; a path that does not exist is reported in file "(--set)"
// and skipped. The new value nodes have no mark, so YamlReader::where() places them in "(--set)" too.
void apply_sets(YamlReader& reader, YAML::Node root,
                const std::vector<std::pair<std::string, std::string>>& sets);

// Reports a --scale or --max-users value out of range, in file "(--scale)" or "(--max-users)".
void check_overrides(YamlReader& reader, const Overrides& overrides);

// Multiplies every phase duration and graceful_stop by `scale` (> 0); reports a phase that would last 0 or
// overflow.
void apply_scale(YamlReader& reader, double scale, Plan& plan);

// Scales every phase's users, arrival rates, max_users, connections and rates by max_users / (the plan's
// peak); a plan whose peak is 0 is left alone.
void apply_max_users(YamlReader& reader, uint64_t max_users, Plan& plan);

}  // namespace surge::plan
