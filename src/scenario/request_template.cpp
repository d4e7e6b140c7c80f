// Compiling and rendering templated requests; the header rules follow proto/http/request_writer.cpp (Host and
// User-Agent unless given, Content-Length for a body or a method that expects one).
#include "scenario/request_template.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "proto/http/request_writer.h"

namespace surge::scenario {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

bool has_header(const RequestParts& parts, std::string_view name) {
  return std::any_of(parts.headers.begin(), parts.headers.end(),
                     [&](const auto& header) { return same_name(header.first, name); });
}

core::Result<templating::Template> compile(std::string_view text, const templating::Scope& scope,
                                           templating::Escape escape) {
  auto compiled = templating::compile_template(text, scope, escape);
  if (!compiled) return core::fail("template '" + std::string(text) + "': " + compiled.error().message);
  return std::move(compiled).value();
}

}  // namespace

void append_header_line(std::string& out, std::string_view prefix, const templating::Template& value,
                        const templating::RenderContext& context) {
  out += prefix;
  size_t start = out.size();
  templating::render(value, context, out);
  for (size_t i = start; i < out.size(); ++i) {
    if (out[i] == '\r' || out[i] == '\n' || out[i] == '\0') out[i] = ' ';
  }
  out += "\r\n";
}

core::Result<RequestTemplate> RequestTemplate::compile(const RequestParts& parts, const templating::Scope& scope) {
  RequestTemplate out;
  out.request_line_start_ = parts.method + " ";
  auto target = scenario::compile(parts.target, scope, templating::Escape::kUrl);
  if (!target) return core::fail(target.error().message);
  out.target_ = std::move(target).value();
  out.fixed_headers_ = " HTTP/1.1\r\n";
  if (!has_header(parts, "Host")) out.fixed_headers_ += "Host: " + parts.host_header + "\r\n";
  if (!has_header(parts, "User-Agent")) out.fixed_headers_ += "User-Agent: " + std::string(proto::http::kUserAgent) + "\r\n";
  for (const auto& [name, value] : parts.headers) {
    auto compiled = scenario::compile(value, scope, templating::Escape::kNone);
    if (!compiled) return core::fail(compiled.error().message);
    if (compiled->is_static()) {
      out.fixed_headers_ += name + ": " + std::string(compiled->static_text()) + "\r\n";
    } else {
      out.headers_.emplace_back(name + ": ", std::move(compiled).value());
    }
  }
  auto body = scenario::compile(parts.body, scope, parts.body_escape);
  if (!body) return core::fail(body.error().message);
  out.body_ = std::move(body).value();
  bool framed = has_header(parts, "Content-Length") || has_header(parts, "Transfer-Encoding");
  bool expects_body = parts.method == "POST" || parts.method == "PUT" || parts.method == "PATCH";
  out.sends_length_ = !framed && (!parts.body.empty() || expects_body);
  return out;
}

bool RequestTemplate::is_static() const {
  return target_.is_static() && headers_.empty() && body_.is_static();
}

std::string RequestTemplate::static_request() const {
  std::string out;
  templating::RenderContext none;
  render(none, out);
  return out;
}

void RequestTemplate::render(const templating::RenderContext& context, std::string& out) const {
  out.clear();
  out += request_line_start_;
  templating::render(target_, context, out);
  out += fixed_headers_;
  for (const auto& [prefix, value] : headers_) append_header_line(out, prefix, value, context);
  if (!sends_length_) {
    out += "\r\n";
    templating::render(body_, context, out);
    return;
  }
  // The body is rendered first, after the head, then its Content-Length line is inserted before it (a move
  // within out's capacity, no allocation).
  size_t head_end = out.size();
  templating::render(body_, context, out);
  char line[48] = "Content-Length: ";
  char* end = std::to_chars(line + 16, line + 40, out.size() - head_end).ptr;
  std::memcpy(end, "\r\n\r\n", 4);
  out.insert(head_end, line, static_cast<size_t>(end + 4 - line));
}

}  // namespace surge::scenario
