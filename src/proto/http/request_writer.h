// Renders an HTTP/1.1 request to bytes once, when a plan is compiled, so sending it per request is a single
// write of a ready buffer. Also the checks that keep user-supplied names and values from breaking framing.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "text/version.h"

namespace surge::proto::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// surge/<version>, the version from CMakeLists.txt (text/version.h).
inline constexpr std::string_view kUserAgent = "surge/" SURGE_VERSION;

// The full request: request line, then Host (unless `headers` has one), User-Agent (unless given), the
// given headers in order, Content-Length when there is a body or the method is POST, PUT or PATCH (unless
// Content-Length or Transfer-Encoding is given), the empty line and the body. Names compare
// case-insensitively. Inputs are assumed valid: check them first with validate_header / is_valid_token.
std::string render_request(std::string_view method, std::string_view target, std::string_view host_header,
                           const HeaderList& headers, std::string_view body);

// A non-empty RFC 9110 token: what a method or header name must be (no spaces, ':', CR, LF or controls).
bool is_valid_token(std::string_view text);

// Rejects a header that would corrupt the request: a name that is not a token, or a value holding CR, LF
// or NUL (header injection). The message quotes the offender, e.g.
// `invalid header name "X Y": expected a token (letters, digits and !#$%&'*+-.^_`|~)`.
core::Result<void> validate_header(std::string_view name, std::string_view value);

}  // namespace surge::proto::http
