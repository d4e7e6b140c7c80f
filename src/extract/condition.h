// Conditions (`header("X-Cache") == "HIT"`, `status < 400 && json("$.ok") == true`) and numeric values
// (`json("$.usage.tokens")`) for checks and custom metrics: compiled once at plan load into a small tree,
// then evaluated against each response without allocating.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "extract/regex.h"
#include "extract/response_view.h"
#include "extract/source.h"
#include "extract/syntax_error.h"

namespace surge::extract {

enum class Op : uint8_t {
  kExists,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kContains,
  kMatches
};

struct Literal {
  enum class Kind : uint8_t { kString, kNumber, kTrue, kFalse, kNull };
  Kind kind = Kind::kString;
  std::string text;   // a string's content, or the number or word as written
  double number = 0;  // kNumber
};

// `source op literal`; kExists has no literal. `pattern` is the compiled literal of kMatches.
struct Comparison {
  Source source;
  Op op = Op::kExists;
  Literal literal;
  std::optional<Regex> pattern;
};

// kCompare: `first` indexes the comparisons; kNot: `first` is the operand node; kAnd/kOr: both are nodes.
struct ConditionNode {
  enum class Kind : uint8_t { kCompare, kNot, kAnd, kOr };
  Kind kind = Kind::kCompare;
  uint32_t first = 0;
  uint32_t second = 0;
};

class Condition {
 public:
  Condition(std::string text, std::vector<Comparison> comparisons, std::vector<ConditionNode> nodes,
            uint32_t root);

  // Whether the condition is true of `response`. Comparisons are evaluated left to right with && and ||
  // short-circuiting. Like Regex, one thread at a time: a scratch string holds unescaped JSON strings.
  bool holds(const ResponseView& response) const;
  const std::string& text() const { return text_; }

 private:
  bool evaluate(uint32_t node, const ResponseView& response) const;
  bool compare(const Comparison& comparison, const ResponseView& response) const;

  std::string text_;
  std::vector<Comparison> comparisons_;
  std::vector<ConditionNode> nodes_;
  uint32_t root_ = 0;
  mutable std::string scratch_;
};

class Value {
 public:
  Value(std::string text, Source source) : text_(std::move(text)), source_(std::move(source)) {}

  // The source's number in `response`; nullopt when the source is absent or not a number (see Reading).
  std::optional<double> of(const ResponseView& response) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  Source source_;
  mutable std::string scratch_;
};

// condition := or;  or := and ('||' and)*;  and := unary ('&&' unary)*;  unary := '!' unary | '(' or ')' |
// comparison;  comparison := source [op literal];  source := status | body | header(STR) | json(STR) |
// regex(STR);  op := == != < <= > >= contains matches;  literal := STR | NUMBER | true | false | null.
// STR is "..." or '...' where a backslash escapes only the quote and itself (so "\d+" is the regex \d+).
// Errors carry the offset into `text`: {10, "expected a literal after '=='"}.
core::Result<Condition, SyntaxError> compile_condition(std::string_view text);

// A single source, for trends and counters: `json("$.usage.tokens")`, `header("X-Time")`, `status`.
core::Result<Value, SyntaxError> compile_value(std::string_view text);

}  // namespace surge::extract
