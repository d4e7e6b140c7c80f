// Printable errno: "ECONNREFUSED (Connection refused)", for one-line error messages.
#pragma once

#include <string>

namespace surge::core {

std::string errno_text(int err);

}  // namespace surge::core
