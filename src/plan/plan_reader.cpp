// The root of a plan and its phases. Each read records its own errors and the walk goes on, so one
// `surge validate` shows every problem; values are only trusted when the reader ends without errors.
#include "plan/plan_reader.h"

#include <array>
#include <utility>

#include "plan/http_syntax.h"

namespace surge::plan {
namespace {

// Far above one machine's reach (STYLE.md budgets 100k connections on two cores), low enough that
// user-count arithmetic downstream cannot overflow.
constexpr int64_t kMaxUsers = 10'000'000;

// Phase keys of load models that come later; they must fail loudly rather than be ignored.
constexpr std::array<std::string_view, 5> kLaterModels{"arrival_rate", "rate", "connections", "connect_rate",
                                                       "max_users"};

std::string default_name(const std::string& file) {
  std::string name = file.substr(file.find_last_of('/') + 1);
  size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name.empty() ? "plan" : name;
}

std::optional<Ramp> read_users(YamlReader& reader, const Field& users) {
  if (users.value.IsMap()) {
    auto map = reader.read_map(users.value, "users", {"from", "to"});
    const Field* from = reader.require(*map, "from");
    const Field* to = reader.require(*map, "to");
    auto from_users = from ? reader.read_whole(*from, "users from", 0, kMaxUsers) : std::nullopt;
    auto to_users = to ? reader.read_whole(*to, "users to", 0, kMaxUsers) : std::nullopt;
    if (!from_users || !to_users) return std::nullopt;
    return Ramp{static_cast<double>(*from_users), static_cast<double>(*to_users)};
  }
  if (users.value.IsSequence()) {
    reader.error(reader.where_value(users),
                 "users: expected a whole number or { from, to }, found a sequence");
    return std::nullopt;
  }
  auto count = reader.read_whole(users, "users", 0, kMaxUsers);
  if (!count) return std::nullopt;
  return Ramp{static_cast<double>(*count), static_cast<double>(*count)};
}

// Reports every later-model key of a phase; true if there was one.
bool reject_later_models(YamlReader& reader, const MapFields& map) {
  bool found = false;
  for (std::string_view model : kLaterModels) {
    if (const Field* field = map.find(model)) {
      reader.error(reader.where(field->key_node),
                   "load model '" + field->key + "' is not supported yet: use users");
      found = true;
    }
  }
  return found;
}

std::optional<Phase> read_phase(YamlReader& reader, const YAML::Node& node, NameIndex& names) {
  auto map =
      reader.read_map(node, "phase", {"name", "duration", "users"},
                      {kLaterModels[0], kLaterModels[1], kLaterModels[2], kLaterModels[3], kLaterModels[4]});
  if (!map) return std::nullopt;
  bool other_model = reject_later_models(reader, *map);
  auto name = read_unique_name(reader, *map, names, "phase");
  const Field* duration_field = reader.require(*map, "duration");
  auto duration =
      duration_field ? reader.read_positive_duration(*duration_field, "phase duration") : std::nullopt;
  // With another model's key already reported, a missing `users` is the same mistake said twice.
  const Field* users = other_model ? map->find("users") : reader.require(*map, "users");
  auto ramp = users ? read_users(reader, *users) : std::nullopt;
  if (!name || !duration || !ramp || other_model) return std::nullopt;
  return Phase{*name, *duration, LoadModel::kClosed, *ramp, reader.where(node)};
}

void read_target(YamlReader& reader, const Field& field, Plan& plan) {
  auto target = reader.read_string(field);
  if (!target) return;
  if (*target == "builtin") {
    plan.builtin_target = true;
  } else if (!has_http_scheme(*target)) {
    reader.error(reader.where_value(field),
                 "target must be builtin or an http:// or https:// URL, found '" + *target + "'");
  } else if (auto checked = check_absolute_url(*target, "target"); !checked) {
    reader.error(reader.where_value(field), checked.error().message);
  } else {
    plan.target_url = *target;
  }
}

}  // namespace

bool check_unique(YamlReader& reader, NameIndex& seen, const std::string& name, const SourceLocation& where,
                  std::string_view what) {
  for (const auto& [seen_name, seen_where] : seen) {
    if (seen_name == name) {
      reader.error(where, "duplicate " + std::string(what) + " name '" + name + "'; the first is at " +
                              line_column(seen_where));
      return false;
    }
  }
  seen.emplace_back(name, where);
  return true;
}

std::optional<std::string> read_unique_name(YamlReader& reader, const MapFields& map, NameIndex& seen,
                                            std::string_view what) {
  const Field* field = reader.require(map, "name");
  auto name = field ? reader.read_string(*field) : std::nullopt;
  if (!name) return std::nullopt;
  if (name->empty()) {
    reader.error(reader.where_value(*field), std::string(what) + " name must not be empty");
    return std::nullopt;
  }
  if (!check_unique(reader, seen, *name, reader.where_value(*field), what)) return std::nullopt;
  return name;
}

std::vector<Phase> read_phases(YamlReader& reader, const Field& field) {
  std::vector<Phase> phases;
  auto items = reader.read_sequence(field);
  if (!items) return phases;
  if (items->empty()) reader.error(reader.where_value(field), "plan has no phases; expected at least one");
  NameIndex names;
  for (const YAML::Node& item : *items) {
    if (auto phase = read_phase(reader, item, names)) phases.push_back(std::move(*phase));
  }
  return phases;
}

Plan read_plan(YamlReader& reader, const YAML::Node& root, const std::string& file) {
  Plan plan;
  plan.file = file;
  plan.name = default_name(file);
  auto map = reader.read_map(root, "plan", {"name", "target", "timeout", "headers", "phases", "scenarios"});
  if (!map) return plan;
  if (const Field* field = map->find("name")) {
    auto name = reader.read_string(*field);
    if (name && name->empty()) reader.error(reader.where_value(*field), "plan name must not be empty");
    if (name && !name->empty()) plan.name = *name;
  }
  if (const Field* field = reader.require(*map, "target")) read_target(reader, *field, plan);
  if (const Field* field = map->find("timeout")) {
    if (auto timeout = reader.read_positive_duration(*field, "timeout")) plan.request_timeout = *timeout;
  }
  if (const Field* field = map->find("headers")) {
    if (auto headers = reader.read_headers(*field)) plan.headers = std::move(*headers);
  }
  if (const Field* field = reader.require(*map, "phases")) plan.phases = read_phases(reader, *field);
  if (const Field* field = reader.require(*map, "scenarios")) plan.scenarios = read_scenarios(reader, *field);
  return plan;
}

}  // namespace surge::plan
