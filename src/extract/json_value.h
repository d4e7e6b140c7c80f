// Reading a raw JSON value found by find(): as text, as a number, or compared with another value by meaning
// rather than by bytes. All work on the raw text in place; only json_to_text writes, into the caller's
// string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace surge::extract {

// Appends `raw` as text to `out`: a JSON string unescaped to UTF-8 (\uXXXX and surrogate pairs; a lone
// surrogate becomes U+FFFD), any other value as its raw text. False, appending nothing, when `raw` (ignoring
// surrounding whitespace) is not exactly one valid JSON value.
bool json_to_text(std::string_view raw, std::string& out);

// True when both are valid JSON values with the same meaning: numbers by exact decimal value (3 == 3.0 ==
// 3e0, -0 == 0), strings after unescaping, arrays element by element, objects by key regardless of order and
// whitespace (of duplicate keys the first counts, as in find()). Malformed text is equal to nothing.
bool json_equal(std::string_view raw_a, std::string_view raw_b);

// `raw` as a double when it is a JSON number (surrounding whitespace allowed); nullopt for anything else.
// Magnitudes beyond double's range become +-infinity or 0.
std::optional<double> json_number(std::string_view raw);

}  // namespace surge::extract
