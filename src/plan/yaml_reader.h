// Typed, position-aware reads of yaml-cpp nodes for the plan loader. Every failed read records a Diagnostic
// and returns nullopt, so the loader keeps going and reports all problems of a plan in one pass.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plan/plan.h"

namespace surge::plan {

// One `key: value` of a map. yaml-cpp marks an empty value at the start of the next line, so errors about
// a value use where_value(), which falls back to the key's position.
struct Field {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
};

// The fields of one map whose keys were checked: strings, no duplicates, all allowed.
class MapFields {
 public:
  MapFields(YAML::Node map, std::string what) : map_(std::move(map)), what_(std::move(what)) {}

  const Field* find(std::string_view key) const;
  const YAML::Node& node() const { return map_; }
  const std::string& what() const { return what_; }  // "phase", "http step": used in messages
  size_t size() const { return fields_.size(); }
  const std::vector<Field>& fields() const { return fields_; }  // in document order
  void add(Field field) { fields_.push_back(std::move(field)); }

 private:
  YAML::Node map_;
  std::string what_;
  std::vector<Field> fields_;
};

using Keys = std::initializer_list<std::string_view>;

// Nodes put into the document by --set have no position; diagnostics about them use this file name.
inline constexpr std::string_view kSetFile = "(--set)";

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  SourceLocation where(const YAML::Node& node) const;
  SourceLocation where_value(const Field& field) const;
  // Where the text of a scalar starts: one column after the opening quote of a quoted scalar, so an offset
  // into the text (a template, a JSON path) lands on its character.
  SourceLocation where_text(const YAML::Node& node) const;
  void error(const SourceLocation& where, std::string message);
  bool has_errors() const { return !diagnostics_.empty(); }
  Diagnostics take_diagnostics() { return std::move(diagnostics_); }

  // Expects a map whose keys are in `allowed` (reported otherwise, listing them) or in `reserved` (kept, for
  // the caller to reject with a better message). Returns nullopt only when the node is not a map.
  std::optional<MapFields> read_map(const YAML::Node& node, std::string_view what, Keys allowed,
                                    Keys reserved = {});
  std::optional<MapFields> read_map(const Field& field, std::string_view what, Keys allowed);
  // The field, or an error "missing key 'url' in http step" at the map.
  const Field* require(const MapFields& map, std::string_view key);

  // A scalar as text; rejects "{{", so a template is never sent literally where none is rendered.
  std::optional<std::string> read_string(const Field& field);
  std::optional<std::string> read_string(const YAML::Node& node, const SourceLocation& where,
                                         std::string_view what);
  // A scalar that may hold {{ templates }}; they are checked once the whole plan is read (template_check.cpp).
  std::optional<std::string> read_template(const Field& field);
  std::optional<std::string> read_template(const YAML::Node& node, const SourceLocation& where,
                                           std::string_view what);
  std::optional<Duration> read_duration(const Field& field);
  // As read_duration, and > 0: "<what> must be > 0, found '0s'".
  std::optional<Duration> read_positive_duration(const Field& field, std::string_view what);
  // A rate per second with parse_rate_per_s ("200/s", "12000/m").
  std::optional<double> read_rate_per_s(const Field& field);
  // A whole number in [min, max]; `what` names it in the message ("users", "expect status").
  std::optional<int64_t> read_whole(const Field& field, std::string_view what, int64_t min, int64_t max);
  std::optional<double> read_number(const Field& field);
  std::optional<std::vector<Header>> read_headers(const Field& field);

  // The items of a sequence; an error "<key>: expected a sequence, found ..." otherwise. Empty is allowed.
  std::optional<std::vector<YAML::Node>> read_sequence(const Field& field);

 private:
  std::string file_;
  Diagnostics diagnostics_;
};

// "a map", "a sequence", "nothing", or the scalar quoted ('abc'), shortened: for "found ..." messages.
std::string describe(const YAML::Node& node);
// "3:5": for "the first is at 3:5".
std::string line_column(const SourceLocation& where);

}  // namespace surge::plan
