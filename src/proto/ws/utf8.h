// UTF-8 validation for text messages and close reasons, which RFC 6455 §5.6 and §7.1.6 require to be valid
// UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
#pragma once

#include <string_view>

namespace surge::proto::ws {

// Whether `bytes` is well-formed UTF-8 as a whole (a sequence cut at the end is invalid).
bool is_valid_utf8(std::string_view bytes);

}  // namespace surge::proto::ws
