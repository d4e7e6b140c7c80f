// has_bearer_token: a field scan over the head (it is small and was parsed once already), then a
// constant-time compare.
#include "proto/http/bearer_auth.h"

#include <cctype>
#include <cstdlib>

namespace surge::proto::http {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

bool same_token(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    difference |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  }
  return difference == 0;
}

}  // namespace

bool has_bearer_token(std::string_view head, std::string_view token) {
  size_t line_start = head.find('\n');  // skip the request line
  while (line_start != std::string_view::npos && line_start + 1 < head.size()) {
    const size_t line_end = head.find('\n', line_start + 1);
    std::string_view line = head.substr(line_start + 1, line_end == std::string_view::npos ? std::string_view::npos
                                                                                          : line_end - line_start - 1);
    line_start = line_end;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !equals_ignoring_case(line.substr(0, colon), "Authorization")) continue;
    std::string_view value = trim(line.substr(colon + 1));
    if (value.size() < 7 || !equals_ignoring_case(value.substr(0, 7), "Bearer ")) return false;
    return same_token(trim(value.substr(7)), token);
  }
  return false;
}

std::string_view token_from_environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string_view(value) : std::string_view();
}

}  // namespace surge::proto::http
