// `feeders:` (CSV files whose rows feed templates) and `metrics:` (custom metrics computed from responses).
// A feeder's file is read at load time, so a missing file or a malformed row is a plan error, and the
// workers fork with the rows already in memory.
#include <cctype>
#include <utility>

#include "plan/file_access.h"
#include "plan/plan_reader.h"
#include "templating/csv.h"

namespace surge::plan {
namespace {

// Names that appear in SLA expressions and Prometheus metric names: lowercase letters, digits and '_'.
bool is_metric_name(std::string_view name) {
  if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!std::islower(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

std::optional<Feeder> read_feeder(YamlReader& reader, const YAML::Node& node, NameIndex& names,
                                  const std::string& plan_file, bool allow_outside_files) {
  auto map = reader.read_map(node, "feeder", {"name", "file", "order", "recycle"});
  if (!map) return std::nullopt;
  Feeder feeder;
  feeder.where = reader.where(node);
  auto name = read_unique_name(reader, *map, names, "feeder");
  if (name && !is_metric_name(*name)) {
    reader.error(reader.where_value(*map->find("name")),
                 "feeder name '" + *name + "': expected lowercase letters, digits and '_'");
    name.reset();
  }
  const Field* file = reader.require(*map, "file");
  auto path = file ? reader.read_string(*file) : std::nullopt;
  bool valid = name && path;
  if (const Field* order = map->find("order")) {
    auto text = reader.read_string(*order);
    if (text && *text == "random") feeder.order = Feeder::Order::kRandom;
    else if (text && *text == "unique") feeder.order = Feeder::Order::kUnique;
    else if (text && *text != "sequential") {
      reader.error(reader.where_value(*order), "feeder order '" + *text + "': expected sequential, random or unique");
      text.reset();
    }
    valid = valid && text;
  }
  if (const Field* recycle = map->find("recycle")) {
    auto text = reader.read_string(*recycle);
    if (text && *text != "true" && *text != "false") {
      reader.error(reader.where_value(*recycle), "recycle: expected true or false, found '" + *text + "'");
      text.reset();
    }
    feeder.recycle = text && *text == "true";
    valid = valid && text;
  }
  if (!valid) return std::nullopt;
  feeder.name = std::move(*name);
  feeder.file = std::move(*path);
  // A file named relative to the plan is found next to it, wherever surge runs from.
  auto resolved = resolve_plan_file(plan_file, feeder.file, allow_outside_files);
  if (!resolved) {
    reader.error(reader.where_value(*file), resolved.error().message);
    return std::nullopt;
  }
  feeder.path = std::move(*resolved);
  auto table = templating::load_csv(feeder.path);
  if (!table) {
    reader.error(reader.where_value(*file), table.error().message);
    return std::nullopt;
  }
  feeder.columns = std::move(table->columns);
  feeder.rows = std::move(table->rows);
  return feeder;
}

}  // namespace

std::vector<Feeder> read_feeders(YamlReader& reader, const Field& field, const std::string& plan_file,
                                 bool allow_outside_files) {
  std::vector<Feeder> feeders;
  auto items = reader.read_sequence(field);
  NameIndex names;
  for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
    if (auto feeder = read_feeder(reader, item, names, plan_file, allow_outside_files)) feeders.push_back(std::move(*feeder));
  }
  return feeders;
}

std::vector<CustomMetric> read_custom_metrics(YamlReader& reader, const Field& field) {
  std::vector<CustomMetric> metrics;
  auto items = reader.read_sequence(field);
  NameIndex names;
  for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
    auto map = reader.read_map(item, "metric", {"name", "rate", "counter", "trend", "steps"});
    if (!map) continue;
    auto name = read_unique_name(reader, *map, names, "metric");
    if (name && !is_metric_name(*name)) {
      reader.error(reader.where_value(*map->find("name")),
                   "metric name '" + *name + "': expected lowercase letters, digits and '_'");
      name.reset();
    }
    const Field* rate = map->find("rate");
    const Field* counter = map->find("counter");
    const Field* trend = map->find("trend");
    if ((rate != nullptr) + (counter != nullptr) + (trend != nullptr) != 1) {
      reader.error(reader.where(item), "metric must have exactly one of: rate, counter, trend");
      continue;
    }
    const Field* given = rate ? rate : counter ? counter : trend;
    auto expr = reader.read_string(*given);
    std::vector<std::string> steps;
    bool steps_valid = true;
    if (const Field* field = map->find("steps")) {
      auto items = reader.read_sequence(*field);
      for (const YAML::Node& step : items ? *items : std::vector<YAML::Node>{}) {
        auto step_name = reader.read_string(step, reader.where(step), "metric steps");
        if (step_name) steps.push_back(std::move(*step_name));
        steps_valid = steps_valid && step_name;
      }
      steps_valid = steps_valid && items;
    }
    if (!name || !expr || !steps_valid) continue;
    CustomMetric::Kind kind = rate ? CustomMetric::Kind::kRate
                                   : counter ? CustomMetric::Kind::kCounter : CustomMetric::Kind::kTrend;
    metrics.push_back({std::move(*name), kind, std::move(*expr), std::move(steps), reader.where_text(given->value)});
  }
  return metrics;
}

}  // namespace surge::plan
