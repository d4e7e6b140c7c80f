// Bearer-token checks for surge's own small HTTP endpoints (the Prometheus /metrics, the proxy's control API):
// RFC 6750 §2.1 "Authorization: Bearer <token>" looked up in a request head already parsed for framing.
#pragma once

#include <string_view>

namespace surge::proto::http {

// True when `head` (request line and fields, as parse_request_head accepted them) has an Authorization field
// "Bearer <token>" (scheme case-insensitive, RFC 9110 §11.1) whose token equals `token`. The comparison
// takes the same time wherever the first difference is, so a caller cannot guess the token byte by byte.
bool has_bearer_token(std::string_view head, std::string_view token);

// The environment variable's value, or "" when it is unset: where --*-token flags fall back to, so the token
// need not show in `ps`.
std::string_view token_from_environment(const char* name);

}  // namespace surge::proto::http
