// The JSON scanner: one pass over the text with a fixed stack of open brackets (no recursion, so fuzzed or
// hostile nesting cannot exhaust the call stack).
#include "proto/jsonrpc/json_scan.h"

#include <charconv>

#include "proto/jsonrpc/json_escape.h"

namespace surge::proto::jsonrpc {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Scanner {
 public:
  Scanner(std::string_view text, size_t pos) : text_(text), pos_(pos) {}

  core::Result<JsonValue> value();
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  size_t pos() const { return pos_; }
  // The error for a problem found at byte `at`; past the end it reads "unexpected end, expected ...".
  core::Unexpected<core::Error> error(size_t where, std::string_view problem) const {
    std::string message = "invalid JSON at byte " + std::to_string(where) + ": ";
    if (where >= text_.size()) message += "unexpected end, ";
    message += problem;
    return core::fail(std::move(message));
  }

 private:
  enum class Step : uint8_t { kOpen, kItem, kAfter };

  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool at_digit() const { return pos_ < text_.size() && is_digit(text_[pos_]); }
  bool fail(size_t where, const char* problem) {
    problem_at_ = where;
    problem_ = problem;
    return false;
  }
  bool containers();
  bool scalar(JsonType& type);
  bool string();
  bool number();
  bool literal(std::string_view word, const char* problem);

  std::string_view text_;
  size_t pos_;
  size_t problem_at_ = 0;
  const char* problem_ = "";
};

core::Result<JsonValue> Scanner::value() {
  skip_space();
  size_t start = pos_;
  JsonType type = JsonType::kNull;
  bool ok = false;
  if (at('{') || at('[')) {
    type = at('{') ? JsonType::kObject : JsonType::kArray;
    ok = containers();
  } else {
    ok = scalar(type);
  }
  if (!ok) return error(problem_at_, problem_);
  return JsonValue{type, text_.substr(start, pos_ - start)};
}

// pos_ at the outermost '{' or '['. closers[] is the stack: the bracket that closes each open container.
bool Scanner::containers() {
  char closers[kMaxJsonDepth];
  int depth = 0;
  Step step = Step::kOpen;
  while (true) {
    switch (step) {
      case Step::kOpen:
        if (depth == kMaxJsonDepth) return fail(pos_, "nesting deeper than 64");
        closers[depth++] = text_[pos_++] == '{' ? '}' : ']';
        skip_space();
        step = Step::kItem;
        if (at(closers[depth - 1])) {
          ++pos_;
          --depth;
          step = Step::kAfter;
        }
        break;
      case Step::kItem: {
        if (closers[depth - 1] == '}') {
          if (!at('"')) return fail(pos_, "expected a string key");
          if (!string()) return false;
          skip_space();
          if (!at(':')) return fail(pos_, "expected ':'");
          ++pos_;
          skip_space();
        }
        if (at('{') || at('[')) {
          step = Step::kOpen;
          break;
        }
        JsonType ignored;
        if (!scalar(ignored)) return false;
        step = Step::kAfter;
        break;
      }
      case Step::kAfter:
        if (depth == 0) return true;
        skip_space();
        if (at(',')) {
          ++pos_;
          skip_space();
          step = Step::kItem;
        } else if (at(closers[depth - 1])) {
          ++pos_;
          --depth;
        } else {
          return fail(pos_, closers[depth - 1] == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
        break;
    }
  }
}

bool Scanner::scalar(JsonType& type) {
  if (pos_ >= text_.size()) return fail(pos_, "expected a value");
  switch (text_[pos_]) {
    case '"':
      type = JsonType::kString;
      return string();
    case 't':
      type = JsonType::kTrue;
      return literal("true", "expected true");
    case 'f':
      type = JsonType::kFalse;
      return literal("false", "expected false");
    case 'n':
      type = JsonType::kNull;
      return literal("null", "expected null");
    default:
      type = JsonType::kNumber;
      if (at('-') || at_digit()) return number();
      return fail(pos_, "expected a value");
  }
}

// RFC 8259 §7: escapes are \" \\ \/ \b \f \n \r \t and \uXXXX; raw control characters are not allowed.
bool Scanner::string() {
  ++pos_;  // the opening quote
  while (true) {
    if (pos_ >= text_.size()) return fail(pos_, "expected '\"'");
    char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x20) return fail(pos_, "control character in a string");
    if (c != '\\') {
      ++pos_;
      continue;
    }
    ++pos_;
    if (pos_ >= text_.size()) return fail(pos_, "expected an escape");
    char escape = text_[pos_];
    if (escape == 'u') {
      for (size_t i = 1; i <= 4; ++i) {
        if (pos_ + i >= text_.size() || hex_digit_value(text_[pos_ + i]) < 0)
          return fail(pos_ + i, "expected 4 hex digits after \\u");
      }
      pos_ += 5;
    } else if (std::string_view("\"\\/bfnrt").find(escape) != std::string_view::npos) {
      ++pos_;
    } else {
      return fail(pos_, "expected an escape");
    }
  }
}

// RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool Scanner::number() {
  if (at('-')) ++pos_;
  if (at('0')) {
    ++pos_;
  } else if (at_digit()) {
    while (at_digit()) ++pos_;
  } else {
    return fail(pos_, "expected a digit");
  }
  if (at('.')) {
    ++pos_;
    if (!at_digit()) return fail(pos_, "expected a digit");
    while (at_digit()) ++pos_;
  }
  if (at('e') || at('E')) {
    ++pos_;
    if (at('+') || at('-')) ++pos_;
    if (!at_digit()) return fail(pos_, "expected a digit");
    while (at_digit()) ++pos_;
  }
  return true;
}

bool Scanner::literal(std::string_view word, const char* problem) {
  if (text_.substr(pos_, word.size()) != word) return fail(pos_, problem);
  pos_ += word.size();
  return true;
}

}  // namespace

core::Result<JsonValue> scan_value(std::string_view text, size_t& pos) {
  Scanner scanner(text, pos);
  auto value = scanner.value();
  if (value) pos = scanner.pos();
  return value;
}

core::Result<JsonValue> scan_document(std::string_view text) {
  Scanner scanner(text, 0);
  auto value = scanner.value();
  if (!value) return value;
  scanner.skip_space();
  if (scanner.pos() != text.size()) return scanner.error(scanner.pos(), "expected the end of the text");
  return value;
}

MemberIterator::MemberIterator(const JsonValue& object)
    : text_(object.raw), pos_(object.is_object() ? 1 : object.raw.size()) {}

bool MemberIterator::next(std::string_view& key, JsonValue& value) {
  Scanner scanner(text_, pos_);
  scanner.skip_space();
  size_t pos = scanner.pos();
  if (pos < text_.size() && text_[pos] == ',') ++pos;
  // The end is checked before scanning: a failed scan would build an error message (an allocation).
  if (pos >= text_.size() || text_[pos] == '}') return false;
  auto name = scan_value(text_, pos);
  if (!name || !name->is_string()) {
    pos_ = text_.size();
    return false;
  }
  Scanner colon(text_, pos);
  colon.skip_space();
  pos = colon.pos() + 1;  // past the ':' the validated object has here
  auto member = scan_value(text_, pos);
  if (!member) {
    pos_ = text_.size();
    return false;
  }
  key = name->string_body();
  value = *member;
  pos_ = pos;
  return true;
}

ElementIterator::ElementIterator(const JsonValue& array)
    : text_(array.raw), pos_(array.is_array() ? 1 : array.raw.size()) {}

bool ElementIterator::next(JsonValue& value) {
  Scanner scanner(text_, pos_);
  scanner.skip_space();
  size_t pos = scanner.pos();
  if (pos < text_.size() && text_[pos] == ',') ++pos;
  if (pos >= text_.size() || text_[pos] == ']') return false;
  auto element = scan_value(text_, pos);
  if (!element) {
    pos_ = text_.size();
    return false;
  }
  value = *element;
  pos_ = pos;
  return true;
}

bool find_member(const JsonValue& object, std::string_view key, JsonValue& value) {
  MemberIterator members(object);
  std::string_view name;
  while (members.next(name, value)) {
    if (name == key) return true;
  }
  return false;
}

bool to_int64(const JsonValue& value, int64_t& out) {
  if (value.type != JsonType::kNumber) return false;
  const char* end = value.raw.data() + value.raw.size();
  auto [stop, ec] = std::from_chars(value.raw.data(), end, out);
  return ec == std::errc() && stop == end;
}

}  // namespace surge::proto::jsonrpc
