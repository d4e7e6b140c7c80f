// The error every compile_* function in extract/ returns: a byte offset into the text it was given and one
// line of message, kept apart so plan/ can turn the offset into the file:line:column of the YAML scalar.
#pragma once

#include <cstddef>
#include <string>

namespace surge::extract {

struct SyntaxError {
  size_t offset = 0;    // 0-based byte offset into the compiled text where the problem was found
  std::string message;  // what was found and what was expected, without the offset
};

// "at offset 14: expected a literal after '=='".
inline std::string describe(const SyntaxError& error) {
  return "at offset " + std::to_string(error.offset) + ": " + error.message;
}

}  // namespace surge::extract
