// Scenarios and their steps: `http` requests (checked for what scenario/ will render verbatim) and `think`
// pauses. Step names become metric labels, so they must be unique within a scenario.
#include <algorithm>
#include <cctype>
#include <utility>

#include "plan/http_syntax.h"
#include "plan/json_body.h"
#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

bool is_content_type(const Header& header) {
  constexpr std::string_view kName = "content-type";
  return std::equal(header.name.begin(), header.name.end(), kName.begin(), kName.end(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// A string that must also pass a check from http_syntax.h, whose message is reported at the value.
std::optional<std::string> read_checked(YamlReader& reader, const Field& field,
                                        core::Result<void> (*check)(std::string_view)) {
  auto text = reader.read_string(field);
  if (!text) return std::nullopt;
  if (auto checked = check(*text); !checked) {
    reader.error(reader.where_value(field), checked.error().message);
    return std::nullopt;
  }
  return text;
}

// body or json. A json body brings its Content-Type unless the step names one.
bool read_body(YamlReader& reader, const MapFields& map, HttpStep& step) {
  const Field* body = map.find("body");
  const Field* json = map.find("json");
  if (body && json) {
    reader.error(reader.where(map.node()), "http step has both body and json; use one");
    return false;
  }
  if (body) {
    auto text = reader.read_string(*body);
    if (text) step.body = std::move(*text);
    return text.has_value();
  }
  if (json) {
    auto text = yaml_to_json(json->value);
    if (!text) {
      reader.error(reader.where(text.error().at), text.error().message);
      return false;
    }
    step.body = std::move(text).value();
    if (std::none_of(step.headers.begin(), step.headers.end(), is_content_type)) {
      step.headers.push_back({"Content-Type", "application/json"});
    }
  }
  return true;
}

// method, url, headers and body: what goes into the request bytes. False if any of them is invalid.
bool read_request(YamlReader& reader, const MapFields& map, HttpStep& step) {
  bool valid = true;
  if (const Field* field = map.find("method")) {
    auto method = read_checked(reader, *field, check_method);
    if (method) step.method = std::move(*method);
    valid = method.has_value();
  }
  const Field* url_field = reader.require(map, "url");
  auto url = url_field ? read_checked(reader, *url_field, check_step_url) : std::nullopt;
  if (url) step.url = std::move(*url);
  valid = valid && url;
  if (const Field* field = map.find("headers")) {
    auto headers = reader.read_headers(*field);
    if (headers) step.headers = std::move(*headers);
    valid = valid && headers;
  }
  return read_body(reader, map, step) && valid;
}

// timeout and expect: how the response is judged.
bool read_checks(YamlReader& reader, const MapFields& map, HttpStep& step) {
  bool valid = true;
  if (const Field* field = map.find("timeout")) {
    step.timeout = reader.read_positive_duration(*field, "timeout");
    valid = step.timeout.has_value();
  }
  if (const Field* field = map.find("expect")) {
    auto expect = reader.read_map(*field, "expect", {"status"});
    const Field* status = expect ? expect->find("status") : nullptr;
    auto code = status ? reader.read_whole(*status, "expect status", 100, 599) : std::nullopt;
    if (code) step.expect_status = static_cast<int>(*code);
    valid = valid && (code || (expect && !status));
  }
  return valid;
}

std::optional<HttpStep> read_http(YamlReader& reader, const Field& field, const SourceLocation& where,
                                  NameIndex& names) {
  auto map = reader.read_map(field, "http step",
                             {"name", "method", "url", "headers", "body", "json", "timeout", "expect"});
  if (!map) return std::nullopt;
  HttpStep step;
  step.where = where;
  bool valid = read_request(reader, *map, step);
  valid = read_checks(reader, *map, step) && valid;
  const Field* name_field = map->find("name");
  std::optional<std::string> name = step.method + " " + step.url;
  if (name_field) name = reader.read_string(*name_field);
  if (name && name->empty()) {
    reader.error(reader.where_value(*name_field), "step name must not be empty");
    name.reset();
  }
  SourceLocation name_where = name_field ? reader.where_value(*name_field) : where;
  // A default name built from an invalid method or url would only repeat that error as a duplicate.
  bool unique = name && (valid || name_field) && check_unique(reader, names, *name, name_where, "step");
  if (!unique || !valid) return std::nullopt;
  step.name = std::move(*name);
  return step;
}

// "100ms" (fixed) or "100ms..500ms" (uniform in the range).
std::optional<ThinkStep> read_think(YamlReader& reader, const Field& field, const SourceLocation& where) {
  if (!field.value.IsScalar()) {
    reader.error(
        reader.where_value(field),
        "think: expected a duration like 100ms or a range like 100ms..500ms, found " + describe(field.value));
    return std::nullopt;
  }
  const std::string& text = field.value.Scalar();
  size_t dots = text.find("..");
  auto min = parse_duration(text.substr(0, dots));
  auto max = dots == std::string::npos ? min : parse_duration(text.substr(dots + 2));
  for (const auto* bound : {&min, &max}) {
    if (!*bound) {
      reader.error(reader.where_value(field), bound->error().message);
      return std::nullopt;
    }
  }
  if (*min > *max) {
    reader.error(reader.where_value(field), "think range '" + text + "': min is greater than max");
    return std::nullopt;
  }
  return ThinkStep{*min, *max, where};
}

std::optional<Step> read_step(YamlReader& reader, const YAML::Node& node, NameIndex& names) {
  auto map = reader.read_map(node, "step", {"http", "think"});
  if (!map) return std::nullopt;
  if (map->size() != 1) {
    // Zero known keys after an unknown one was reported is the same mistake; say it once.
    if (map->size() > 1 || node.size() == 0) {
      reader.error(reader.where(node), "step must have exactly one of: http, think");
    }
    return std::nullopt;
  }
  if (const Field* http = map->find("http")) return read_http(reader, *http, reader.where(node), names);
  return read_think(reader, *map->find("think"), reader.where(node));
}

std::optional<Scenario> read_scenario(YamlReader& reader, const YAML::Node& node, NameIndex& names) {
  auto map = reader.read_map(node, "scenario", {"name", "weight", "steps"});
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
  const Field* steps_field = reader.require(*map, "steps");
  auto items = steps_field ? reader.read_sequence(*steps_field) : std::nullopt;
  if (items && items->empty()) {
    reader.error(reader.where_value(*steps_field), "scenario " + (name ? "'" + *name + "' " : std::string()) +
                                                       "has no steps; expected at least one");
  }
  valid = valid && items && !items->empty();
  NameIndex step_names;
  for (const YAML::Node& item : items ? *items : std::vector<YAML::Node>{}) {
    auto step = read_step(reader, item, step_names);
    if (step) scenario.steps.push_back(std::move(*step));
    valid = valid && step;
  }
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
