// The PCRE2 wrapper. JIT is asked for but not required: where the platform lacks it, pcre2_match interprets,
// and from 10.41 keeps its backtracking frames in the match data, so it too stops allocating after warm-up.
#include "extract/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <utility>

namespace surge::extract {

Regex::Regex(std::string pattern, pcre2_real_code_8* code, pcre2_real_match_data_8* match_data,
             uint32_t groups)
    : pattern_(std::move(pattern)), code_(code), match_data_(match_data), group_count_(groups) {}

Regex::Regex(Regex&& other) noexcept
    : pattern_(std::move(other.pattern_)),
      code_(std::exchange(other.code_, nullptr)),
      match_data_(std::exchange(other.match_data_, nullptr)),
      group_count_(other.group_count_) {}

Regex& Regex::operator=(Regex&& other) noexcept {
  if (this != &other) {
    pcre2_match_data_free(match_data_);
    pcre2_code_free(code_);
    pattern_ = std::move(other.pattern_);
    code_ = std::exchange(other.code_, nullptr);
    match_data_ = std::exchange(other.match_data_, nullptr);
    group_count_ = other.group_count_;
  }
  return *this;
}

Regex::~Regex() {
  pcre2_match_data_free(match_data_);  // both accept null (a moved-from Regex)
  pcre2_code_free(code_);
}

bool Regex::search(std::string_view subject, std::string_view* group1) const {
  if (code_ == nullptr) return false;
  // An empty view may have a null data pointer, which PCRE2 10.42 rejects even with length 0.
  const char* data = subject.data() != nullptr ? subject.data() : "";
  int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(data), subject.size(), 0, 0, match_data_, nullptr);
  if (rc <= 0) return false;  // no match, a match limit hit, or an error: none of them is a match
  if (group1 != nullptr) {
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data_);
    size_t group = has_group() ? 1 : 0;
    if (static_cast<size_t>(rc) > group && ovector[2 * group] != PCRE2_UNSET) {
      *group1 = std::string_view(data + ovector[2 * group], ovector[2 * group + 1] - ovector[2 * group]);
    } else {
      *group1 = std::string_view();
    }
  }
  return true;
}

core::Result<Regex, SyntaxError> compile_regex(std::string_view pattern) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // MATCH_INVALID_UTF: response bodies are arbitrary bytes, and this makes invalid UTF-8 in a subject simply
  // fail to match there instead of being undefined behaviour.
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data() != nullptr ? pattern.data() : ""),
                    pattern.size(), PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    return core::Unexpected<SyntaxError>{
        {static_cast<size_t>(error_offset), "bad regex: " + std::string(reinterpret_cast<char*>(message))}};
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // failure just means interpreted matching
  uint32_t groups = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
  pcre2_match_data* match_data = pcre2_match_data_create_from_pattern(code, nullptr);
  if (match_data == nullptr) {
    pcre2_code_free(code);
    return core::Unexpected<SyntaxError>{{0, "bad regex: out of memory for its match data"}};
  }
  return Regex(std::string(pattern), code, match_data, groups);
}

}  // namespace surge::extract
