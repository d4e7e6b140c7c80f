// Splits the raw bytes of one complete response (as the response parser consumed them) into its status, header
// lines and decoded body, for the checks and captures that need to look inside. Only steps that check or capture
// keep their response's bytes; the plain hot path never comes here.
#pragma once

#include <string>
#include <string_view>

namespace surge::proto::http {

struct ResponseParts {
  int status = 0;
  std::string_view head;  // header lines of the final response, CRLF-separated, without the empty line
  std::string_view body;  // decoded: chunk framing removed
};

// raw: one complete response, interim 1xx heads included. A chunked body is decoded into body_scratch (reused,
// so no allocation once it has grown); other bodies are views into raw. A truncated or malformed body yields
// what could be decoded.
ResponseParts split_response(std::string_view raw, std::string& body_scratch);

}  // namespace surge::proto::http
