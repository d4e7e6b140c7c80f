// The recursive-descent parser behind compile_condition and compile_value. It owns the cursor so that every
// error, including those from a JSON path or regex inside a literal, names its offset in the whole text.
#include <charconv>
#include <utility>

#include "extract/condition.h"
#include "text/json_scan.h"

namespace surge::extract {
namespace {

// Far beyond any hand-written check; limits at all because parsing and evaluation recurse, so the depth of
// the tree must stay bounded.
constexpr int kMaxNesting = 64;
constexpr size_t kMaxComparisons = 256;

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class ExpressionParser {
 public:
  explicit ExpressionParser(std::string_view text) : text_(text) {}

  core::Result<Condition, SyntaxError> condition() {
    skip_space();
    if (at_end()) return fail(0, "empty condition; expected a source such as status or header(\"X-Cache\")");
    std::optional<uint32_t> root = parse_or(0);
    if (!root) return error();
    skip_space();
    if (!at_end()) return fail(pos_, "expected '&&', '||' or the end, found " + found());
    return Condition(std::string(text_), std::move(comparisons_), std::move(nodes_), *root);
  }

  core::Result<Value, SyntaxError> value() {
    skip_space();
    if (at_end()) return fail(0, "empty value; expected a source such as json(\"$.usage.tokens\")");
    std::optional<Source> source = parse_source();
    if (!source) return error();
    skip_space();
    if (!at_end()) return fail(pos_, "a value is a single source; expected the end, found " + found());
    return Value(std::string(text_), std::move(*source));
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }
  bool take(std::string_view token) {
    if (!text_.substr(pos_).starts_with(token)) return false;
    pos_ += token.size();
    return true;
  }

  // The word or character at the cursor, quoted, or "the end".
  std::string found() const {
    if (at_end()) return "the end";
    size_t end = pos_;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    return "'" + std::string(text_.substr(pos_, end == pos_ ? 1 : end - pos_)) + "'";
  }

  core::Unexpected<SyntaxError> fail(size_t offset, std::string message) {
    error_ = SyntaxError{offset, std::move(message)};
    return error();
  }
  core::Unexpected<SyntaxError> error() const { return core::Unexpected<SyntaxError>{error_}; }
  // Records the error for the functions that return an optional: `return reject(...)`.
  std::nullopt_t reject(size_t offset, std::string message) {
    error_ = SyntaxError{offset, std::move(message)};
    return std::nullopt;
  }

  uint32_t add_node(ConditionNode::Kind kind, uint32_t first, uint32_t second = 0) {
    nodes_.push_back(ConditionNode{kind, first, second});
    return static_cast<uint32_t>(nodes_.size() - 1);
  }

  std::optional<uint32_t> parse_or(int nesting) {
    std::optional<uint32_t> left = parse_and(nesting);
    while (left && (skip_space(), take("||"))) {
      std::optional<uint32_t> right = parse_and(nesting);
      if (!right) return std::nullopt;
      left = add_node(ConditionNode::Kind::kOr, *left, *right);
    }
    return left;
  }

  std::optional<uint32_t> parse_and(int nesting) {
    std::optional<uint32_t> left = parse_unary(nesting);
    while (left && (skip_space(), take("&&"))) {
      std::optional<uint32_t> right = parse_unary(nesting);
      if (!right) return std::nullopt;
      left = add_node(ConditionNode::Kind::kAnd, *left, *right);
    }
    return left;
  }

  std::optional<uint32_t> parse_unary(int nesting) {
    skip_space();
    if (nesting >= kMaxNesting) return reject(pos_, "nested too deeply");
    if (peek() == '!' && peek(1) != '=') {
      ++pos_;
      std::optional<uint32_t> operand = parse_unary(nesting + 1);
      return operand ? std::optional(add_node(ConditionNode::Kind::kNot, *operand)) : std::nullopt;
    }
    if (peek() == '(') {
      size_t open = pos_++;
      std::optional<uint32_t> inner = parse_or(nesting + 1);
      if (!inner) return std::nullopt;
      skip_space();
      if (!take(")")) {
        return reject(
            pos_, "expected ')' to close the '(' at offset " + std::to_string(open) + ", found " + found());
      }
      return inner;
    }
    return parse_comparison();
  }

  std::optional<uint32_t> parse_comparison() {
    if (comparisons_.size() >= kMaxComparisons) {
      return reject(pos_, "too many comparisons; at most " + std::to_string(kMaxComparisons));
    }
    Comparison comparison;
    std::optional<Source> source = parse_source();
    if (!source) return std::nullopt;
    comparison.source = std::move(*source);
    skip_space();
    size_t op_at = pos_;
    std::optional<Op> op = parse_op();
    if (!op) return std::nullopt;
    comparison.op = *op;
    if (*op != Op::kExists) {
      std::string_view op_text = text_.substr(op_at, pos_ - op_at);
      skip_space();
      size_t literal_at = pos_;
      std::optional<Literal> literal = parse_literal(op_text);
      if (!literal) return std::nullopt;
      comparison.literal = std::move(*literal);
      if (*op == Op::kMatches) {
        if (comparison.literal.kind != Literal::Kind::kString) {
          return reject(literal_at, "expected a quoted regex after 'matches'");
        }
        auto regex = compile_regex(comparison.literal.text);
        if (!regex) return reject(literal_at + 1 + regex.error().offset, regex.error().message);
        comparison.pattern.emplace(std::move(*regex));
      }
    }
    comparisons_.push_back(std::move(comparison));
    return add_node(ConditionNode::Kind::kCompare, static_cast<uint32_t>(comparisons_.size() - 1));
  }

  // The operator at the cursor; kExists when the source stands alone (followed by &&, ||, ')' or the end).
  std::optional<Op> parse_op() {
    static constexpr std::pair<std::string_view, Op> kSymbols[] = {
        {"==", Op::kEqual},        {"!=", Op::kNotEqual}, {"<=", Op::kLessEqual},
        {">=", Op::kGreaterEqual}, {"<", Op::kLess},      {">", Op::kGreater}};
    for (const auto& [symbol, op] : kSymbols) {
      if (take(symbol)) return op;
    }
    static constexpr std::pair<std::string_view, Op> kWords[] = {{"contains", Op::kContains},
                                                                 {"matches", Op::kMatches}};
    for (const auto& [word, op] : kWords) {
      if (text_.substr(pos_).starts_with(word) && !is_word_char(peek(word.size()))) {
        pos_ += word.size();
        return op;
      }
    }
    if (peek() == '=') return reject(pos_, "'=' is not an operator; use '=='");
    if (at_end() || peek() == ')' || text_.substr(pos_).starts_with("&&") ||
        text_.substr(pos_).starts_with("||")) {
      return Op::kExists;
    }
    return reject(pos_,
                  "expected an operator (==, !=, <, <=, >, >=, contains, matches), '&&', '||' or the end, "
                  "found " +
                      found());
  }

  // The literal at the cursor (after the operator `op`, named in messages).
  std::optional<Literal> parse_literal(std::string_view op) {
    if (peek() == '"' || peek() == '\'') {
      std::optional<std::string> text = parse_string();
      if (!text) return std::nullopt;
      return Literal{Literal::Kind::kString, std::move(*text), 0};
    }
    if (peek() == '-' || (peek() >= '0' && peek() <= '9')) {
      size_t end = text::json::skip_number(text_, pos_);
      if (end == text::json::kBad) return reject(pos_, "malformed number after '" + std::string(op) + "'");
      Literal literal{Literal::Kind::kNumber, std::string(text_.substr(pos_, end - pos_)), 0};
      std::from_chars(text_.data() + pos_, text_.data() + end, literal.number);
      pos_ = end;
      return literal;
    }
    std::optional<Literal> word = parse_word_literal();
    if (!word) return reject(pos_, "expected a literal after '" + std::string(op) + "', found " + found());
    return word;
  }

  std::optional<Literal> parse_word_literal() {
    static constexpr std::pair<std::string_view, Literal::Kind> kWords[] = {
        {"true", Literal::Kind::kTrue}, {"false", Literal::Kind::kFalse}, {"null", Literal::Kind::kNull}};
    for (const auto& [word, kind] : kWords) {
      if (text_.substr(pos_).starts_with(word) && !is_word_char(peek(word.size()))) {
        pos_ += word.size();
        return Literal{kind, std::string(word), 0};
      }
    }
    return std::nullopt;
  }

  // A quoted string at the cursor: backslash escapes only the quote and itself, other backslashes stay.
  std::optional<std::string> parse_string() {
    size_t open = pos_;
    char quote = text_[pos_++];
    std::string out;
    while (!at_end() && peek() != quote) {
      if (peek() == '\\' && (peek(1) == quote || peek(1) == '\\')) ++pos_;
      out += text_[pos_++];
    }
    if (at_end()) return reject(open, std::string("unterminated string; expected a closing ") + quote);
    ++pos_;
    return out;
  }

  std::optional<Source> parse_source();

  std::string_view text_;
  size_t pos_ = 0;
  SyntaxError error_;
  std::vector<Comparison> comparisons_;
  std::vector<ConditionNode> nodes_;
};

std::optional<Source> ExpressionParser::parse_source() {
  skip_space();
  size_t start = pos_;
  while (!at_end() && is_word_char(peek())) ++pos_;
  std::string_view word = text_.substr(start, pos_ - start);
  Source source;
  if (word == "status" || word == "body") {
    source.kind = word == "status" ? SourceKind::kStatus : SourceKind::kBody;
    return source;
  }
  if (word != "header" && word != "json" && word != "regex") {
    pos_ = start;
    return reject(start,
                  "expected a source (status, header(...), json(...), body, regex(...)), found " + found());
  }
  skip_space();
  if (!take("(")) return reject(pos_, "expected '(' after '" + std::string(word) + "'");
  skip_space();
  size_t literal_at = pos_;
  if (peek() != '"' && peek() != '\'') {
    return reject(pos_, "expected a quoted argument in " + std::string(word) + "(...), found " + found());
  }
  std::optional<std::string> argument = parse_string();
  if (!argument) return std::nullopt;
  skip_space();
  if (!take(")")) return reject(pos_, "expected ')' after the argument of " + std::string(word) + "(...)");
  if (word == "header") {
    if (argument->empty()) return reject(literal_at, "empty header name");
    source.kind = SourceKind::kHeader;
    source.header = std::move(*argument);
  } else if (word == "json") {
    auto path = compile_json_path(*argument);
    if (!path) return reject(literal_at + 1 + path.error().offset, "bad JSON path: " + path.error().message);
    source.kind = SourceKind::kJson;
    source.path = std::move(*path);
  } else {
    auto regex = compile_regex(*argument);
    if (!regex) return reject(literal_at + 1 + regex.error().offset, regex.error().message);
    source.kind = SourceKind::kRegex;
    source.regex.emplace(std::move(*regex));
  }
  return source;
}

}  // namespace

core::Result<Condition, SyntaxError> compile_condition(std::string_view text) {
  return ExpressionParser(text).condition();
}

core::Result<Value, SyntaxError> compile_value(std::string_view text) {
  return ExpressionParser(text).value();
}

}  // namespace surge::extract
