// Turns the YAML value of an http step's `json:` key into compact JSON text, so plans can write request
// bodies as YAML. A tiny serializer on purpose: plan/ must not depend on a JSON library.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "core/result.h"

namespace surge::plan {

struct JsonError {
  YAML::Node at;  // the offending node, for the diagnostic's position
  std::string message;
};

// Maps → objects (keys in file order), sequences → arrays, empty/~/null → null, plain true/false → booleans,
// plain scalars in JSON number syntax → numbers, every other scalar (quoted ones included) → strings.
// Errors: non-string or duplicate keys, "{{" templates in keys (values may hold them), nesting deeper than 64 levels or output over 1 MiB
// (YAML aliases can make a small file expand without bound, or loop).
core::Result<std::string, JsonError> yaml_to_json(const YAML::Node& node);

}  // namespace surge::plan
