// Template-aware text helpers for the plan reader (template_text.h).
#include "plan/template_text.h"

#include "templating/escape.h"

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

}  // namespace

std::string without_templates(std::string_view text) {
  std::string out;
  split_templates(text, [&](std::string_view piece) { out += piece; }, [&](std::string_view) { out += '0'; });
  return out;
}

std::string percent_encode_literal(std::string_view text) {
  std::string out;
  // The same encoding as a substituted value's (`| url`), so a literal and a value read alike.
  auto encode = [&](std::string_view piece) { templating::append_url_escaped(out, piece); };
  split_templates(text, encode, [&](std::string_view hole) { out += hole; });
  return out;
}

}  // namespace surge::plan
