// Printable errno names. glibc's strerrorname_np gives the symbolic name, strerror the sentence.
#include "core/errno_text.h"

#include <cstring>
#include <string>

namespace surge::core {

std::string errno_text(int err) {
  const char* name = strerrorname_np(err);
  std::string text = name != nullptr ? name : "errno " + std::to_string(err);
  text += " (";
  text += strerror(err);
  text += ")";
  return text;
}

}  // namespace surge::core
