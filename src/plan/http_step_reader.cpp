// `http` steps: the request (method, url, query, headers, body/json/form), how its response is judged
// (timeout, expect) and what is taken from it (capture). Templates are only collected here; template_check.cpp
// compiles them once the whole plan, with every variable, is known.
#include <algorithm>
#include <cctype>
#include <utility>

#include "plan/http_syntax.h"
#include "plan/json_body.h"
#include "plan/plan_reader.h"
#include "plan/template_text.h"

namespace surge::plan {
namespace {

bool is_content_type(const Header& header) {
  constexpr std::string_view kName = "content-type";
  return std::equal(header.name.begin(), header.name.end(), kName.begin(), kName.end(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

void add_content_type(HttpStep& step, std::string value) {
  if (std::none_of(step.headers.begin(), step.headers.end(), is_content_type)) {
    step.headers.push_back({"Content-Type", std::move(value), step.body_where});
  }
}

// "a=1&b=x" from a map of names to scalars, literal parts percent-encoded (templates are encoded when rendered).
std::optional<std::string> read_pairs(YamlReader& reader, const Field& field) {
  if (!field.value.IsMap()) {
    reader.error(reader.where_value(field), field.key + ": expected a map of names to values, found " +
                                                describe(field.value));
    return std::nullopt;
  }
  std::string out;
  bool valid = true;
  for (const auto& pair : field.value) {
    auto name = reader.read_string(pair.first, reader.where(pair.first), field.key + " name");
    auto value = reader.read_template(pair.second, reader.where(pair.second.IsNull() ? pair.first : pair.second),
                                      field.key + " value");
    if (!name || !value) {
      valid = false;
      continue;
    }
    if (!out.empty()) out += '&';
    out += percent_encode_literal(*name) + "=" + percent_encode_literal(*value);
  }
  if (!valid) return std::nullopt;
  return out;
}

// body, json or form (one of them). json and form bring their Content-Type unless the step names one.
bool read_body(YamlReader& reader, const MapFields& map, HttpStep& step) {
  const Field* body = map.find("body");
  const Field* json = map.find("json");
  const Field* form = map.find("form");
  if ((body != nullptr) + (json != nullptr) + (form != nullptr) > 1) {
    reader.error(reader.where(map.node()), "http step has more than one of body, json and form; use one");
    return false;
  }
  const Field* given = body ? body : json ? json : form;
  if (given == nullptr) return true;
  step.body_where = reader.where_value(*given);
  if (body) {
    auto text = reader.read_template(*body);
    if (text) step.body = std::move(*text);
    return text.has_value();
  }
  if (form) {
    auto text = read_pairs(reader, *form);
    if (!text) return false;
    step.body = std::move(*text);
    step.body_is_form = true;
    add_content_type(step, "application/x-www-form-urlencoded");
    return true;
  }
  auto text = yaml_to_json(json->value);
  if (!text) {
    reader.error(reader.where(text.error().at), text.error().message);
    return false;
  }
  step.body = std::move(text).value();
  step.body_is_json = true;
  add_content_type(step, "application/json");
  return true;
}

// method, url, query, headers and body: what goes into the request bytes. False if any of them is invalid.
bool read_request(YamlReader& reader, const MapFields& map, HttpStep& step) {
  bool valid = true;
  if (const Field* field = map.find("method")) {
    auto method = reader.read_string(*field);
    if (auto checked = method ? check_method(*method) : core::Result<void>{}; !checked) {
      reader.error(reader.where_value(*field), checked.error().message);
      method.reset();
    }
    if (method) step.method = std::move(*method);
    valid = method.has_value();
  }
  const Field* url_field = reader.require(map, "url");
  auto url = url_field ? reader.read_template(*url_field) : std::nullopt;
  if (url) {
    step.url_where = reader.where_text(url_field->value);
    if (auto checked = check_step_url(without_templates(*url)); !checked) {
      reader.error(step.url_where, checked.error().message);
      url.reset();
    }
  }
  if (url) step.url = std::move(*url);
  valid = valid && url;
  if (const Field* field = map.find("query")) {
    auto query = read_pairs(reader, *field);
    if (query && !query->empty()) step.url += (step.url.find('?') == std::string::npos ? "?" : "&") + *query;
    valid = valid && query;
  }
  if (const Field* field = map.find("headers")) {
    auto headers = reader.read_headers(*field);
    if (headers) step.headers = std::move(*headers);
    valid = valid && headers;
  }
  return read_body(reader, map, step) && valid;
}

}  // namespace

std::optional<HttpStep> read_http(YamlReader& reader, const Field& field, const SourceLocation& where,
                                  NameIndex& names) {
  auto map = reader.read_map(field, "http step",
                             {"name", "method", "url", "query", "headers", "body", "json", "form", "timeout",
                              "expect", "capture"});
  if (!map) return std::nullopt;
  HttpStep step;
  step.where = where;
  bool valid = read_request(reader, *map, step);
  if (const Field* field = map->find("timeout")) {
    step.timeout = reader.read_positive_duration(*field, "timeout");
    valid = valid && step.timeout;
  }
  if (const Field* field = map->find("expect")) valid = read_expect(reader, *field, step) && valid;
  if (const Field* field = map->find("capture")) valid = read_captures(reader, *field, step) && valid;
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

}  // namespace surge::plan
