// URL parsing per RFC 3986 §3 narrowed to what a load target can be: no userinfo, no relative references.
// Errors are one line quoting the whole URL, since the user typed it on the command line or in a plan.
#include "proto/http/url.h"

#include "proto/http/field_rules.h"

namespace surge::proto::http {

namespace {

core::Unexpected<core::Error> invalid(std::string_view text, std::string_view why) {
  return core::fail("invalid URL " + quoted(text) + ": " + std::string(why));
}

bool is_alpha_num(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// reg-name and IPv4 bytes: unreserved, sub-delims and '%' of pct-encoding (RFC 3986 §3.2.2).
bool is_host_char(char c) {
  return is_alpha_num(c) || std::string_view("-._~!$&'()*+,;=%").find(c) != std::string_view::npos;
}

bool is_ipv6_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

core::Result<uint16_t> parse_port(std::string_view text, std::string_view port) {
  if (port.empty() || port.size() > 5) return invalid(text, "port must be a number from 1 to 65535");
  uint32_t value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return invalid(text, "port must be a number from 1 to 65535");
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value == 0 || value > 65535) return invalid(text, "port must be a number from 1 to 65535");
  return static_cast<uint16_t>(value);
}

// Splits "host", "host:port", "[v6]" or "[v6]:port" into url.host / url.port.
core::Result<void> parse_authority(std::string_view text, std::string_view authority, Url& url) {
  if (authority.find('@') != std::string_view::npos) {
    return invalid(text, "userinfo (user@host) is not supported; send credentials as a header");
  }
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid(text, "IPv6 address is missing its closing ']'");
    std::string_view address = authority.substr(1, close - 1);
    for (char c : address) {
      if (!is_ipv6_char(c)) return invalid(text, "IPv6 address may hold only hex digits, ':' and '.'");
    }
    if (address.empty()) return invalid(text, "empty host");
    url.host = std::string(address);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return invalid(text, "expected ':port' or '/' after ']'");
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
  } else {
    size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (url.host.empty()) return invalid(text, "empty host");
    for (char c : url.host) {
      if (!is_host_char(c)) return invalid(text, "host contains " + quoted(std::string_view(&c, 1)));
    }
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
  }
  if (has_port) {
    auto parsed = parse_port(text, port);
    if (!parsed) return core::fail(parsed.error().message);
    url.port = *parsed;
  }
  return {};
}

}  // namespace

core::Result<Url> parse_url(std::string_view text) {
  Url url;
  size_t separator = text.find("://");
  std::string_view scheme = separator == std::string_view::npos ? "" : text.substr(0, separator);
  if (equals_ignore_case(scheme, "http")) {
    url.scheme = "http";
    url.port = 80;
  } else if (equals_ignore_case(scheme, "https")) {
    url.scheme = "https";
    url.port = 443;
  } else {
    return invalid(text, "expected http:// or https://");
  }
  uint16_t default_port = url.port;
  std::string_view rest = text.substr(separator + 3);
  size_t path_start = rest.find_first_of("/?#");
  auto authority = parse_authority(text, rest.substr(0, path_start), url);
  if (!authority) return core::fail(authority.error().message);

  std::string_view target = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  target = target.substr(0, target.find('#'));
  for (char c : target) {
    // These would split or corrupt the request line; a user means %20, not a raw space.
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return invalid(text, "path contains a space or control byte");
  }
  url.target = target.empty() || target.front() != '/' ? "/" + std::string(target) : std::string(target);

  bool is_ipv6 = url.host.find(':') != std::string::npos;
  url.host_header = is_ipv6 ? "[" + url.host + "]" : url.host;
  if (url.port != default_port) url.host_header += ":" + std::to_string(url.port);
  return url;
}

}  // namespace surge::proto::http
