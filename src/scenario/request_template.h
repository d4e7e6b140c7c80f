// A request with per-request parts ({{ templates }} in its URL, header values or body), compiled once and
// rendered into the user's reused buffer: request line, headers, Content-Length of the rendered body, body.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "templating/template.h"

namespace surge::scenario {

struct RequestParts {
  std::string method;
  std::string target;       // path and query, may hold templates (values rendered percent-encoded)
  std::string host_header;
  std::vector<std::pair<std::string, std::string>> headers;  // values may hold templates
  std::string body;                                          // may hold templates
  templating::Escape body_escape = templating::Escape::kNone;
};

// Appends prefix ("Name: "), the rendered value and CRLF to out. CR, LF and NUL in the value become spaces, so a
// captured or fed value can never split a header or end the head early. Used by HTTP requests and WebSocket
// upgrades alike; no allocation once out has grown.
void append_header_line(std::string& out, std::string_view prefix, const templating::Template& value,
                        const templating::RenderContext& context);

class RequestTemplate {
 public:
  // nullptr-like result (has_value() false is an error; is_static() tells whether a template is needed).
  static core::Result<RequestTemplate> compile(const RequestParts& parts, const templating::Scope& scope);

  // True when nothing is rendered per request: the caller sends static_request() instead.
  bool is_static() const;
  // The request bytes of a static template.
  std::string static_request() const;

  // Replaces out with the request. Header values go through append_header_line. No allocation once out has
  // grown to the largest request.
  void render(const templating::RenderContext& context, std::string& out) const;

 private:
  std::string request_line_start_;  // "METHOD "
  templating::Template target_;
  std::string fixed_headers_;       // " HTTP/1.1\r\n" and every header without a template, each ending in CRLF
  std::vector<std::pair<std::string, templating::Template>> headers_;  // "Name: " and its value template
  templating::Template body_;
  bool sends_length_ = false;  // Content-Length with the rendered body's size
};

}  // namespace surge::scenario
