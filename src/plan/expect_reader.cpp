// `expect` and `capture` of an http step. Only their shape is checked here; template_check.cpp compiles the JSON
// paths, regexes and conditions (src/extract/) so a bad one is a plan error with its position.
#include <utility>

#include "plan/json_body.h"
#include "plan/plan_reader.h"

namespace surge::plan {
namespace {

// A string or a sequence of strings, each with its position.
std::vector<std::pair<std::string, SourceLocation>> read_strings(YamlReader& reader, const Field& field,
                                                                 bool& valid) {
  std::vector<std::pair<std::string, SourceLocation>> out;
  std::vector<YAML::Node> items;
  if (field.value.IsSequence()) {
    for (const YAML::Node& item : field.value) items.push_back(item);
  } else {
    items.push_back(field.value);
  }
  for (const YAML::Node& item : items) {
    SourceLocation at = item.IsNull() ? reader.where(field.key_node) : reader.where_text(item);
    auto text = reader.read_string(item, at, "expect " + field.key);
    if (text) out.emplace_back(std::move(*text), at);
    valid = valid && text;
  }
  return out;
}

bool read_header_checks(YamlReader& reader, const Field& field, HttpStep& step) {
  auto headers = reader.read_headers(field);
  if (!headers) return false;
  for (Header& header : *headers) {
    step.checks.push_back({Check::Kind::kHeader, "header " + header.name, header.name, header.value, header.where});
  }
  return true;
}

// json: { "$.path": expected value } — the value is compared as JSON (3 equals 3.0, key order is free).
bool read_json_checks(YamlReader& reader, const Field& field, HttpStep& step) {
  if (!field.value.IsMap()) {
    reader.error(reader.where_value(field),
                 "expect json: expected a map of JSON paths to values, found " + describe(field.value));
    return false;
  }
  bool valid = true;
  for (const auto& pair : field.value) {
    auto path = reader.read_string(pair.first, reader.where(pair.first), "expect json path");
    auto value = yaml_to_json(pair.second);
    if (!value) reader.error(reader.where(value.error().at), value.error().message);
    if (path && value) {
      step.checks.push_back({Check::Kind::kJson, "json " + *path, *path, *value, reader.where_text(pair.first)});
    }
    valid = valid && path && value;
  }
  return valid;
}

}  // namespace

bool read_expect(YamlReader& reader, const Field& field, HttpStep& step) {
  auto expect = reader.read_map(field, "expect", {"status", "header", "contains", "json", "json_exists", "condition"});
  if (!expect) return false;
  bool valid = true;
  if (const Field* status = expect->find("status")) {
    auto code = reader.read_whole(*status, "expect status", 100, 599);
    if (code) step.expect_status = static_cast<int>(*code);
    valid = code.has_value();
  }
  if (const Field* header = expect->find("header")) valid = read_header_checks(reader, *header, step) && valid;
  if (const Field* contains = expect->find("contains")) {
    for (auto& [text, at] : read_strings(reader, *contains, valid)) {
      step.checks.push_back({Check::Kind::kContains, "contains " + text, text, {}, at});
    }
  }
  if (const Field* json = expect->find("json")) valid = read_json_checks(reader, *json, step) && valid;
  if (const Field* exists = expect->find("json_exists")) {
    for (auto& [path, at] : read_strings(reader, *exists, valid)) {
      step.checks.push_back({Check::Kind::kJsonExists, "json_exists " + path, path, {}, at});
    }
  }
  if (const Field* condition = expect->find("condition")) {
    for (auto& [text, at] : read_strings(reader, *condition, valid)) {
      step.checks.push_back({Check::Kind::kCondition, text, text, {}, at});
    }
  }
  return valid;
}

// capture: { token: "$.token", location: { header: Location }, id: { regex: "id=(\\d+)" } }
bool read_captures(YamlReader& reader, const Field& field, HttpStep& step) {
  if (!field.value.IsMap()) {
    reader.error(reader.where_value(field), "capture: expected a map of variable names to sources, found " +
                                                describe(field.value));
    return false;
  }
  bool valid = true;
  for (const auto& pair : field.value) {
    auto variable = reader.read_string(pair.first, reader.where(pair.first), "capture variable");
    SourceLocation at = pair.second.IsNull() ? reader.where(pair.first) : reader.where_text(pair.second);
    Capture capture{variable ? *variable : std::string(), Capture::Kind::kJsonPath, {}, at, reader.where(pair.first)};
    if (pair.second.IsScalar() && !pair.second.Scalar().empty() && pair.second.Scalar()[0] == '$') {
      capture.source = pair.second.Scalar();
    } else if (pair.second.IsMap() && pair.second.size() == (pair.second["secret"] ? 2u : 1u)) {
      // { json: PATH, secret: true }: the source, and whether the value is a credential (docs/security.md).
      auto entry = pair.second.begin();
      if (entry->first.Scalar() == "secret") ++entry;
      if (const YAML::Node secret = pair.second["secret"]) {
        auto text = reader.read_string(secret, reader.where_text(secret), "capture secret");
        if (text && (*text == "true" || *text == "false")) {
          capture.secret = *text == "true";
        } else {
          if (text) reader.error(reader.where_text(secret), "secret: expected true or false, found '" + *text + "'");
          valid = false;
        }
      }
      const std::string key = entry->first.Scalar();
      const YAML::Node value = entry->second;
      capture.kind = key == "header" ? Capture::Kind::kHeader : key == "regex" ? Capture::Kind::kRegex
                                                                               : Capture::Kind::kJsonPath;
      SourceLocation source_at = value.IsNull() ? reader.where(pair.second) : reader.where_text(value);
      auto source = reader.read_string(value, source_at, "capture " + key);
      capture.where = source_at;
      if (key != "header" && key != "regex" && key != "json") {
        reader.error(at, "capture '" + capture.variable + "': unknown source '" + key +
                             "'; expected one of: json, header, regex");
        source.reset();
      }
      if (source) capture.source = std::move(*source);
      valid = valid && source;
      if (!source) continue;
    } else {
      reader.error(at, "capture '" + capture.variable + "': expected a JSON path like \"$.token\", or "
                       "{ header: NAME }, { regex: PATTERN } or { json: PATH } (each with an optional "
                       "secret: true), found " + describe(pair.second));
      valid = false;
      continue;
    }
    if (variable) step.captures.push_back(std::move(capture));
    valid = valid && variable;
  }
  return valid;
}

}  // namespace surge::plan
