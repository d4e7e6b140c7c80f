// YAML → compact JSON for `json:` request bodies. YAML 1.2 core-schema typing on plain scalars only, so
// `"5"` stays a string and `5` becomes a number, as a reader of the plan would expect.
#include "plan/json_body.h"

#include <set>
#include <string_view>

#include "text/json_string.h"

namespace surge::plan {
namespace {

constexpr int kMaxDepth = 64;
constexpr size_t kMaxBytes = 1 << 20;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.' && (++i, !digits())) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

bool is_bool(std::string_view text) {
  return text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
         text == "FALSE";
}

class JsonWriter {
 public:
  core::Result<std::string, JsonError> run(const YAML::Node& node) {
    if (!write(node, 0)) return core::Unexpected<JsonError>{std::move(error_)};
    return std::move(out_);
  }

 private:
  bool fail(const YAML::Node& at, std::string message) {
    error_ = {at, std::move(message)};
    return false;
  }

  bool write(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth) return fail(node, "json: nested deeper than 64 levels");
    if (out_.size() > kMaxBytes) return fail(node, "json: body larger than 1 MiB");
    if (node.IsMap()) return write_object(node, depth);
    if (node.IsSequence()) return write_array(node, depth);
    if (!node.IsScalar()) {
      out_ += "null";
      return true;
    }
    const std::string& text = node.Scalar();
    if (node.Tag() == "?" && (is_bool(text) || is_json_number(text))) {
      out_ += is_bool(text) ? (text[0] == 't' || text[0] == 'T' ? "true" : "false") : text;
      return true;
    }
    write_string(text);
    return true;
  }

  bool write_object(const YAML::Node& node, int depth) {
    std::set<std::string> seen;
    out_ += '{';
    for (const auto& pair : node) {
      if (!pair.first.IsScalar()) return fail(pair.first, "json: keys must be strings");
      const std::string& key = pair.first.Scalar();
      if (key.find("{{") != std::string::npos)
        return fail(pair.first, "json: templates are not allowed in keys");
      if (!seen.insert(key).second) return fail(pair.first, "json: duplicate key '" + key + "'");
      if (seen.size() > 1) out_ += ',';
      write_string(key);
      out_ += ':';
      if (!write(pair.second, depth + 1)) return false;
    }
    out_ += '}';
    return true;
  }

  bool write_array(const YAML::Node& node, int depth) {
    out_ += '[';
    bool first = true;
    for (const auto& item : node) {
      if (!first) out_ += ',';
      first = false;
      if (!write(item, depth + 1)) return false;
    }
    out_ += ']';
    return true;
  }

  // RFC 8259 §7: quote, backslash and control characters escaped; UTF-8 passes through (checked at load).
  void write_string(std::string_view text) {
    out_ += '"';
    text::json::append_escaped(out_, text);
    out_ += '"';
  }

  std::string out_;
  JsonError error_;
};

}  // namespace

core::Result<std::string, JsonError> yaml_to_json(const YAML::Node& node) { return JsonWriter().run(node); }

}  // namespace surge::plan
