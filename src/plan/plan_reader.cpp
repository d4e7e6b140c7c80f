// The root of a plan: its settings, the environment --env selects, the plan-wide graceful_stop. Each read
// records its own errors and the walk goes on, so one `surge validate` shows every problem; values are only
// trusted when the reader ends without errors.
#include "plan/plan_reader.h"

#include <cstdlib>
#include <limits>
#include <utility>

#include "core/redaction.h"
#include "plan/http_syntax.h"

namespace surge::plan {
namespace {

std::string default_name(const std::string& file) {
  std::string name = file.substr(file.find_last_of('/') + 1);
  size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name.empty() ? "plan" : name;
}

void set_target(const std::string& target, Plan& plan) {
  plan.builtin_target = target == "builtin";
  plan.target_url = plan.builtin_target ? std::string() : target;
}

// name, target, timeout and headers: the settings an environment may replace.
void read_settings(YamlReader& reader, const MapFields& map, Plan& plan) {
  if (const Field* field = map.find("name")) {
    auto name = reader.read_string(*field);
    if (name && name->empty()) reader.error(reader.where_value(*field), "plan name must not be empty");
    if (name && !name->empty()) plan.name = *name;
  }
  if (const Field* field = map.find("target")) {
    if (auto target = read_target(reader, *field)) set_target(*target, plan);
  }
  if (const Field* field = map.find("timeout")) {
    if (auto timeout = reader.read_positive_duration(*field, "timeout")) plan.request_timeout = *timeout;
  }
  if (const Field* field = map.find("headers")) {
    if (auto headers = reader.read_headers(*field)) plan.headers = std::move(*headers);
  }
}

// environments.<name> over the plan; a plan without `target:` is valid only if the environment gives one.
void select(YamlReader& reader, const MapFields& map, const std::string& name, Plan& plan) {
  const Field* field = map.find("environments");
  std::optional<std::vector<Environment>> environments = std::vector<Environment>{};
  if (field) environments = read_environments(reader, *field);
  const Environment* selected = nullptr;
  if (environments && !name.empty()) {
    SourceLocation where = field ? reader.where(field->key_node) : SourceLocation{plan.file, 1, 1};
    selected = find_environment(reader, *environments, name, where);
  }
  if (selected) apply_environment(*selected, plan);
  bool has_target = map.find("target") || (selected && selected->target);
  // An unknown environment was reported already; a missing target would be the same mistake.
  if (!has_target && (name.empty() || selected)) reader.require(map, "target");
}

}  // namespace

bool check_unique(YamlReader& reader, NameIndex& seen, const std::string& name, const SourceLocation& where,
                  std::string_view what) {
  for (const NamedAt& first : seen) {
    if (first.name == name) {
      reader.error(where, "duplicate " + std::string(what) + " name '" + name + "'; the first is at " +
                              line_column(first.where) +
                              (first.is_default ? ", an unnamed step named so" : ""));
      return false;
    }
  }
  seen.push_back(NamedAt{name, where});
  return true;
}

bool claim_step_name(YamlReader& reader, NameIndex& seen, std::string& name, bool is_explicit,
                     const SourceLocation& where) {
  if (is_explicit) return check_unique(reader, seen, name, where, "step");
  auto is_taken = [&seen](const std::string& candidate) {
    for (const NamedAt& named : seen) {
      if (named.name == candidate) return true;
    }
    return false;
  };
  std::string base = name;
  for (int number = 2; is_taken(name); ++number) name = base + " #" + std::to_string(number);
  seen.push_back(NamedAt{name, where, true});
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

std::optional<std::string> read_target(YamlReader& reader, const Field& field) {
  auto target = reader.read_string(field);
  if (!target || *target == "builtin") return target;
  if (!has_http_scheme(*target)) {
    reader.error(reader.where_value(field),
                 "target must be builtin or an http:// or https:// URL, found '" + *target + "'");
    return std::nullopt;
  }
  if (auto checked = check_absolute_url(*target, "target"); !checked) {
    reader.error(reader.where_value(field), checked.error().message);
    return std::nullopt;
  }
  return target;
}

namespace {

// secret_env: [NAME, ...]: environment variables whose values no output may show (docs/security.md). An
// unset one hides nothing; a template that uses it reports it missing.
void read_secret_env(YamlReader& reader, const Field& field, Plan& plan) {
  auto items = reader.read_sequence(field);
  for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
    auto name = reader.read_string(item, reader.where(item), "secret_env entry");
    const char* value = name ? std::getenv(name->c_str()) : nullptr;
    if (value != nullptr && std::string_view(value).size() >= core::Redactor::kMinSecretBytes) {
      plan.secrets.emplace_back(value);
    }
  }
}

}  // namespace

Plan read_plan(YamlReader& reader, const YAML::Node& root, const std::string& file,
               const std::string& environment, bool allow_outside_files) {
  Plan plan;
  plan.file = file;
  plan.name = default_name(file);
  auto map = reader.read_map(
      root, "plan",
      {"name", "target", "target_pid", "timeout", "headers", "graceful_stop", "environments", "phases",
       "scenarios", "feeders", "metrics", "sla", "secret_env", "tls", "timeouts", "limits", "source_addrs",
       "proxy", "faults", "schedule_slack"});
  if (!map) return plan;
  if (const Field* field = map->find("secret_env")) read_secret_env(reader, *field, plan);
  read_settings(reader, *map, plan);
  select(reader, *map, environment, plan);
  if (const Field* field = map->find("target_pid")) {
    if (auto pid = reader.read_whole(*field, "target_pid", 1, std::numeric_limits<int32_t>::max())) plan.target_pid = static_cast<int>(*pid);
  }
  Duration graceful_stop = Phase{}.graceful_stop;
  if (const Field* field = map->find("graceful_stop")) {
    if (auto stop = reader.read_duration(*field)) graceful_stop = *stop;
  }
  if (const Field* field = reader.require(*map, "phases")) {
    plan.phases = read_phases(reader, *field, graceful_stop);
  }
  if (const Field* field = map->find("feeders")) {
    plan.feeders = read_feeders(reader, *field, file, allow_outside_files);
  }
  if (const Field* field = map->find("metrics")) plan.metrics = read_custom_metrics(reader, *field);
  if (const Field* field = reader.require(*map, "scenarios")) plan.scenarios = read_scenarios(reader, *field);
  if (const Field* field = map->find("sla")) plan.slas = read_slas(reader, *field);
  if (const Field* field = map->find("tls")) plan.tls = read_tls(reader, *field, file, allow_outside_files);
  if (const Field* field = map->find("timeouts")) plan.timeouts = read_timeouts(reader, *field);
  if (const Field* field = map->find("limits")) plan.limits = read_limits(reader, *field);
  if (const Field* field = map->find("source_addrs")) read_source_addrs(reader, *field, plan);
  if (const Field* field = map->find("proxy")) read_proxy(reader, *field, plan);
  if (const Field* field = map->find("faults")) read_faults(reader, *field, plan);
  if (const Field* field = map->find("schedule_slack")) {
    if (auto slack = reader.read_duration(*field)) {
      if (*slack > kMaxScheduleSlack) reader.error(reader.where_value(*field), "schedule_slack must be at most 100ms");
      else plan.schedule_slack = *slack;
    }
  }
  // Templates need every variable and column; a plan with errors already would only add noise.
  if (!reader.has_errors()) check_expressions(reader, plan);
  return plan;
}

}  // namespace surge::plan
