// Load-time checks of methods, headers and URLs written in a plan. They are deliberately strict: whatever
// passes here is rendered into request bytes verbatim by scenario/, so a stray space would corrupt them.
#include "plan/http_syntax.h"

#include <charconv>
#include <string>

namespace surge::plan {
namespace {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool has_space_or_control(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return true;
  }
  return false;
}

std::string quoted(std::string_view what, std::string_view url) {
  return std::string(what) + " '" + std::string(url) + "'";
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_';
}

bool is_ipv6_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

core::Result<void> check_port(std::string_view port, std::string_view what, std::string_view url) {
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
    return core::fail(quoted(what, url) + " has an invalid port '" + std::string(port) +
                      "'; expected 1 to 65535");
  }
  return {};
}

// authority = host[:port], credentials already excluded.
core::Result<void> check_authority(std::string_view authority, std::string_view what, std::string_view url) {
  std::string_view host = authority;
  std::string_view rest;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return core::fail(quoted(what, url) + " has an unclosed IPv6 address");
    }
    host = authority.substr(1, close - 1);
    rest = authority.substr(close + 1);
    for (char c : host) {
      if (!is_ipv6_char(c)) {
        return core::fail(quoted(what, url) + " has an invalid host '" + std::string(host) + "'");
      }
    }
    if (!rest.empty() && !rest.starts_with(':')) {
      return core::fail(quoted(what, url) + " has an invalid host '" + std::string(authority) + "'");
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    rest = authority.substr(colon);
  }
  if (host.empty()) return core::fail(quoted(what, url) + " has no host");
  if (!authority.starts_with('[')) {
    for (char c : host) {
      if (!is_host_char(c)) {
        return core::fail(quoted(what, url) + " has an invalid host '" + std::string(host) + "'");
      }
    }
  }
  if (rest.empty()) return {};
  return check_port(rest.substr(1), what, url);
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

core::Result<void> check_header(std::string_view name, std::string_view value) {
  if (!is_token(name)) return core::fail("header name '" + std::string(name) + "' is not a valid token");
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return core::fail("header '" + std::string(name) + "' value must not contain CR, LF or NUL");
  }
  return {};
}

core::Result<void> check_method(std::string_view method) {
  bool valid = is_token(method);
  for (char c : method) valid = valid && !(c >= 'a' && c <= 'z');
  if (!valid) {
    return core::fail("method must be an uppercase token like GET or POST, found '" + std::string(method) +
                      "'");
  }
  return {};
}

bool has_http_scheme(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

core::Result<void> check_absolute_url(std::string_view url, std::string_view what) {
  if (has_space_or_control(url)) {
    return core::fail(quoted(what, url) + " contains a space or control character");
  }
  std::string_view rest = url.substr(url.find("://") + 3);
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return core::fail(quoted(what, url) + " has credentials, which are not supported");
  }
  if (url.find('#') != std::string_view::npos) {
    return core::fail(quoted(what, url) + " has a fragment (#...), which is never sent");
  }
  return check_authority(authority, what, url);
}

core::Result<void> check_step_url(std::string_view url) {
  if (has_http_scheme(url)) return check_absolute_url(url, "url");
  if (!url.starts_with('/')) {
    return core::fail("url must be a path starting with / or an http:// or https:// URL, found '" +
                      std::string(url) + "'");
  }
  if (has_space_or_control(url)) {
    return core::fail(quoted("url", url) + " contains a space or control character");
  }
  if (url.find('#') != std::string_view::npos) {
    return core::fail(quoted("url", url) + " has a fragment (#...), which is never sent");
  }
  return {};
}

}  // namespace surge::plan
