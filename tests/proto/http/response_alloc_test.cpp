// The response parser is on every worker's hot path, where nothing may allocate (STYLE.md). This binary
// replaces global operator new with a counting one, and the test asserts parsing adds nothing to the count.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "proto/http/response_parser.h"

#include "../../support/counting_new.h"

namespace surge::proto::http {
namespace {

TEST(ResponseParserAllocation, ParsesEveryFramingWithoutAllocating) {
  const std::string wire =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: "
      "keep-alive\r\n\r\nhello"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: v\r\n\r\n"
      "HTTP/1.0 200 OK\r\n\r\nclose-delimited";
  ResponseParser parser;
  size_t before = allocations;
  size_t pos = 0;
  int responses = 0;
  while (pos < wire.size()) {
    parser.start(false);
    for (size_t i = pos; i < wire.size() && parser.status() == ResponseParser::Status::kNeedMore; ++i) {
      pos += parser.feed(wire.data() + i, 1);
    }
    ++responses;
  }
  parser.finish_on_eof();
  EXPECT_EQ(allocations - before, 0u);
  EXPECT_EQ(responses, 3);
  EXPECT_EQ(parser.status(), ResponseParser::Status::kComplete);
}

}  // namespace
}  // namespace surge::proto::http
