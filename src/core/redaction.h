// Secrets kept out of everything surge writes: reports, logs and error messages show "***" in their place.
// Header values are hidden by name (Authorization, Cookie, ...), and known secret values wherever they appear.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace surge::core {

inline constexpr std::string_view kRedacted = "***";

// True for the headers whose values are credentials whatever the plan says: Authorization, Proxy-Authorization,
// Cookie and Set-Cookie (case-insensitive, as header names are).
bool is_sensitive_header(std::string_view name);

// The values to hide: a plan's secret headers and variables, each as the exact bytes that would be sent.
class Redactor {
 public:
  Redactor() = default;
  explicit Redactor(std::vector<std::string> secrets);

  // Adds a value to hide. Values shorter than kMinSecretBytes are ignored: hiding every "1" or "a" in a
  // report would destroy it and protect nothing.
  void add(std::string_view secret);
  const std::vector<std::string>& secrets() const { return secrets_; }
  bool empty() const { return secrets_.empty(); }

  // text with every occurrence of every secret replaced by "***" (longest secrets first, so a secret that
  // contains another is hidden whole).
  std::string redact(std::string_view text) const;
  void redact_in_place(std::string& text) const;

  static constexpr size_t kMinSecretBytes = 3;

 private:
  std::vector<std::string> secrets_;  // longest first
};

}  // namespace surge::core
