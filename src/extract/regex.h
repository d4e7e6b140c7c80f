// Regular expressions for captures and conditions: PCRE2, compiled and JIT-compiled once at plan load, with
// the match data allocated alongside so that searching a response allocates nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "extract/syntax_error.h"

struct pcre2_real_code_8;
struct pcre2_real_match_data_8;

namespace surge::extract {

class Regex {
 public:
  Regex(Regex&& other) noexcept;
  Regex& operator=(Regex&& other) noexcept;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  ~Regex();

  // Finds the first match in `subject`. When it matches and `group1` is not null, sets it to capture group 1
  // if the pattern has groups (empty when that group took no part in the match), else to the whole match;
  // a view into `subject`. The match data is reused, so a Regex is searched by one thread at a time
  // (workers are processes, each with its own copy). Subjects need not be valid UTF-8.
  bool search(std::string_view subject, std::string_view* group1) const;

  bool has_group() const { return group_count_ > 0; }
  const std::string& pattern() const { return pattern_; }

 private:
  friend core::Result<Regex, SyntaxError> compile_regex(std::string_view pattern);
  Regex(std::string pattern, pcre2_real_code_8* code, pcre2_real_match_data_8* match_data, uint32_t groups);

  std::string pattern_;
  pcre2_real_code_8* code_ = nullptr;
  pcre2_real_match_data_8* match_data_ = nullptr;
  uint32_t group_count_ = 0;
};

// Compiles `pattern` (PCRE2 syntax, UTF-8). A bad pattern's SyntaxError carries PCRE2's offset and message,
// e.g. {4, "bad regex: missing closing parenthesis"}.
core::Result<Regex, SyntaxError> compile_regex(std::string_view pattern);

}  // namespace surge::extract
