// A validating JSON scanner over a string_view (RFC 8259 grammar, no values built), and the escaping the
// API uses to put request bytes into its JSON answers. Nothing here allocates or throws.
#include "serve/api_json.h"

namespace surge::serve {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // The whole text is one object; the member named key (at depth 1) goes to *member.
  bool whole_object(std::string_view key, JsonMember* member) {
    skip_whitespace();
    if (!at('{') || !object(1, key, member)) return false;
    skip_whitespace();
    return pos_ == text_.size();
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_whitespace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // At '{'. With a key, the top-level member of that name is reported (later ones replace earlier ones).
  bool object(int depth, std::string_view key, JsonMember* member) {
    if (depth > kMaxJsonDepth) return false;
    ++pos_;
    skip_whitespace();
    if (at('}')) {
      ++pos_;
      return true;
    }
    while (true) {
      std::string_view name;
      if (!at('"') || !string(name)) return false;
      skip_whitespace();
      if (!at(':')) return false;
      ++pos_;
      skip_whitespace();
      JsonMember value_seen;
      if (!value(depth, value_seen)) return false;
      if (member != nullptr && name == key) *member = value_seen;
      skip_whitespace();
      if (at('}')) {
        ++pos_;
        return true;
      }
      if (!at(',')) return false;
      ++pos_;
      skip_whitespace();
    }
  }

  // At '['.
  bool array(int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++pos_;
    skip_whitespace();
    if (at(']')) {
      ++pos_;
      return true;
    }
    while (true) {
      JsonMember ignored;
      if (!value(depth, ignored)) return false;
      skip_whitespace();
      if (at(']')) {
        ++pos_;
        return true;
      }
      if (!at(',')) return false;
      ++pos_;
      skip_whitespace();
    }
  }

  // One value of any kind at pos_ (an element of a container at `depth`).
  bool value(int depth, JsonMember& seen) {
    size_t start = pos_;
    if (pos_ >= text_.size()) return false;
    char c = text_[pos_];
    bool ok = false;
    if (c == '"') {
      seen.kind = JsonKind::kString;
      return string(seen.raw);
    } else if (c == '{') {
      seen.kind = JsonKind::kObject;
      ok = object(depth + 1, {}, nullptr);
    } else if (c == '[') {
      seen.kind = JsonKind::kArray;
      ok = array(depth + 1);
    } else if (c == 't') {
      seen.kind = JsonKind::kTrue;
      ok = literal("true");
    } else if (c == 'f') {
      seen.kind = JsonKind::kFalse;
      ok = literal("false");
    } else if (c == 'n') {
      seen.kind = JsonKind::kNull;
      ok = literal("null");
    } else {
      seen.kind = JsonKind::kNumber;
      ok = number();
    }
    seen.raw = text_.substr(start, pos_ - start);
    return ok;
  }

  // At '"': the contents between the quotes go to raw.
  bool string(std::string_view& raw) {
    size_t start = ++pos_;
    while (pos_ < text_.size()) {
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        raw = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;  // RFC 8259 §7: control characters must be escaped
      if (c == '\\' && !escape()) return false;
      if (c != '\\') ++pos_;
    }
    return false;
  }

  // At '\\': one escape sequence.
  bool escape() {
    if (++pos_ >= text_.size()) return false;
    char c = text_[pos_++];
    if (c == 'u') {
      for (int i = 0; i < 4; ++i, ++pos_) {
        if (pos_ >= text_.size() || !is_hex(text_[pos_])) return false;
      }
      return true;
    }
    return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number() {
    if (at('-')) ++pos_;
    if (at('0')) {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (at('.')) {
      ++pos_;
      if (!digits()) return false;
    }
    if (at('e') || at('E')) {
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!digits()) return false;
    }
    return true;
  }

  // One or more digits.
  bool digits() {
    size_t start = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    return pos_ > start;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

bool scan_json_object(std::string_view text, std::string_view key, JsonMember* member) {
  if (member != nullptr) *member = JsonMember{};
  return Scanner(text).whole_object(key, member);
}

void append_json_escaped(std::string& out, std::string_view bytes) {
  constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
}

}  // namespace surge::serve
