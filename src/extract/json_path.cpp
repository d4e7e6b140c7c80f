// Compiling JSON path text into steps, and finding a step's value by walking the raw JSON with
// ContainerWalker: only the containers on the path are entered, every other value is skipped (and validated)
// in place.
#include "extract/json_path.h"

#include "text/hex.h"
#include "text/json_scan.h"
#include "text/json_string.h"
#include "text/utf8.h"

namespace surge::extract {
namespace {

namespace json = text::json;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

class PathParser {
 public:
  explicit PathParser(std::string_view text) : text_(text) {}

  core::Result<JsonPath, SyntaxError> parse() {
    if (!parse_steps()) return core::Unexpected<SyntaxError>{std::move(error_)};
    return JsonPath(std::string(text_), std::move(steps_));
  }

 private:
  std::string found() const {
    return pos_ < text_.size() ? "'" + std::string(1, text_[pos_]) + "'" : std::string("the end");
  }

  bool fail_at(size_t offset, std::string message) {
    error_ = SyntaxError{offset, std::move(message)};
    return false;
  }

  bool parse_steps() {
    if (text_.empty()) return fail_at(0, "empty JSON path; expected '$'");
    if (text_[0] != '$') return fail_at(0, "a JSON path starts with '$', found " + found());
    pos_ = 1;
    while (pos_ < text_.size()) {
      if (text_[pos_] == '.') {
        if (!parse_dot()) return false;
      } else if (text_[pos_] == '[') {
        if (!parse_bracket()) return false;
      } else {
        return fail_at(pos_, "expected '.' or '[', found " + found());
      }
    }
    return true;
  }

  bool parse_dot() {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      return fail_at(pos_, "expected a name after '.'; recursive descent '..' is not supported");
    }
    if (pos_ < text_.size() && text_[pos_] == '*') {
      return fail_at(pos_, "wildcards are not supported; expected a name after '.'");
    }
    size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    if (pos_ == start) return fail_at(pos_, "expected a name after '.', found " + found());
    steps_.push_back(PathStep{false, std::string(text_.substr(start, pos_ - start)), 0});
    return true;
  }

  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  bool parse_bracket() {
    size_t open = pos_++;
    skip_spaces();
    if (pos_ >= text_.size()) return fail_at(open, "unterminated '['");
    char c = text_[pos_];
    bool ok = false;
    if (c == '\'' || c == '"') {
      ok = parse_quoted();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      ok = parse_index();
    } else if (c == '*') {
      return fail_at(pos_, "wildcards are not supported; expected an index or a quoted name");
    } else {
      return fail_at(pos_, "expected an index or a quoted name after '[', found " + found());
    }
    if (!ok) return false;
    skip_spaces();
    if (pos_ >= text_.size()) return fail_at(open, "unterminated '['");
    if (text_[pos_] != ']') return fail_at(pos_, "expected ']', found " + found());
    ++pos_;
    return true;
  }

  bool parse_index() {
    bool negative = text_[pos_] == '-';
    if (negative) ++pos_;
    size_t start = pos_;
    int64_t value = 0;
    for (; pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; ++pos_) {
      if (value > (INT64_MAX - 9) / 10) return fail_at(start, "index out of range");
      value = value * 10 + (text_[pos_] - '0');
    }
    if (pos_ == start) return fail_at(pos_, "expected digits after '-', found " + found());
    steps_.push_back(PathStep{true, {}, negative ? -value : value});
    return true;
  }

  bool parse_quoted() {
    size_t quote_at = pos_;
    char quote = text_[pos_++];
    std::string name;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] != '\\') {
        name += text_[pos_++];
        continue;
      }
      if (!parse_escape(name)) return false;
    }
    if (pos_ >= text_.size()) {
      return fail_at(quote_at, std::string("unterminated name; expected a closing ") + quote);
    }
    ++pos_;
    steps_.push_back(PathStep{false, std::move(name), 0});
    return true;
  }

  // The JSON escapes (RFC 8259 §7) plus \' for single-quoted names; `pos_` is at the backslash.
  bool parse_escape(std::string& name) {
    size_t at = pos_++;
    if (pos_ >= text_.size()) return fail_at(at, "unterminated escape");
    char c = text_[pos_++];
    static constexpr std::string_view kFrom = "'\"\\/bfnrt";
    static constexpr std::string_view kTo = "'\"\\/\b\f\n\r\t";
    if (size_t i = kFrom.find(c); i != std::string_view::npos) {
      name += kTo[i];
      return true;
    }
    if (c != 'u') return fail_at(at, std::string("unknown escape '\\") + c + "'");
    int32_t unit = text::read_hex4(text_, pos_);
    if (unit < 0) return fail_at(at, "expected four hex digits after '\\u'");
    pos_ += 4;
    uint32_t code_point = static_cast<uint32_t>(unit);
    if (unit >= 0xD800 && unit <= 0xDFFF) {
      int32_t low = text_.substr(pos_).starts_with("\\u") ? text::read_hex4(text_, pos_ + 2) : -1;
      if (unit > 0xDBFF || low < 0xDC00 || low > 0xDFFF)
        return fail_at(at, "unpaired surrogate in '\\u' escape");
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00);
      pos_ += 6;
    }
    char utf8[4];
    name.append(utf8, text::encode_utf8(code_point, utf8));
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<PathStep> steps_;
  SyntaxError error_;
};

// Where the member named `name` of the object at `pos` starts, or kBad.
size_t member_value(std::string_view json, size_t pos, int levels, std::string_view name) {
  json::ContainerWalker walker(json, pos, levels);
  while (walker.next()) {
    if (json::decodes_to(walker.key(), name)) return walker.value_pos();
  }
  return json::kBad;
}

// Where element `index` (negative from the end) of the array at `pos` starts, or kBad. A negative index
// walks the array twice, once to count, rather than remembering positions.
size_t element_value(std::string_view json, size_t pos, int levels, int64_t index) {
  if (index < 0) {
    json::ContainerWalker counter(json, pos, levels);
    int64_t count = 0;
    while (counter.next()) ++count;
    if (counter.failed() || count + index < 0) return json::kBad;
    index += count;
  }
  json::ContainerWalker walker(json, pos, levels);
  for (int64_t i = 0; walker.next(); ++i) {
    if (i == index) return walker.value_pos();
  }
  return json::kBad;
}

}  // namespace

core::Result<JsonPath, SyntaxError> compile_json_path(std::string_view text) {
  return PathParser(text).parse();
}

std::optional<std::string_view> find(const JsonPath& path, std::string_view json) {
  size_t pos = json::skip_space(json, 0);
  int levels = kResponseLevels;
  for (const PathStep& step : path.steps()) {
    if (pos >= json.size() || json[pos] != (step.is_index ? '[' : '{')) return std::nullopt;
    pos = step.is_index ? element_value(json, pos, levels, step.index)
                        : member_value(json, pos, levels, step.name);
    if (pos == json::kBad) return std::nullopt;
    --levels;
  }
  size_t end = json::skip_value(json, pos, levels);
  if (end == json::kBad) return std::nullopt;
  // Inside a container the value must be followed by ',' or the closing bracket: a document cut short in the
  // middle of a number ("12" of "123") must not yield the prefix.
  if (!path.steps().empty()) {
    size_t next = json::skip_space(json, end);
    char close = path.steps().back().is_index ? ']' : '}';
    if (next >= json.size() || (json[next] != ',' && json[next] != close)) return std::nullopt;
  }
  return json.substr(pos, end - pos);
}

}  // namespace surge::extract
