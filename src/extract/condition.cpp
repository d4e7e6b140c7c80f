// Evaluating a compiled condition or value. The semantics users rely on live here: a missing source makes
// every comparison false except !=, and ordering is numeric only when both sides are numbers.
#include "extract/condition.h"

#include <utility>

namespace surge::extract {
namespace {

bool equal(const Literal& literal, const Reading& reading) {
  if (literal.kind == Literal::Kind::kNumber && reading.number) return *reading.number == literal.number;
  return reading.text == literal.text;
}

// Three-way order of reading against literal, or nullopt when a number literal meets a non-number.
std::optional<int> order(const Literal& literal, const Reading& reading) {
  if (literal.kind == Literal::Kind::kNumber) {
    if (!reading.number) return std::nullopt;
    return *reading.number < literal.number ? -1 : *reading.number > literal.number ? 1 : 0;
  }
  int c = reading.text.compare(literal.text);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

Condition::Condition(std::string text, std::vector<Comparison> comparisons, std::vector<ConditionNode> nodes,
                     uint32_t root)
    : text_(std::move(text)), comparisons_(std::move(comparisons)), nodes_(std::move(nodes)), root_(root) {}

bool Condition::holds(const ResponseView& response) const { return evaluate(root_, response); }

bool Condition::evaluate(uint32_t index, const ResponseView& response) const {
  const ConditionNode& node = nodes_[index];
  switch (node.kind) {
    case ConditionNode::Kind::kCompare:
      return compare(comparisons_[node.first], response);
    case ConditionNode::Kind::kNot:
      return !evaluate(node.first, response);
    case ConditionNode::Kind::kAnd:
      return evaluate(node.first, response) && evaluate(node.second, response);
    case ConditionNode::Kind::kOr:
      return evaluate(node.first, response) || evaluate(node.second, response);
  }
  return false;
}

bool Condition::compare(const Comparison& comparison, const ResponseView& response) const {
  Reading reading;
  read_source(comparison.source, response, scratch_, reading);
  if (comparison.op == Op::kExists) return reading.present;
  // An absent header or path equals nothing, so only != holds: "X-Cache != HIT" is true without X-Cache.
  if (!reading.present) return comparison.op == Op::kNotEqual;
  const Literal& literal = comparison.literal;
  std::optional<int> sign;
  switch (comparison.op) {
    case Op::kEqual:
      return equal(literal, reading);
    case Op::kNotEqual:
      return !equal(literal, reading);
    case Op::kContains:
      return reading.text.find(literal.text) != std::string_view::npos;
    case Op::kMatches:
      return comparison.pattern && comparison.pattern->search(reading.text, nullptr);
    default:
      sign = order(literal, reading);
      break;
  }
  if (!sign) return false;
  switch (comparison.op) {
    case Op::kLess:
      return *sign < 0;
    case Op::kLessEqual:
      return *sign <= 0;
    case Op::kGreater:
      return *sign > 0;
    default:
      return *sign >= 0;
  }
}

std::optional<double> Value::of(const ResponseView& response) const {
  Reading reading;
  read_source(source_, response, scratch_, reading);
  return reading.present ? reading.number : std::nullopt;
}

}  // namespace surge::extract
