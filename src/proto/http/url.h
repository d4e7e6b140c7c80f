// Target URLs as users write them (--url, plan files): http:// or https://, host or IPv6 literal, optional
// port, path and query. Parsed once at startup into what connecting and rendering requests need.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::proto::http {

struct Url {
  std::string scheme;       // "http" or "https", lower case
  std::string host;         // name or address to connect to; an IPv6 literal without its brackets
  uint16_t port = 0;        // explicit, or 80 / 443 by scheme
  std::string target;       // path and query for the request line; "/" when the URL has no path
  std::string host_header;  // Host value: host ("[::1]" for IPv6), plus ":port" when not the default
};

// Parses an absolute http(s) URL. A fragment is dropped (never sent, RFC 9110 §4.2.4). Errors name the URL
// and what was expected, e.g. `invalid URL "ftp://x": expected http:// or https://`. Userinfo
// ("user:pass@host") is rejected rather than silently sent nowhere.
core::Result<Url> parse_url(std::string_view text);

}  // namespace surge::proto::http
