// The JSON skips: one pass over the text with a fixed stack of open brackets (no recursion, so fuzzed or
// hostile nesting cannot exhaust the call stack, and each caller may choose its own nesting bound).
#include "text/json_scan.h"

#include "text/hex.h"

namespace surge::text::json {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t fail(Failure* failure, size_t at, Problem problem) {
  if (failure != nullptr) *failure = Failure{at, problem};
  return kBad;
}

size_t skip_digits(std::string_view text, size_t pos, Failure* failure) {
  if (pos >= text.size() || !is_digit(text[pos])) return fail(failure, pos, Problem::kExpectedDigit);
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  return pos;
}

size_t skip_literal(std::string_view text, size_t pos, std::string_view word, Problem problem,
                    Failure* failure) {
  return text.substr(pos, word.size()) == word ? pos + word.size() : fail(failure, pos, problem);
}

// A string, number or literal at text[pos] (pos < text.size()).
size_t skip_scalar(std::string_view text, size_t pos, Failure* failure) {
  switch (text[pos]) {
    case '"':
      return skip_string(text, pos, failure);
    case 't':
      return skip_literal(text, pos, "true", Problem::kExpectedTrue, failure);
    case 'f':
      return skip_literal(text, pos, "false", Problem::kExpectedFalse, failure);
    case 'n':
      return skip_literal(text, pos, "null", Problem::kExpectedNull, failure);
    default:
      if (text[pos] == '-' || is_digit(text[pos])) return skip_number(text, pos, failure);
      return fail(failure, pos, Problem::kExpectedValue);
  }
}

// pos at the outermost '{' or '['. closers[] is the stack: the bracket that closes each open container.
size_t skip_containers(std::string_view text, size_t pos, int levels, Failure* failure) {
  enum class Step : uint8_t { kOpen, kItem, kAfter };
  if (levels > kLevelsCeiling) levels = kLevelsCeiling;
  char closers[kLevelsCeiling];
  int depth = 0;
  const size_t size = text.size();
  Step step = Step::kOpen;
  while (true) {
    switch (step) {
      case Step::kOpen:
        if (depth >= levels) return fail(failure, pos, Problem::kTooDeep);
        closers[depth++] = text[pos] == '{' ? '}' : ']';
        pos = skip_space(text, pos + 1);
        step = Step::kItem;
        if (pos < size && text[pos] == closers[depth - 1]) {
          ++pos;
          --depth;
          step = Step::kAfter;
        }
        break;
      case Step::kItem:
        if (closers[depth - 1] == '}') {
          if (pos >= size || text[pos] != '"') return fail(failure, pos, Problem::kExpectedKey);
          pos = skip_string(text, pos, failure);
          if (pos == kBad) return kBad;
          pos = skip_space(text, pos);
          if (pos >= size || text[pos] != ':') return fail(failure, pos, Problem::kExpectedColon);
          pos = skip_space(text, pos + 1);
        }
        if (pos >= size) return fail(failure, pos, Problem::kExpectedValue);
        if (text[pos] == '{' || text[pos] == '[') {
          step = Step::kOpen;
          break;
        }
        pos = skip_scalar(text, pos, failure);
        if (pos == kBad) return kBad;
        step = Step::kAfter;
        break;
      case Step::kAfter:
        if (depth == 0) return pos;
        pos = skip_space(text, pos);
        if (pos < size && text[pos] == ',') {
          pos = skip_space(text, pos + 1);
          step = Step::kItem;
        } else if (pos < size && text[pos] == closers[depth - 1]) {
          ++pos;
          --depth;
        } else {
          return fail(
              failure, pos,
              closers[depth - 1] == '}' ? Problem::kExpectedCommaOrBrace : Problem::kExpectedCommaOrBracket);
        }
        break;
    }
  }
}

std::string_view problem_text(Problem problem) {
  switch (problem) {
    case Problem::kNone:
      return "no problem";
    case Problem::kExpectedValue:
      return "expected a value";
    case Problem::kExpectedKey:
      return "expected a string key";
    case Problem::kExpectedColon:
      return "expected ':'";
    case Problem::kExpectedCommaOrBrace:
      return "expected ',' or '}'";
    case Problem::kExpectedCommaOrBracket:
      return "expected ',' or ']'";
    case Problem::kExpectedQuote:
      return "expected '\"'";
    case Problem::kControlCharacter:
      return "control character in a string";
    case Problem::kExpectedEscape:
      return "expected an escape";
    case Problem::kExpectedHexDigits:
      return "expected 4 hex digits after \\u";
    case Problem::kExpectedDigit:
      return "expected a digit";
    case Problem::kExpectedTrue:
      return "expected true";
    case Problem::kExpectedFalse:
      return "expected false";
    case Problem::kExpectedNull:
      return "expected null";
    case Problem::kTooDeep:
      return "nesting too deep";
    case Problem::kExpectedEnd:
      return "expected the end of the text";
  }
  return "unknown problem";
}

}  // namespace

std::string describe(const Failure& failure, std::string_view text, int levels) {
  std::string message = "invalid JSON at byte " + std::to_string(failure.at) + ": ";
  if (failure.at >= text.size()) message += "unexpected end, ";
  if (failure.problem == Problem::kTooDeep) {
    message += "nesting deeper than " + std::to_string(levels < kLevelsCeiling ? levels : kLevelsCeiling);
  } else {
    message += problem_text(failure.problem);
  }
  return message;
}

size_t skip_space(std::string_view text, size_t pos) {
  while (pos < text.size() &&
         (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' || text[pos] == '\r')) {
    ++pos;
  }
  return pos;
}

// RFC 8259 §7: escapes are \" \\ \/ \b \f \n \r \t and \uXXXX; raw control characters are not allowed.
size_t skip_string(std::string_view text, size_t pos, Failure* failure) {
  if (pos >= text.size() || text[pos] != '"') return fail(failure, pos, Problem::kExpectedQuote);
  for (size_t p = pos + 1; p < text.size();) {
    char c = text[p];
    if (c == '"') return p + 1;
    if (static_cast<unsigned char>(c) < 0x20) return fail(failure, p, Problem::kControlCharacter);
    if (c != '\\') {
      ++p;
      continue;
    }
    if (++p >= text.size()) return fail(failure, p, Problem::kExpectedEscape);
    char escaped = text[p];
    if (escaped == 'u') {
      for (size_t i = 1; i <= 4; ++i) {
        if (p + i >= text.size() || hex_digit_value(text[p + i]) < 0) {
          return fail(failure, p + i, Problem::kExpectedHexDigits);
        }
      }
      p += 5;
    } else if (std::string_view("\"\\/bfnrt").find(escaped) != std::string_view::npos) {
      ++p;
    } else {
      return fail(failure, p, Problem::kExpectedEscape);
    }
  }
  return fail(failure, text.size(), Problem::kExpectedQuote);
}

// RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
size_t skip_number(std::string_view text, size_t pos, Failure* failure) {
  size_t p = pos;
  if (p < text.size() && text[p] == '-') ++p;
  if (p < text.size() && text[p] == '0') {
    ++p;
  } else {
    p = skip_digits(text, p, failure);
    if (p == kBad) return kBad;
  }
  if (p < text.size() && text[p] == '.') {
    p = skip_digits(text, p + 1, failure);
    if (p == kBad) return kBad;
  }
  if (p < text.size() && (text[p] == 'e' || text[p] == 'E')) {
    ++p;
    if (p < text.size() && (text[p] == '+' || text[p] == '-')) ++p;
    p = skip_digits(text, p, failure);
  }
  return p;
}

size_t skip_value(std::string_view text, size_t pos, int levels, Failure* failure) {
  if (pos >= text.size()) return fail(failure, pos, Problem::kExpectedValue);
  if (text[pos] == '{' || text[pos] == '[') return skip_containers(text, pos, levels, failure);
  return skip_scalar(text, pos, failure);
}

ContainerWalker::ContainerWalker(std::string_view text, size_t open, int levels)
    : text_(text), pos_(open), levels_(levels), close_(open < text.size() && text[open] == '{' ? '}' : ']') {
  if (open >= text.size() || (text[open] != '{' && text[open] != '[') || levels < 1) fail();
}

bool ContainerWalker::fail() {
  failed_ = true;
  pos_ = kBad;
  return false;
}

std::string_view ContainerWalker::value() {
  if (value_pos_ == kBad) return {};
  if (value_end_ == kBad) value_end_ = skip_value(text_, value_pos_, levels_ - 1);
  if (value_end_ == kBad) return {};
  return text_.substr(value_pos_, value_end_ - value_pos_);
}

bool ContainerWalker::next() {
  if (failed_) return false;
  if (!started_) {
    started_ = true;
    pos_ = skip_space(text_, pos_ + 1);
    if (pos_ < text_.size() && text_[pos_] == close_) {
      ++pos_;
      return false;
    }
  } else {
    if (value_pos_ == kBad) return false;  // already past the closing bracket
    size_t after = value_end_ != kBad ? value_end_ : skip_value(text_, value_pos_, levels_ - 1);
    if (after == kBad) return fail();
    pos_ = skip_space(text_, after);
    if (pos_ >= text_.size()) return fail();
    if (text_[pos_] == close_) {
      ++pos_;
      value_pos_ = kBad;
      return false;
    }
    if (text_[pos_] != ',') return fail();
    pos_ = skip_space(text_, pos_ + 1);
  }
  if (close_ == '}') {
    size_t key_end = skip_string(text_, pos_);
    if (key_end == kBad) return fail();
    key_ = text_.substr(pos_ + 1, key_end - pos_ - 2);
    pos_ = skip_space(text_, key_end);
    if (pos_ >= text_.size() || text_[pos_] != ':') return fail();
    pos_ = skip_space(text_, pos_ + 1);
  }
  if (pos_ >= text_.size()) return fail();
  value_pos_ = pos_;
  value_end_ = kBad;
  return true;
}

}  // namespace surge::text::json
