// split_response: walks past interim heads to the final one, then frames the body the way its headers say.
#include "proto/http/response_split.h"

#include <cctype>

#include "proto/http/chunked_decoder.h"

namespace surge::proto::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// True when the last transfer coding named by a Transfer-Encoding line is chunked (RFC 9112 §6.3).
bool is_chunked(std::string_view head) {
  bool chunked = false;
  size_t at = 0;
  while (at < head.size()) {
    size_t end = head.find("\r\n", at);
    if (end == std::string_view::npos) end = head.size();
    std::string_view line = head.substr(at, end - at);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), "transfer-encoding")) {
      std::string_view value = line.substr(colon + 1);
      // The last non-empty list element, without its parameters (";q=...") and surrounding whitespace.
      std::string_view last;
      while (!value.empty()) {
        size_t comma = value.find(',');
        std::string_view element = value.substr(0, comma);
        element = element.substr(0, element.find(';'));
        element = trim_ows(element);
        if (!element.empty() || value.substr(0, comma).find(';') != std::string_view::npos) last = element;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
      }
      chunked = iequals(last, "chunked");
    }
    at = end + 2;
  }
  return chunked;
}

int status_of(std::string_view status_line) {
  // "HTTP/1.1 200 OK": the three digits after the first space.
  size_t space = status_line.find(' ');
  if (space == std::string_view::npos || space + 4 > status_line.size()) return 0;
  int code = 0;
  for (size_t i = space + 1; i < space + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(status_line[i]))) return 0;
    code = code * 10 + (status_line[i] - '0');
  }
  return code;
}

}  // namespace

ResponseParts split_response(std::string_view raw, std::string& body_scratch) {
  ResponseParts parts;
  while (true) {
    size_t line_end = raw.find("\r\n");
    size_t head_end = raw.find("\r\n\r\n");
    if (line_end == std::string_view::npos || head_end == std::string_view::npos) return parts;
    parts.status = status_of(raw.substr(0, line_end));
    parts.head = line_end == head_end ? std::string_view() : raw.substr(line_end + 2, head_end - line_end - 2);
    raw.remove_prefix(head_end + 4);
    if (parts.status >= 200 || parts.status == 101 || parts.status < 100) break;  // 1xx heads are interim
  }
  if (!is_chunked(parts.head)) {
    parts.body = raw;
    return parts;
  }
  body_scratch.clear();
  ChunkedDecoder decoder;
  while (!raw.empty() && !decoder.is_done() && decoder.error() == ParseError::kNone) {
    std::string_view chunk;
    size_t used = decoder.decode(raw.data(), raw.size(), &chunk);
    body_scratch.append(chunk);
    raw.remove_prefix(used);
    if (used == 0) break;
  }
  parts.body = body_scratch;
  return parts;
}

}  // namespace surge::proto::http
