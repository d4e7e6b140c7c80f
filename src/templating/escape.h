// Escaping of substituted values, so a captured token or a feeder column cannot break the JSON string or the
// URL it is placed in. Appends to a caller buffer: no allocation while `out` has capacity.
#pragma once

#include <string>
#include <string_view>

namespace surge::templating {

// How render() escapes substituted values (never the template's own text).
enum class Escape {
  kNone,  // as is
  kJson,  // as the inside of a JSON string (the template is a JSON body built from YAML)
  kUrl,   // percent-encoded (a query string or a form body)
};

// Appends value percent-encoded (RFC 3986 §2.1, uppercase hex): every byte except the unreserved
// A-Z a-z 0-9 - . _ ~ becomes %XX, space included (%20 reads back as a space in queries and form bodies
// alike).
void append_url_escaped(std::string& out, std::string_view value);

// Appends value escaped as `escape` says (kJson: text::json::append_escaped, the one JSON escaper). The
// buffer comes first, as in every append_* of text/.
void append_escaped(std::string& out, std::string_view value, Escape escape);

}  // namespace surge::templating
