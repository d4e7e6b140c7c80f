// Looking up a response header by name in the raw head, for checks, captures and custom metrics.
#pragma once

#include <optional>
#include <string_view>

namespace surge::extract {

// The value of the first field named `name` (ASCII case-insensitive) in `head`, the header lines of a
// response (CRLF or bare LF separated, as ResponseView::head), trimmed of spaces and tabs (RFC 9110 §5.5).
// A view into `head`; nullopt when no line has that name. Later fields of the same name are not joined.
std::optional<std::string_view> find_header(std::string_view head, std::string_view name);

}  // namespace surge::extract
