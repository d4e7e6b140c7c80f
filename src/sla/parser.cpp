// A hand-written recursive-descent parser over the expression text: the grammar is small, and owning the
// cursor lets every error name its exact column and the token it found there.
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "sla/expression.h"
#include "sla/grammar.h"

namespace surge::sla {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}
// Bare scope values cover the usual names (warm-up, api/v1:users); others, like "GET /", are quoted.
bool is_bare_value_char(char c) { return is_name_char(c) || c == '/' || c == ':'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) { out_.text = std::string(text); }

  core::Result<Expression, ExpressionError> parse() {
    skip_space();
    if (at_end()) return error_at(1, "empty SLA; expected something like p95(latency) < 250ms");
    if (!parse_metric() || !parse_comparison() || !parse_threshold()) return std::move(*error_);
    skip_space();
    if (!at_end()) return error("expected the end of the SLA after the threshold, found " + found());
    return std::move(out_);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  int column() const { return static_cast<int>(pos_) + 1; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  core::Unexpected<ExpressionError> error(std::string message) {
    return error_at(column(), std::move(message));
  }
  core::Unexpected<ExpressionError> error_at(int at, std::string message) {
    error_ = core::Unexpected<ExpressionError>{{at, std::move(message)}};
    return *error_;
  }

  // What stands at the cursor, for "found ..." in messages: a quoted word or character, or "the end".
  std::string found() const {
    if (at_end()) return "the end";
    size_t end = pos_;
    while (end < text_.size() && is_name_char(text_[end])) ++end;
    if (end == pos_) end = pos_ + 1;
    return "'" + std::string(text_.substr(pos_, end - pos_)) + "'";
  }

  std::string read_name() {
    size_t start = pos_;
    if (is_name_start(peek())) {
      while (!at_end() && is_name_char(text_[pos_])) ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  // A name in quotes ('GET /', "checkout step"): the quotes are not part of it.
  std::optional<std::string> read_quoted() {
    char quote = peek();
    size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) {
      error(std::string("unterminated ") + quote + "; expected a closing " + quote);
      return std::nullopt;
    }
    std::string value(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return value;
  }

  bool expect(char c, std::string_view after) {
    skip_space();
    if (peek() == c) {
      ++pos_;
      return true;
    }
    error(std::string("expected '") + c + "' " + std::string(after) + ", found " + found());
    return false;
  }

  bool parse_metric() {
    int start = column();
    std::string name = read_name();
    if (name.empty()) {
      error("expected a metric (" + std::string(kMetricList) + "), found " + found());
      return false;
    }
    for (const NamedStatistic& statistic : kStatistics) {
      if (name == statistic.name) {
        out_.statistic = statistic.statistic;
        out_.quantity = Quantity::kDuration;
        return parse_call(name);
      }
    }
    if (name == "group_failed_rate") {
      out_.group = GroupKind::kFailedRate;
      out_.quantity = Quantity::kRatio;
      return parse_call(name);
    }
    if (name == "rate" || name == "counter") {
      out_.custom = name == "rate" ? CustomKind::kRate : CustomKind::kCounter;
      out_.quantity = name == "rate" ? Quantity::kRatio : Quantity::kCount;
      return parse_call(name);
    }
    for (const NamedMetric& metric : kPlainMetrics) {
      if (name == metric.name) {
        out_.metric = name;
        out_.metric_column = start;
        out_.quantity = metric.quantity;
        skip_space();
        return peek() != '{' || parse_scope();
      }
    }
    skip_space();
    if (peek() == '(') {
      error_at(start,
               "unknown function '" + name +
                   "'; expected p50, p90, p95, p99, p999, max, mean, min, rate, counter or group_failed_rate");
    } else {
      error_at(start, "unknown metric '" + name + "'; expected " + std::string(kMetricList));
    }
    return false;
  }

  // Whether `word(` stands at the cursor (spaces allowed before the parenthesis).
  bool at_call(std::string_view word) const {
    if (text_.substr(pos_, word.size()) != word) return false;
    size_t after = pos_ + word.size();
    while (after < text_.size() && std::isspace(static_cast<unsigned char>(text_[after]))) ++after;
    return after < text_.size() && text_[after] == '(';
  }

  // name(metric{scope}): the scope belongs inside the parentheses, next to what it narrows. A statistic may
  // wrap trend(name{scope}), a custom trend metric: p95(trend(tokens)), or group(name{scope}), a group's
  // durations: p95(group(checkout)).
  bool parse_call(const std::string& function) {
    if (!expect('(', "after " + function)) return false;
    skip_space();
    const bool wraps = out_.statistic && out_.custom == CustomKind::kNone && out_.group == GroupKind::kNone;
    if (wraps && at_call("trend")) {
      pos_ += 5;
      out_.custom = CustomKind::kTrend;
      out_.quantity = Quantity::kNumber;
      return parse_call("trend") && expect(')', "after trend(" + out_.metric + ")");
    }
    if (wraps && at_call("group")) {
      pos_ += 5;
      out_.group = GroupKind::kDuration;
      return parse_call("group") && expect(')', "after group(" + out_.metric + ")");
    }
    out_.metric_column = column();
    if (peek() == '"' || peek() == '\'') {
      auto quoted = read_quoted();
      if (!quoted) return false;
      out_.metric = std::move(*quoted);
    } else {
      out_.metric = read_name();
    }
    if (out_.metric.empty()) {
      std::string_view wanted = out_.group != GroupKind::kNone     ? "a group's name"
                                : out_.custom == CustomKind::kNone ? "latency, service_time or a step name"
                                                                   : "a custom metric's name";
      error("expected " + std::string(wanted) + " after '" + function + "(', found " + found());
      return false;
    }
    skip_space();
    if (peek() == '{' && !parse_scope()) return false;
    if (!expect(')', "after " + out_.metric + (out_.scope.empty() ? " (or a scope {phase=...})" : "}"))) {
      return false;
    }
    skip_space();
    if (peek() == '{') {
      error("a scope goes inside the parentheses, like " + function + "(" + out_.metric + "{phase=...})");
      return false;
    }
    return true;
  }

  bool parse_scope() {
    ++pos_;  // '{'
    while (true) {
      skip_space();
      ScopeItem item;
      item.key_column = column();
      item.key = read_name();
      if (item.key != "phase" && item.key != "scenario" && item.key != "step") {
        if (item.key.empty()) error("expected phase, scenario or step in the scope, found " + found());
        if (!item.key.empty())
          error_at(item.key_column, "unknown scope key '" + item.key + "'; expected phase, scenario or step");
        return false;
      }
      for (const ScopeItem& seen : out_.scope) {
        if (seen.key == item.key) {
          error_at(item.key_column,
                   "'" + item.key + "' appears twice in the scope; an SLA has one " + item.key);
          return false;
        }
      }
      if (!expect('=', "after " + item.key) || !parse_scope_value(item)) return false;
      out_.scope.push_back(std::move(item));
      skip_space();
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      if (peek() != ',') {
        error("expected ',' or '}' in the scope, found " + found());
        return false;
      }
      ++pos_;
    }
  }

  bool parse_scope_value(ScopeItem& item) {
    skip_space();
    item.value_column = column();
    if (peek() == '"' || peek() == '\'') {
      auto quoted = read_quoted();
      if (!quoted) return false;
      item.value = std::move(*quoted);
    } else {
      size_t start = pos_;
      while (!at_end() && is_bare_value_char(text_[pos_])) ++pos_;
      item.value = std::string(text_.substr(start, pos_ - start));
    }
    if (item.value.empty()) {
      error_at(item.value_column,
               "expected a " + item.key + " name after '" + item.key + "=', found " + found());
      return false;
    }
    return true;
  }

  bool parse_comparison() {
    skip_space();
    static constexpr std::array<std::pair<std::string_view, Comparison>, 6> kOperators = {{
        {"<=", Comparison::kLessEqual},
        {">=", Comparison::kGreaterEqual},
        {"==", Comparison::kEqual},
        {"!=", Comparison::kNotEqual},
        {"<", Comparison::kLess},
        {">", Comparison::kGreater},
    }};
    for (const auto& [symbol, comparison] : kOperators) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        pos_ += symbol.size();
        out_.comparison = comparison;
        return true;
      }
    }
    std::string hint = peek() == '=' ? " (equality is ==)" : "";
    error("expected a comparison (<, <=, >, >=, ==, !=)" + hint + ", found " + found());
    return false;
  }

  bool parse_threshold() {
    skip_space();
    out_.threshold_column = column();
    size_t start = pos_;
    while (!at_end() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) ++pos_;
    std::string_view digits = text_.substr(start, pos_ - start);
    double value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        !std::isfinite(value)) {
      pos_ = start;
      error("expected a number >= 0 as the threshold, found " + found());
      return false;
    }
    out_.threshold = value;
    skip_space();
    int unit_column = column();
    size_t unit_start = pos_;
    if (peek() == '%') {
      ++pos_;
    } else if (peek() == '/') {
      ++pos_;
      while (!at_end() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    } else {
      while (!at_end() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    out_.unit = std::string(text_.substr(unit_start, pos_ - unit_start));
    if (auto bad_unit = check_threshold_unit(out_, digits, unit_column)) {
      error_ = core::Unexpected<ExpressionError>{std::move(*bad_unit)};
      return false;
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  Expression out_;
  std::optional<core::Unexpected<ExpressionError>> error_;
};

}  // namespace

core::Result<Expression, ExpressionError> parse_expression(std::string_view text) {
  return Parser(text).parse();
}

}  // namespace surge::sla
