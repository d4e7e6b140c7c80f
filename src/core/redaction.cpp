// Redaction: plain substring replacement, run when a report or a log line is written, never per request.
#include "core/redaction.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace surge::core {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool is_sensitive_header(std::string_view name) {
  static constexpr std::array<std::string_view, 4> kNames = {"Authorization", "Proxy-Authorization", "Cookie",
                                                             "Set-Cookie"};
  return std::any_of(kNames.begin(), kNames.end(), [&](std::string_view known) {
    return equals_ignoring_case(known, name);
  });
}

Redactor::Redactor(std::vector<std::string> secrets) {
  for (const std::string& secret : secrets) add(secret);
}

void Redactor::add(std::string_view secret) {
  if (secret.size() < kMinSecretBytes) return;
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  auto position = std::find_if(secrets_.begin(), secrets_.end(),
                               [&](const std::string& known) { return known.size() < secret.size(); });
  secrets_.insert(position, std::string(secret));
}

std::string Redactor::redact(std::string_view text) const {
  std::string out(text);
  redact_in_place(out);
  return out;
}

void Redactor::redact_in_place(std::string& text) const {
  for (const std::string& secret : secrets_) {
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size())) {
      text.replace(at, secret.size(), kRedacted);
    }
  }
}

}  // namespace surge::core
