// Scenarios and their steps: `http` requests (http_step_reader.cpp), `think` pauses, `loop`s and `group`s,
// kept in one flat list per scenario (a loop or group is followed by its body), and the scenario's `cookies`.
// Step and group names become metric labels, so they must be unique within a scenario: an unnamed step whose
// default name is taken gets "#2", "#3"... (claim_step_name).
#include <utility>

#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

// A loop with no `count` and a `while` runs at most this many times, so it always ends.
constexpr int64_t kDefaultWhileCap = 1000;

// "100ms" (fixed), "100ms..500ms" (uniform in the range) or "exp(200ms)" (exponential with that mean).
std::optional<ThinkStep> read_think(YamlReader& reader, const Field& field, const SourceLocation& where) {
  if (!field.value.IsScalar()) {
    reader.error(reader.where_value(field), "think: expected a duration like 100ms, a range like 100ms..500ms or "
                                            "exp(200ms), found " + describe(field.value));
    return std::nullopt;
  }
  const std::string& text = field.value.Scalar();
  bool exponential = text.size() > 5 && text.starts_with("exp(") && text.back() == ')';
  std::string body = exponential ? text.substr(4, text.size() - 5) : text;
  size_t dots = exponential ? std::string::npos : body.find("..");
  auto min = parse_duration(body.substr(0, dots));
  auto max = dots == std::string::npos ? min : parse_duration(body.substr(dots + 2));
  for (const auto* bound : {&min, &max}) {
    if (!*bound) {
      reader.error(reader.where_value(field), "think: " + bound->error().message);
      return std::nullopt;
    }
  }
  if (*min > *max) {
    reader.error(reader.where_value(field), "think range '" + text + "': min is greater than max");
    return std::nullopt;
  }
  return ThinkStep{*min, *max, exponential, where};
}

bool read_steps(YamlReader& reader, const Field& field, NameIndex& names, std::vector<Step>& out, int depth,
                RpcState& rpc);

// loop: { count: 3, steps: [...] } or { while: more, count: 100, steps: [...] }: the LoopStep, then its body.
bool read_loop(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
               std::vector<Step>& out, int depth, RpcState& rpc) {
  auto map = reader.read_map(field, "loop", {"count", "while", "steps"});
  if (!map) return false;
  LoopStep loop;
  loop.where = where;
  bool valid = true;
  if (const Field* variable = map->find("while")) {
    auto name = reader.read_string(*variable);
    if (name) loop.while_variable = std::move(*name);
    valid = name.has_value();
  }
  const Field* count = loop.while_variable.empty() ? reader.require(*map, "count") : map->find("count");
  auto times = count ? reader.read_whole(*count, "loop count", 1, 1'000'000'000) : std::nullopt;
  if (times) loop.count = static_cast<uint64_t>(*times);
  if (!count && !loop.while_variable.empty()) loop.count = kDefaultWhileCap;
  valid = valid && (times || (!count && !loop.while_variable.empty()));
  const Field* steps = reader.require(*map, "steps");
  if (!steps) return false;
  size_t at = out.size();
  out.emplace_back(loop);
  valid = read_steps(reader, *steps, names, out, depth + 1, rpc) && valid;
  std::get<LoopStep>(out[at]).body_steps = out.size() - at - 1;
  return valid;
}

// group: { name: checkout, steps: [...] }: the GroupStep, then its body. Its name shares the step names'
// index, so a group and a step cannot be confused in reports and SLAs.
bool read_group(YamlReader& reader, const Field& field, const SourceLocation& where, NameIndex& names,
                std::vector<Step>& out, int depth, RpcState& rpc) {
  auto map = reader.read_map(field, "group", {"name", "steps"});
  if (!map) return false;
  GroupStep group;
  group.where = where;
  auto name = read_unique_name(reader, *map, names, "group");
  if (name && name->find("::") != std::string::npos) {
    // "::" joins nested group names in results.json ("outer::inner"), so a name holding it would be ambiguous.
    reader.error(reader.where_value(*map->find("name")), "group name '" + *name + "' must not contain '::'");
    name.reset();
  }
  const Field* steps = reader.require(*map, "steps");
  if (!steps) return false;
  if (name) group.name = std::move(*name);
  size_t at = out.size();
  out.emplace_back(group);
  bool valid = read_steps(reader, *steps, names, out, depth + 1, rpc) && name.has_value();
  std::get<GroupStep>(out[at]).body_steps = out.size() - at - 1;
  return valid;
}

bool read_step(YamlReader& reader, const YAML::Node& node, NameIndex& names, std::vector<Step>& out, int depth,
               RpcState& rpc) {
  auto map = reader.read_map(node, "step", {"http", "think", "loop", "group", "ws", "mcp", "jsonrpc"});
  if (!map) return false;
  if (map->size() != 1) {
    // Zero known keys after an unknown one was reported is the same mistake; say it once.
    if (map->size() > 1 || node.size() == 0) {
      reader.error(reader.where(node), "step must have exactly one of: http, think, loop, group, ws, mcp, jsonrpc");
    }
    return false;
  }
  SourceLocation where = reader.where(node);
  if (const Field* loop = map->find("loop")) return read_loop(reader, *loop, where, names, out, depth, rpc);
  if (const Field* group = map->find("group")) return read_group(reader, *group, where, names, out, depth, rpc);
  if (const Field* mcp = map->find("mcp")) return read_mcp(reader, *mcp, where, names, out, rpc);
  if (const Field* ws = map->find("ws")) return read_ws(reader, *ws, where, names, out);
  if (const Field* jsonrpc = map->find("jsonrpc")) return read_jsonrpc(reader, *jsonrpc, where, names, out, rpc);
  std::optional<Step> step;
  if (const Field* http = map->find("http")) {
    if (auto read = read_http(reader, *http, reader.where(node), names)) step = std::move(*read);
  } else if (auto think = read_think(reader, *map->find("think"), reader.where(node))) {
    step = *think;
  }
  if (step) out.push_back(std::move(*step));
  return step.has_value();
}

// The items of a `steps:` list, appended to out; at least one.
bool read_steps(YamlReader& reader, const Field& field, NameIndex& names, std::vector<Step>& out, int depth,
                RpcState& rpc) {
  constexpr int kMaxDepth = 8;
  if (depth > kMaxDepth) {
    reader.error(reader.where_value(field), "loops and groups nested deeper than 8 levels");
    return false;
  }
  auto items = reader.read_sequence(field);
  if (items && items->empty()) reader.error(reader.where_value(field), "steps: expected at least one step");
  bool valid = items && !items->empty();
  for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
    valid = read_step(reader, item, names, out, depth, rpc) && valid;
  }
  return valid;
}

// cookies: true (one jar per virtual user), false, or { clear: iteration | never } (docs/cookies.md).
std::optional<CookieMode> read_cookies(YamlReader& reader, const Field& field) {
  const YAML::Node& value = field.value;
  if (value.IsScalar() && (value.Scalar() == "true" || value.Scalar() == "false")) {
    return value.Scalar() == "true" ? CookieMode::kPerUser : CookieMode::kOff;
  }
  if (!value.IsMap()) {
    reader.error(reader.where_value(field), "cookies: expected true, false or { clear: iteration | never }, found " +
                                                describe(value));
    return std::nullopt;
  }
  auto map = reader.read_map(field, "cookies", {"clear"});
  if (!map) return std::nullopt;
  const Field* clear = reader.require(*map, "clear");
  auto text = clear ? reader.read_string(*clear) : std::nullopt;
  if (!text) return std::nullopt;
  if (*text == "iteration") return CookieMode::kPerIteration;
  if (*text == "never") return CookieMode::kPerUser;
  reader.error(reader.where_value(*clear), "cookies clear '" + *text + "': expected iteration or never");
  return std::nullopt;
}

std::optional<Scenario> read_scenario(YamlReader& reader, const YAML::Node& node, NameIndex& names) {
  auto map = reader.read_map(node, "scenario", {"name", "weight", "cookies", "steps"});
  if (!map) return std::nullopt;
  Scenario scenario;
  scenario.where = reader.where(node);
  auto name = read_unique_name(reader, *map, names, "scenario");
  bool valid = name.has_value();
  if (const Field* field = map->find("weight")) {
    auto weight = reader.read_number(*field);
    if (weight && *weight <= 0) {
      reader.error(reader.where_value(*field), "weight must be > 0, found " + describe(field->value));
      weight.reset();
    }
    if (weight) scenario.weight = *weight;
    valid = valid && weight;
  }
  if (const Field* field = map->find("cookies")) {
    auto mode = read_cookies(reader, *field);
    if (mode) scenario.cookies = *mode;
    valid = valid && mode;
  }
  const Field* steps_field = reader.require(*map, "steps");
  auto items = steps_field ? reader.read_sequence(*steps_field) : std::nullopt;
  if (items && items->empty()) {
    reader.error(reader.where_value(*steps_field), "scenario " + (name ? "'" + *name + "' " : std::string()) +
                                                       "has no steps; expected at least one");
  }
  valid = valid && items && !items->empty();
  NameIndex step_names;
  RpcState rpc;
  if (items && !items->empty()) valid = read_steps(reader, *steps_field, step_names, scenario.steps, 0, rpc) && valid;
  if (!valid) return std::nullopt;
  scenario.name = std::move(*name);
  return scenario;
}

}  // namespace

std::vector<Scenario> read_scenarios(YamlReader& reader, const Field& field) {
  std::vector<Scenario> scenarios;
  auto items = reader.read_sequence(field);
  if (!items) return scenarios;
  if (items->empty()) reader.error(reader.where_value(field), "plan has no scenarios; expected at least one");
  NameIndex names;
  for (const YAML::Node& item : *items) {
    if (auto scenario = read_scenario(reader, item, names)) scenarios.push_back(std::move(*scenario));
  }
  return scenarios;
}

}  // namespace surge::plan
