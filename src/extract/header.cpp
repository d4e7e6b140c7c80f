// find_header: a linear scan of the header lines. Heads are short (a few hundred bytes), so walking them per
// lookup costs less than indexing every response whether or not a check reads it.
#include "extract/header.h"

namespace surge::extract {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string_view> find_header(std::string_view head, std::string_view name) {
  while (!head.empty()) {
    size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view() : head.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t colon = line.find(':');
    // No trimming before the colon: "Name :" is malformed (RFC 9112 §5.1) and is not this header.
    if (colon != std::string_view::npos && same_name(line.substr(0, colon), name)) {
      return trim(line.substr(colon + 1));
    }
  }
  return std::nullopt;
}

}  // namespace surge::extract
