// `http` steps: the request (method, url, query, headers, body/json/form), how its response is judged
// (timeout, expect) and what is taken from it (capture). Templates are only collected here; template_check.cpp
// compiles them once the whole plan, with every variable, is known.
#include <algorithm>
#include <cctype>
#include <utility>

#include "metrics/error_kind.h"
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
    // A body template's errors point into its text, as a url's do (past the quote of a quoted scalar).
    if (body->value.IsScalar() && !body->value.Scalar().empty()) {
      step.body_where = reader.where_text(body->value);
    }
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

// Kinds a retry may name: the error kinds, and 5xx / 4xx for their status kinds.
std::optional<uint32_t> retry_kind_bit(std::string_view name) {
  if (name == "5xx") name = "status_5xx";
  if (name == "4xx") name = "status_4xx";
  for (size_t i = 0; i < metrics::kErrorKindCount; ++i) {
    if (metrics::kErrorKindNames[i] == name) return uint32_t{1} << i;
  }
  return std::nullopt;
}

std::string retry_kinds_list() {
  std::string list = "5xx, 4xx";
  for (std::string_view kind : metrics::kErrorKindNames) {
    if (!kind.starts_with("status_")) list += ", " + std::string(kind);
  }
  return list;
}

// retry: { attempts: 3, backoff: 100ms..2s, on: [reset, refused, timeout, 5xx] }
std::optional<RetryPolicy> read_retry(YamlReader& reader, const Field& field) {
  auto map = reader.read_map(field, "retry", {"attempts", "backoff", "on"});
  if (!map) return std::nullopt;
  RetryPolicy retry;
  retry.where = reader.where_value(field);
  for (std::string_view kind : {"refused", "connect", "reset", "timeout", "eof", "connect_timeout", "5xx"}) {
    retry.on |= *retry_kind_bit(kind);
  }
  bool valid = true;
  if (const Field* attempts = reader.require(*map, "attempts")) {
    auto value = reader.read_whole(*attempts, "attempts", 1, 100);
    if (value) retry.attempts = static_cast<uint32_t>(*value);
    valid = valid && value;
  } else {
    valid = false;
  }
  if (const Field* backoff = map->find("backoff")) {
    const std::string text = backoff->value.IsScalar() ? backoff->value.Scalar() : "";
    size_t dots = text.find("..");
    auto min = parse_duration(text.substr(0, dots));
    auto max = dots == std::string::npos ? min : parse_duration(text.substr(dots + 2));
    if (!min || !max || *min > *max || *max > std::chrono::minutes(10)) {
      reader.error(reader.where_value(*backoff), "retry backoff: expected a duration like 500ms or a range like "
                                                 "100ms..2s (first wait..longest wait, at most 10m), found " +
                                                     describe(backoff->value));
      valid = false;
    } else {
      retry.backoff_min = *min;
      retry.backoff_max = *max;
    }
  }
  if (const Field* on = map->find("on")) {
    retry.on = 0;
    if (!on->value.IsSequence() || on->value.size() == 0) {
      reader.error(reader.where_value(*on), "retry on: expected a list of error kinds like [reset, refused, 5xx], found " +
                                                describe(on->value));
      return std::nullopt;
    }
    for (const YAML::Node& item : on->value) {
      auto bit = item.IsScalar() ? retry_kind_bit(item.Scalar()) : std::nullopt;
      if (!bit) {
        reader.error(reader.where(item), "retry on: unknown error kind " + describe(item) + "; expected one of: " +
                                             retry_kinds_list());
        valid = false;
        continue;
      }
      retry.on |= *bit;
    }
  }
  if (!valid) return std::nullopt;
  return retry;
}

}  // namespace

std::optional<HttpStep> read_http(YamlReader& reader, const Field& field, const SourceLocation& where,
                                  NameIndex& names) {
  auto map = reader.read_map(field, "http step",
                             {"name", "method", "url", "query", "headers", "body", "json", "form", "timeout",
                              "expect", "capture", "retry"});
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
  if (const Field* field = map->find("retry")) {
    step.retry = read_retry(reader, *field);
    valid = valid && step.retry;
  }
  const Field* name_field = map->find("name");
  std::optional<std::string> name = step.method + " " + step.url;
  if (name_field) name = reader.read_string(*name_field);
  if (name && name->empty()) {
    reader.error(reader.where_value(*name_field), "step name must not be empty");
    name.reset();
  }
  SourceLocation name_where = name_field ? reader.where_value(*name_field) : where;
  bool unique = name && claim_step_name(reader, names, *name, name_field != nullptr, name_where);
  if (!unique || !valid) return std::nullopt;
  step.name = std::move(*name);
  return step;
}

}  // namespace surge::plan
