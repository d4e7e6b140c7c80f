// `environments:` in a plan: named target, headers and timeout that `--env NAME` puts over the plan's own,
// so one plan runs against staging and a laptop. Every environment is checked whether selected or not, so
// `surge validate` finds a broken one before the day it is used.
#include <algorithm>
#include <cctype>
#include <utility>

#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

bool same_header_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<Environment> read_environment(YamlReader& reader, const YAML::Node& key,
                                            const YAML::Node& value) {
  if (!key.IsScalar() || key.Scalar().empty()) {
    reader.error(reader.where(key), "environment names must be non-empty strings, found " + describe(key));
    return std::nullopt;
  }
  Field field{key.Scalar(), key, value};
  auto map = reader.read_map(field, "environment '" + key.Scalar() + "'", {"target", "headers", "timeout"});
  if (!map) return std::nullopt;
  Environment environment;
  environment.name = key.Scalar();
  bool valid = true;
  if (const Field* target = map->find("target")) {
    environment.target = read_target(reader, *target);
    valid = environment.target.has_value();
  }
  if (const Field* timeout = map->find("timeout")) {
    environment.timeout = reader.read_positive_duration(*timeout, "timeout");
    valid = valid && environment.timeout;
  }
  if (const Field* headers = map->find("headers")) {
    auto read = reader.read_headers(*headers);
    if (read) environment.headers = std::move(*read);
    valid = valid && read;
  }
  if (!valid) return std::nullopt;
  return environment;
}

}  // namespace

std::optional<std::vector<Environment>> read_environments(YamlReader& reader, const Field& field) {
  if (!field.value.IsMap()) {
    reader.error(reader.where_value(field),
                 "environments: expected a map of names to { target, headers, timeout }, found " +
                     describe(field.value));
    return std::nullopt;
  }
  std::vector<Environment> environments;
  NameIndex names;
  for (const auto& pair : field.value) {
    // A broken environment keeps its name, so selecting it is not also reported as unknown.
    auto environment = read_environment(reader, pair.first, pair.second);
    if (!environment && pair.first.IsScalar()) environment = Environment{pair.first.Scalar(), {}, {}, {}};
    if (!environment) continue;
    if (check_unique(reader, names, environment->name, reader.where(pair.first), "environment")) {
      environments.push_back(std::move(*environment));
    }
  }
  return environments;
}

const Environment* find_environment(YamlReader& reader, const std::vector<Environment>& environments,
                                    const std::string& name, const SourceLocation& where) {
  for (const Environment& environment : environments) {
    if (environment.name == name) return &environment;
  }
  std::string defined;
  for (const Environment& environment : environments) {
    defined += (defined.empty() ? "" : ", ") + environment.name;
  }
  reader.error(where, "unknown environment '" + name + "'; the plan defines" +
                          (defined.empty() ? " no environments" : ": " + defined));
  return nullptr;
}

void apply_environment(const Environment& environment, Plan& plan) {
  if (environment.target) {
    plan.builtin_target = *environment.target == "builtin";
    plan.target_url = plan.builtin_target ? std::string() : *environment.target;
  }
  if (environment.timeout) plan.request_timeout = *environment.timeout;
  for (const Header& header : environment.headers) {
    auto same = [&](const Header& own) { return same_header_name(own.name, header.name); };
    auto own = std::find_if(plan.headers.begin(), plan.headers.end(), same);
    if (own == plan.headers.end()) {
      plan.headers.push_back(header);
    } else {
      *own = header;
    }
  }
}

}  // namespace surge::plan
