// The one YAML document of a plan file, read without YAML::LoadAll: yaml-cpp 0.7 (Debian 12) loops forever
// in LoadAll on some malformed streams (a lone ",": each call yields another null document and consumes
// nothing, jbeder/yaml-cpp#1319), growing memory until the process dies. Found by tests/fuzz/fuzz_plan.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace surge::plan {

struct YamlDocument {
  YAML::Node root;                         // Null when the text holds no document
  std::optional<YAML::Mark> second_start;  // where the root of a second document starts, if there is one
};

// Parses the first document of `text` and probes for a second, reading at most two. Throws what yaml-cpp
// throws (YAML::Exception and its kinds), and YAML::ParserException "unexpected token" where the parser
// would loop; the plan loader catches them.
YamlDocument load_first_document(const std::string& text);

}  // namespace surge::plan
