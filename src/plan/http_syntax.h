// Syntax checks for the HTTP parts of a plan (method, header, URL), so a bad plan fails at load time with
// its position rather than at run time. plan/ sits below proto/, so these are small local rules.
#pragma once

#include <string_view>

#include "core/result.h"

namespace surge::plan {

// RFC 9110 §5.6.2 token.
bool is_token(std::string_view text);

// Name a token; value free of CR, LF and NUL (RFC 9110 §5.5), which would split or end the header.
core::Result<void> check_header(std::string_view name, std::string_view value);

// An uppercase token: GET, POST, PURGE. Lowercase is refused because methods are case-sensitive.
core::Result<void> check_method(std::string_view method);

// http[s]://host[:port][/path][?query]; host a name, IPv4 or [IPv6]; port 1..65535; no spaces, no
// credentials, no fragment. `what` names the URL in messages ("target", "url").
bool has_http_scheme(std::string_view url);
core::Result<void> check_absolute_url(std::string_view url, std::string_view what);

// A step URL: a path starting with "/" or an absolute URL as above.
core::Result<void> check_step_url(std::string_view url);

}  // namespace surge::plan
