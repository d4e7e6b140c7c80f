// What a check, capture or custom metric reads from a response: borrowed views into the worker's read buffer,
// valid only while that buffer is, so nothing in this module copies a response to look at it.
#pragma once

#include <string_view>

namespace surge::extract {

struct ResponseView {
  int status = 0;
  std::string_view head;  // header lines after the status line, CRLF-separated, ending before the empty line
  std::string_view body;  // the payload, already de-chunked
};

}  // namespace surge::extract
