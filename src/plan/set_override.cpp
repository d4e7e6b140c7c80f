// --set KEY=VALUE: edits the parsed YAML document before it is read, so a set value is validated exactly like
// one written in the file. KEY is a dotted path; in a sequence a segment picks the element whose `name` it
// is, or else the element at that index ("phases.ramp-up.duration", "phases.0.users").
#include <charconv>

#include "plan/overrides.h"

namespace surge::plan {
namespace {

core::Unexpected<core::Error> malformed(std::string_view text) {
  return core::fail("invalid --set \"" + std::string(text) + "\": expected KEY=VALUE like phases.0.users=10");
}

core::Result<std::vector<std::string>> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string_view segment = path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (segment.empty()) {
      return core::fail("the key '" + std::string(path) +
                        "' has an empty part; expected a dotted path like phases.ramp-up.duration");
    }
    segments.emplace_back(segment);
    if (dot == std::string_view::npos) return segments;
    start = dot + 1;
  }
}

std::optional<size_t> parse_index(std::string_view segment) {
  size_t index = 0;
  auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
  if (ec != std::errc() || end != segment.data() + segment.size()) return std::nullopt;
  return index;
}

bool has_name(const YAML::Node& item, std::string_view name) {
  if (!item.IsMap()) return false;
  for (const auto& pair : item) {
    if (pair.first.IsScalar() && pair.first.Scalar() == "name") {
      return pair.second.IsScalar() && pair.second.Scalar() == name;
    }
  }
  return false;
}

// The child `segment` of `parent`, which `parent_path` names in messages. Looks only, never inserts:
// yaml-cpp's non-const operator[] would add keys and turn sequences into maps.
core::Result<YAML::Node> child_of(const YAML::Node& parent, const std::string& segment,
                                  const std::string& parent_path) {
  if (parent.IsMap()) {
    for (const auto& pair : parent) {
      if (pair.first.IsScalar() && pair.first.Scalar() == segment) return YAML::Node(pair.second);
    }
    return core::fail("no key '" + segment + "' in " + parent_path);
  }
  if (!parent.IsSequence()) {
    return core::fail("cannot descend into " + parent_path + ": expected a map or a sequence, found " +
                      describe(parent));
  }
  for (const auto& item : parent) {
    if (has_name(item, segment)) return YAML::Node(item);
  }
  auto index = parse_index(segment);
  if (!index) return core::fail("no element named '" + segment + "' in " + parent_path);
  size_t position = 0;
  for (const auto& item : parent) {
    if (position++ == *index) return YAML::Node(item);
  }
  return core::fail("no element " + segment + " in " + parent_path + ", which has " +
                    std::to_string(parent.size()) + " elements");
}

core::Result<void> apply_set(YAML::Node root, const std::string& path, const std::string& value) {
  auto segments = split_path(path);
  if (!segments) return core::fail(segments.error().message);
  // Moving down uses reset(): Node's operator= would instead overwrite the node it refers to.
  YAML::Node node = root;
  std::string node_path = "plan";
  for (size_t i = 0; i + 1 < segments->size(); ++i) {
    auto child = child_of(node, (*segments)[i], node_path);
    if (!child) return core::fail(child.error().message);
    node.reset(*child);
    node_path = i == 0 ? (*segments)[0] : node_path + "." + (*segments)[i];
  }
  const std::string& last = segments->back();
  auto target = child_of(node, last, node_path);
  if (!target && node.IsMap()) {
    node[last] = YAML::Node(value);  // a new key, validated when the plan is read like any other
    return {};
  }
  if (!target) return core::fail(target.error().message);
  *target = YAML::Node(value);  // replaces the node inside the document (operator= writes through)
  return {};
}

}  // namespace

core::Result<std::pair<std::string, std::string>> parse_set_flag(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) return malformed(text);
  std::string path(text.substr(0, equals));
  if (auto segments = split_path(path); !segments) {
    return core::fail("invalid --set \"" + std::string(text) + "\": " + segments.error().message);
  }
  return std::pair{path, std::string(text.substr(equals + 1))};
}

void apply_sets(YamlReader& reader, YAML::Node root,
                const std::vector<std::pair<std::string, std::string>>& sets) {
  for (const auto& [path, value] : sets) {
    if (auto applied = apply_set(root, path, value); !applied) {
      reader.error({std::string(kSetFile), 0, 0}, path + ": " + applied.error().message);
    }
  }
}

}  // namespace surge::plan
