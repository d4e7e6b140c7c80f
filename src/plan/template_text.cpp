// Template-aware text helpers for the plan reader (template_text.h).
#include "plan/template_text.h"

#include <cctype>

namespace surge::plan {
namespace {

// Calls literal(piece) for the text between templates and hole(piece) for each "{{ ... }}" with its braces.
template <typename Literal, typename Hole>
void split_templates(std::string_view text, Literal literal, Hole hole) {
  size_t at = 0;
  while (at < text.size()) {
    size_t open = text.find("{{", at);
    size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      literal(text.substr(at));
      return;
    }
    literal(text.substr(at, open - at));
    hole(text.substr(open, close + 2 - open));
    at = close + 2;
  }
}

bool is_unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

}  // namespace

std::string without_templates(std::string_view text) {
  std::string out;
  split_templates(text, [&](std::string_view piece) { out += piece; }, [&](std::string_view) { out += '0'; });
  return out;
}

std::string percent_encode_literal(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  auto encode = [&](std::string_view piece) {
    for (unsigned char c : piece) {
      if (is_unreserved(c)) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  };
  split_templates(text, encode, [&](std::string_view hole) { out += hole; });
  return out;
}

}  // namespace surge::plan
