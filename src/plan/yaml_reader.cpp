// Typed reads of yaml-cpp nodes with positions. Scalars are parsed here with from_chars rather than
// Node::as<T>(), which throws and accepts more than we want ("0x10", "+5").
#include "plan/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "plan/http_syntax.h"

namespace surge::plan {
namespace {

constexpr size_t kDescribeMax = 40;

bool contains(Keys keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string join(Keys keys) {
  std::string out;
  for (std::string_view key : keys) out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

}  // namespace

std::string describe(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a sequence";
  if (!node.IsScalar()) return "nothing";
  const std::string& text = node.Scalar();
  if (text.size() <= kDescribeMax) return "'" + text + "'";
  return "'" + text.substr(0, kDescribeMax) + "...'";
}

std::string line_column(const SourceLocation& where) {
  return std::to_string(where.line) + ":" + std::to_string(where.column);
}

const Field* MapFields::find(std::string_view key) const {
  for (const Field& field : fields_) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

SourceLocation YamlReader::where(const YAML::Node& node) const {
  YAML::Mark mark = node.Mark();
  // Every node yaml-cpp parsed has a mark; only the ones apply_sets made lack one.
  if (mark.is_null()) return {std::string(kSetFile), 0, 0};
  return {file_, mark.line + 1, mark.column + 1};
}

SourceLocation YamlReader::where_text(const YAML::Node& node) const {
  SourceLocation at = where(node);
  // yaml-cpp tags quoted scalars "!" and marks them at the quote.
  if (at.line > 0 && node.IsScalar() && node.Tag() == "!") ++at.column;
  return at;
}

SourceLocation YamlReader::where_value(const Field& field) const {
  return where(field.value.IsNull() ? field.key_node : field.value);
}

void YamlReader::error(const SourceLocation& where, std::string message) {
  diagnostics_.push_back({where, std::move(message)});
}

std::optional<MapFields> YamlReader::read_map(const YAML::Node& node, std::string_view what, Keys allowed,
                                              Keys reserved) {
  if (!node.IsMap()) {
    error(where(node), std::string(what) + ": expected a map, found " + describe(node));
    return std::nullopt;
  }
  MapFields map(node, std::string(what));
  for (const auto& pair : node) {
    const YAML::Node& key = pair.first;
    if (!key.IsScalar()) {
      error(where(key), "keys in " + std::string(what) + " must be strings, found " + describe(key));
    } else if (!contains(allowed, key.Scalar()) && !contains(reserved, key.Scalar())) {
      error(where(key), "unknown key '" + key.Scalar() + "' in " + std::string(what) +
                            "; expected one of: " + join(allowed));
    } else if (const Field* first = map.find(key.Scalar())) {
      error(where(key), "duplicate key '" + key.Scalar() + "' in " + std::string(what) +
                            "; the first is at " + line_column(where(first->key_node)));
    } else {
      map.add({key.Scalar(), key, pair.second});
    }
  }
  return map;
}

std::optional<MapFields> YamlReader::read_map(const Field& field, std::string_view what, Keys allowed) {
  if (field.value.IsNull()) {
    error(where_value(field), std::string(what) + ": expected a map, found nothing");
    return std::nullopt;
  }
  return read_map(field.value, what, allowed);
}

const Field* YamlReader::require(const MapFields& map, std::string_view key) {
  const Field* field = map.find(key);
  if (field == nullptr) error(where(map.node()), "missing key '" + std::string(key) + "' in " + map.what());
  return field;
}

std::optional<std::string> YamlReader::read_string(const YAML::Node& node, const SourceLocation& at,
                                                   std::string_view what) {
  if (!node.IsScalar()) {
    error(at, std::string(what) + ": expected a string, found " + describe(node));
    return std::nullopt;
  }
  if (node.Scalar().find("{{") != std::string::npos) {
    error(at, std::string(what) + ": templates ({{ ... }}) are not allowed here; they are in urls, header values "
                                  "and bodies of http steps");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> YamlReader::read_template(const YAML::Node& node, const SourceLocation& at,
                                                     std::string_view what) {
  if (!node.IsScalar()) {
    error(at, std::string(what) + ": expected a string, found " + describe(node));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> YamlReader::read_template(const Field& field) {
  return read_template(field.value, where_value(field), field.key);
}

std::optional<std::string> YamlReader::read_string(const Field& field) {
  return read_string(field.value, where_value(field), field.key);
}

std::optional<Duration> YamlReader::read_duration(const Field& field) {
  if (!field.value.IsScalar()) {
    error(where_value(field), field.key + ": expected a duration like 10s, found " + describe(field.value));
    return std::nullopt;
  }
  auto duration = parse_duration(field.value.Scalar());
  if (!duration) {
    error(where_value(field), duration.error().message);
    return std::nullopt;
  }
  return *duration;
}

std::optional<Duration> YamlReader::read_positive_duration(const Field& field, std::string_view what) {
  auto duration = read_duration(field);
  if (duration && duration->count() <= 0) {
    error(where_value(field), std::string(what) + " must be > 0, found '" + field.value.Scalar() + "'");
    return std::nullopt;
  }
  return duration;
}

std::optional<double> YamlReader::read_rate_per_s(const Field& field) {
  if (!field.value.IsScalar()) {
    error(where_value(field), field.key + ": expected a rate like 200/s, found " + describe(field.value));
    return std::nullopt;
  }
  auto rate = parse_rate_per_s(field.value.Scalar());
  if (!rate) {
    error(where_value(field), rate.error().message);
    return std::nullopt;
  }
  return *rate;
}

std::optional<int64_t> YamlReader::read_whole(const Field& field, std::string_view what, int64_t min,
                                              int64_t max) {
  int64_t value = 0;
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && value >= min &&
        value <= max) {
      return value;
    }
  }
  error(where_value(field), std::string(what) + " must be a whole number from " + std::to_string(min) +
                                " to " + std::to_string(max) + ", found " + describe(field.value));
  return std::nullopt;
}

std::optional<double> YamlReader::read_number(const Field& field) {
  double value = 0;
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!text.empty() && ec == std::errc() && end == text.data() + text.size() && std::isfinite(value)) {
      return value;
    }
  }
  error(where_value(field), field.key + ": expected a number, found " + describe(field.value));
  return std::nullopt;
}

std::optional<std::vector<Header>> YamlReader::read_headers(const Field& field) {
  if (!field.value.IsMap()) {
    error(where_value(field),
          field.key + ": expected a map of header names to values, found " + describe(field.value));
    return std::nullopt;
  }
  std::vector<Header> headers;
  bool valid = true;
  for (const auto& pair : field.value) {
    auto name = read_string(pair.first, where(pair.first), "header name");
    const std::string what = "header '" + (name ? *name : std::string()) + "'";
    // `Name: { value: ..., secret: true }` marks a value to hide in every output (docs/security.md).
    YAML::Node value_node = pair.second;
    std::optional<bool> secret = false;
    if (pair.second.IsMap()) {
      auto map = read_map(pair.second, what, {"value", "secret"});
      const Field* value_field = map ? require(*map, "value") : nullptr;
      value_node = value_field ? value_field->value : YAML::Node();
      if (const Field* flag = map ? map->find("secret") : nullptr) {
        auto text = read_string(*flag);
        secret = text && (*text == "true" || *text == "false") ? std::optional<bool>(*text == "true") : std::nullopt;
        if (text && !secret) error(where_value(*flag), "secret: expected true or false, found '" + *text + "'");
      }
      if (!value_field || !secret) {
        valid = false;
        continue;
      }
    }
    SourceLocation value_where = value_node.IsNull() ? where(pair.first) : where_text(value_node);
    auto value = read_template(value_node, value_where, what);
    if (!name || !value) {
      valid = false;
      continue;
    }
    auto checked = check_header(*name, *value);
    if (!checked) {
      error(where(pair.first), checked.error().message);
      valid = false;
      continue;
    }
    headers.push_back({std::move(*name), std::move(*value), value_where, *secret});
  }
  if (!valid) return std::nullopt;
  return headers;
}

std::optional<std::vector<YAML::Node>> YamlReader::read_sequence(const Field& field) {
  if (field.value.IsNull()) return std::vector<YAML::Node>{};
  if (!field.value.IsSequence()) {
    error(where_value(field), field.key + ": expected a sequence, found " + describe(field.value));
    return std::nullopt;
  }
  return std::vector<YAML::Node>(field.value.begin(), field.value.end());
}

}  // namespace surge::plan
