// Request rendering and header validation. Runs at plan compile time, never per request, so clarity wins
// over speed here; the one allocation is the finished request.
#include "proto/http/request_writer.h"

#include "proto/http/field_rules.h"

namespace surge::proto::http {

namespace {

bool has_header(const HeaderList& headers, std::string_view name) {
  for (const auto& [existing, value] : headers) {
    if (equals_ignore_case(existing, name)) return true;
  }
  return false;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

// RFC 9110 §8.6: a user agent should send Content-Length for methods that define a body even when it is
// empty, since some servers wait for a body or answer 411 otherwise.
bool expects_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

std::string render_request(std::string_view method, std::string_view target, std::string_view host_header,
                           const HeaderList& headers, std::string_view body) {
  std::string out;
  out.reserve(64 + method.size() + target.size() + host_header.size() + body.size() + 64 * headers.size());
  out.append(method);
  out.append(" ");
  out.append(target);
  out.append(" HTTP/1.1\r\n");
  if (!has_header(headers, "Host")) append_header(out, "Host", host_header);
  if (!has_header(headers, "User-Agent")) append_header(out, "User-Agent", kUserAgent);
  for (const auto& [name, value] : headers) append_header(out, name, value);
  bool framed = has_header(headers, "Content-Length") || has_header(headers, "Transfer-Encoding");
  if (!framed && (!body.empty() || expects_body(method))) {
    append_header(out, "Content-Length", std::to_string(body.size()));
  }
  out.append("\r\n");
  out.append(body);
  return out;
}

bool is_valid_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

core::Result<void> validate_header(std::string_view name, std::string_view value) {
  if (!is_valid_token(name)) {
    return core::fail("invalid header name " + quoted(name) +
                      ": expected a token (letters, digits and !#$%&'*+-.^_`|~)");
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return core::fail("invalid value for header " + quoted(name) + ": it must not contain CR, LF or NUL");
    }
  }
  return {};
}

}  // namespace surge::proto::http
