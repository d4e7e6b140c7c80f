// Request-head parsing from a contiguous buffer, line by line, so a malformed early line is reported before
// the rest arrives. Framing rules follow RFC 9112 §6 as they apply to a server.
#include "proto/http/request_parser.h"

#include "proto/http/field_rules.h"

namespace surge::proto::http {

namespace {

class HeadParser {
 public:
  HeadParser(Request& out, std::string* error_message) : out_(out), error_message_(error_message) {}

  RequestParseResult parse(std::string_view buffer) {
    out_ = Request{};
    size_t pos = 0;
    bool first_line = true;
    while (true) {
      size_t newline = buffer.find('\n', pos);
      if (newline == std::string_view::npos) {
        if (buffer.size() > kMaxRequestHeadBytes)
          return error("request head exceeds " + std::to_string(kMaxRequestHeadBytes) + " bytes");
        return RequestParseResult::kNeedMore;
      }
      if (newline + 1 > kMaxRequestHeadBytes)
        return error("request head exceeds " + std::to_string(kMaxRequestHeadBytes) + " bytes");
      std::string_view line = buffer.substr(pos, newline - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      pos = newline + 1;
      if (line.empty()) {
        if (first_line) continue;  // empty lines before the request line are ignored (RFC 9112 §2.2)
        out_.head_bytes = pos;
        return finish();
      }
      bool ok = first_line ? parse_request_line(line) : parse_field_line(line);
      if (!ok) return RequestParseResult::kError;
      first_line = false;
    }
  }

 private:
  bool parse_request_line(std::string_view line) {
    size_t space = line.find(' ');
    out_.method = line.substr(0, space);
    if (space == std::string_view::npos || !is_method(out_.method)) {
      return fail("bad request line " + quoted(line) + ": expected \"METHOD target HTTP/1.x\"");
    }
    std::string_view rest = line.substr(space + 1);
    space = rest.find(' ');
    out_.target = rest.substr(0, space);
    if (space == std::string_view::npos || out_.target.empty()) {
      return fail("bad request line " + quoted(line) + ": expected \"METHOD target HTTP/1.x\"");
    }
    if (out_.target.size() > kMaxRequestTargetBytes)
      return fail("request target exceeds " + std::to_string(kMaxRequestTargetBytes) + " bytes");
    for (char c : out_.target) {
      if (static_cast<unsigned char>(c) < ' ' || c == 0x7f)
        return fail("request target contains a control byte");
    }
    std::string_view version = rest.substr(space + 1);
    if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' || version[7] > '9') {
      return fail("unsupported HTTP version " + quoted(version) + ": expected HTTP/1.0 or HTTP/1.1");
    }
    out_.minor_version = version[7] - '0';
    return true;
  }

  bool parse_field_line(std::string_view line) {
    if (is_ows(line.front())) return fail("obsolete line folding is not accepted: " + quoted(line));
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return fail("header line without ':': " + quoted(line));
    std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!is_token_char(c)) return fail("bad header name " + quoted(name) + ": expected a token, no spaces");
    }
    if (name.empty()) return fail("header line with an empty name: " + quoted(line));
    std::string_view value = trim_ows(line.substr(colon + 1));
    if (value.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) {
      return fail("header " + quoted(name) + " holds a bare CR or NUL");
    }
    return on_field(name, value);
  }

  bool on_field(std::string_view name, std::string_view value) {
    if (equals_ignore_case(name, "Content-Length")) {
      ParseError error = parse_content_length(value, has_length_, out_.content_length);
      if (error == ParseError::kConflictingLength) return fail("conflicting Content-Length values");
      if (error != ParseError::kNone)
        return fail("bad Content-Length " + quoted(value) + ": expected digits");
    } else if (equals_ignore_case(name, "Transfer-Encoding")) {
      has_transfer_encoding_ = true;
      for_each_list_item(value, [&](std::string_view coding) {
        chunked_last_ = equals_ignore_case(trim_ows(coding.substr(0, coding.find(';'))), "chunked");
      });
    } else if (equals_ignore_case(name, "Connection")) {
      for_each_list_item(value, [&](std::string_view option) {
        if (equals_ignore_case(option, "close")) saw_close_ = true;
        if (equals_ignore_case(option, "keep-alive")) saw_keep_alive_ = true;
      });
    } else if (equals_ignore_case(name, "Expect")) {
      out_.expect_continue = equals_ignore_case(value, "100-continue");
    }
    return true;
  }

  RequestParseResult finish() {
    bool persistent = out_.minor_version >= 1 ? !saw_close_ : saw_keep_alive_ && !saw_close_;
    if (has_transfer_encoding_) {
      // RFC 9112 §6.1 and §6.3 rule 4: without a final chunked coding, or in HTTP/1.0, the body length
      // cannot be known; a server must answer 400 and close.
      if (out_.minor_version == 0) return error("Transfer-Encoding is not allowed in an HTTP/1.0 request");
      if (!chunked_last_) return error("Transfer-Encoding must end with chunked in a request");
      out_.chunked = true;
      out_.content_length = 0;
      persistent = persistent && !has_length_;  // both framings: Transfer-Encoding wins, then close
    }
    out_.keep_alive = persistent;
    return RequestParseResult::kComplete;
  }

  static bool is_method(std::string_view method) {
    if (method.empty()) return false;
    for (char c : method) {
      if (!is_token_char(c)) return false;
    }
    return true;
  }

  bool fail(const std::string& message) {
    if (error_message_ != nullptr) *error_message_ = message;
    return false;
  }

  RequestParseResult error(const std::string& message) {
    fail(message);
    return RequestParseResult::kError;
  }

  Request& out_;
  std::string* error_message_;
  bool has_length_ = false;
  bool has_transfer_encoding_ = false;
  bool chunked_last_ = false;
  bool saw_close_ = false;
  bool saw_keep_alive_ = false;
};

}  // namespace

RequestParseResult parse_request_head(std::string_view buffer, Request& out, std::string* error_message) {
  return HeadParser(out, error_message).parse(buffer);
}

}  // namespace surge::proto::http
