// The `sla:` key: each entry's expression text with the position of its first character, and the window,
// abort and delay settings. The expressions themselves are parsed by src/sla/, which sits above plan/ because
// it needs the metrics and the plan's names; plan/ keeps only what it takes to point back at the YAML.
#include <chrono>

#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

// yaml-cpp marks a quoted scalar at its quote and tags it "!" (a plain one is "?"), so the expression itself
// starts one column later. (Escapes inside double quotes and block scalars can still shift columns.)
SourceLocation expression_start(const YamlReader& reader, const YAML::Node& node) {
  SourceLocation where = reader.where(node);
  if (where.line > 0 && node.Tag() == "!") ++where.column;
  return where;
}

std::optional<SlaEntry> read_expression(YamlReader& reader, const YAML::Node& node,
                                        const SourceLocation& at) {
  auto text = reader.read_string(node, at, "sla expr");
  if (!text) return std::nullopt;
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    reader.error(at, "SLA expression must not be empty; expected something like p95(latency) < 250ms");
    return std::nullopt;
  }
  SlaEntry entry;
  entry.expr = std::move(*text);
  entry.where = expression_start(reader, node);
  return entry;
}

std::optional<bool> read_bool(YamlReader& reader, const Field& field) {
  if (field.value.IsScalar() && (field.value.Scalar() == "true" || field.value.Scalar() == "false")) {
    return field.value.Scalar() == "true";
  }
  reader.error(reader.where_value(field),
               field.key + ": expected true or false, found " + describe(field.value));
  return std::nullopt;
}

// Windows are made of the workers' 1 s snapshots, so only whole seconds can be honoured.
std::optional<Duration> read_window(YamlReader& reader, const Field& field) {
  auto window = reader.read_positive_duration(field, "window");
  if (window && *window % std::chrono::seconds(1) != Duration::zero()) {
    reader.error(reader.where_value(field), "window must be a whole number of seconds, found '" +
                                                field.value.Scalar() +
                                                "'; windows are made of 1 s snapshots");
    return std::nullopt;
  }
  return window;
}

std::optional<SlaEntry> read_entry_map(YamlReader& reader, const YAML::Node& node) {
  auto map = reader.read_map(node, "sla entry", {"expr", "window", "abort_on_fail", "delay"});
  if (!map) return std::nullopt;
  const Field* expr = reader.require(*map, "expr");
  std::optional<SlaEntry> entry;
  if (expr) entry = read_expression(reader, expr->value, reader.where_value(*expr));
  bool valid = entry.has_value();
  SlaEntry scratch;
  SlaEntry& out = entry ? *entry : scratch;  // the other keys are checked even when expr is bad
  if (const Field* field = map->find("window")) {
    auto window = read_window(reader, *field);
    valid = valid && window;
    out.window = window;
  }
  if (const Field* field = map->find("abort_on_fail")) {
    auto abort = read_bool(reader, *field);
    valid = valid && abort;
    out.abort_on_fail = abort.value_or(false);
  }
  if (const Field* field = map->find("delay")) {
    auto delay = reader.read_duration(*field);
    valid = valid && delay;
    out.delay = delay.value_or(Duration{});
    if (delay && !out.abort_on_fail) {
      reader.error(reader.where(field->key_node),
                   "delay only applies with abort_on_fail: true (it delays the abort)");
      valid = false;
    }
  }
  return valid ? entry : std::nullopt;
}

}  // namespace

std::vector<SlaEntry> read_slas(YamlReader& reader, const Field& field) {
  std::vector<SlaEntry> slas;
  auto items = reader.read_sequence(field);
  if (!items) return slas;
  for (const YAML::Node& item : *items) {
    std::optional<SlaEntry> entry;
    if (item.IsMap()) {
      entry = read_entry_map(reader, item);
    } else if (item.IsScalar()) {
      entry = read_expression(reader, item, reader.where(item));
    } else {
      reader.error(
          reader.where(item),
          "sla entry: expected an expression like 'p95(latency) < 250ms' or a map with expr, window, "
          "abort_on_fail, delay; found " +
              describe(item));
    }
    if (entry) slas.push_back(std::move(*entry));
  }
  return slas;
}

}  // namespace surge::plan
