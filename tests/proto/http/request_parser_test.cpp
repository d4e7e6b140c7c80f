// parse_request_head: the built-in target's request heads, framing and keep-alive rules, and the exact
// message for each malformed head.
#include "proto/http/request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::proto::http {
namespace {

struct Parsed {
  RequestParseResult result;
  Request request;
  std::string error;
};

Parsed parse(std::string_view buffer) {
  Parsed parsed;
  parsed.result = parse_request_head(buffer, parsed.request, &parsed.error);
  return parsed;
}

std::string error_of(std::string_view buffer) {
  Parsed parsed = parse(buffer);
  EXPECT_EQ(parsed.result, RequestParseResult::kError);
  return parsed.error;
}

TEST(RequestParser, ParsesAGetHead) {
  std::string buffer = "GET /items?id=7 HTTP/1.1\r\nHost: localhost\r\n\r\n";
  Parsed parsed = parse(buffer);
  ASSERT_EQ(parsed.result, RequestParseResult::kComplete);
  EXPECT_EQ(parsed.request.method, "GET");
  EXPECT_EQ(parsed.request.target, "/items?id=7");
  EXPECT_EQ(parsed.request.minor_version, 1);
  EXPECT_TRUE(parsed.request.keep_alive);
  EXPECT_FALSE(parsed.request.chunked);
  EXPECT_EQ(parsed.request.content_length, 0u);
  EXPECT_EQ(parsed.request.head_bytes, 45u);
  EXPECT_FALSE(parsed.request.expect_continue);
}

TEST(RequestParser, PointsIntoTheCallersBuffer) {
  std::string buffer = "PUT /x HTTP/1.1\r\n\r\n";
  Parsed parsed = parse(buffer);
  EXPECT_EQ(parsed.request.method.data(), buffer.data());
  EXPECT_EQ(parsed.request.target.data(), buffer.data() + 4);
}

TEST(RequestParser, NeedsMoreUntilTheEmptyLine) {
  std::string buffer = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\n";
  for (size_t n = 0; n < buffer.size(); ++n) {
    EXPECT_EQ(parse(buffer.substr(0, n)).result, RequestParseResult::kNeedMore) << "prefix " << n;
  }
  EXPECT_EQ(parse(buffer).result, RequestParseResult::kComplete);
}

TEST(RequestParser, LeavesTheBodyAfterHeadBytes) {
  std::string head = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\n";
  Parsed parsed = parse(head + "abcGET");
  ASSERT_EQ(parsed.result, RequestParseResult::kComplete);
  EXPECT_EQ(parsed.request.content_length, 3u);
  EXPECT_EQ(parsed.request.head_bytes, head.size());
}

TEST(RequestParser, AcceptsBareLfAndLeadingEmptyLines) {
  Parsed parsed = parse("\r\n\nGET / HTTP/1.1\nHost: a\n\n");
  ASSERT_EQ(parsed.result, RequestParseResult::kComplete);
  EXPECT_EQ(parsed.request.target, "/");
  EXPECT_EQ(parsed.request.head_bytes, 27u);
}

TEST(RequestParser, ReadsAChunkedRequest) {
  Parsed parsed = parse("POST /u HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
  ASSERT_EQ(parsed.result, RequestParseResult::kComplete);
  EXPECT_TRUE(parsed.request.chunked);
  EXPECT_TRUE(parsed.request.keep_alive);
}

TEST(RequestParser, LetsChunkedWinOverContentLengthAndClosesAfter) {
  Parsed parsed = parse("POST /u HTTP/1.1\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_EQ(parsed.result, RequestParseResult::kComplete);
  EXPECT_TRUE(parsed.request.chunked);
  EXPECT_EQ(parsed.request.content_length, 0u);
  EXPECT_FALSE(parsed.request.keep_alive);
}

TEST(RequestParser, ClosesHttp11OnConnectionClose) {
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nConnection: te, Close\r\n\r\n").request.keep_alive);
}

TEST(RequestParser, KeepsHttp10AliveOnlyWhenAsked) {
  Parsed plain = parse("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(plain.request.minor_version, 0);
  EXPECT_FALSE(plain.request.keep_alive);
  EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").request.keep_alive);
}

TEST(RequestParser, SeesExpect100Continue) {
  EXPECT_TRUE(
      parse("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n").request.expect_continue);
}

TEST(RequestParser, RejectsAMalformedRequestLine) {
  EXPECT_EQ(error_of("GET\r\n\r\n"), "bad request line \"GET\": expected \"METHOD target HTTP/1.x\"");
  EXPECT_EQ(error_of("GET /\r\n\r\n"), "bad request line \"GET /\": expected \"METHOD target HTTP/1.x\"");
  EXPECT_EQ(error_of("G(T / HTTP/1.1\r\n\r\n"),
            "bad request line \"G(T / HTTP/1.1\": expected \"METHOD target HTTP/1.x\"");
}

TEST(RequestParser, RejectsAnotherHttpVersion) {
  EXPECT_EQ(error_of("GET / HTTP/2.0\r\n\r\n"),
            "unsupported HTTP version \"HTTP/2.0\": expected HTTP/1.0 or HTTP/1.1");
}

TEST(RequestParser, ReportsABadLineBeforeTheHeadIsComplete) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nNo colon here\r\n"), "header line without ':': \"No colon here\"");
}

TEST(RequestParser, RejectsABadHeaderName) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nX Y: z\r\n\r\n"),
            "bad header name \"X Y\": expected a token, no spaces");
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\n: z\r\n\r\n"), "header line with an empty name: \": z\"");
}

TEST(RequestParser, RejectsObsoleteLineFolding) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"),
            "obsolete line folding is not accepted: \" b\"");
}

TEST(RequestParser, RejectsABareCrInAValue) {
  EXPECT_EQ(error_of("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"), "header \"X\" holds a bare CR or NUL");
}

TEST(RequestParser, RejectsABadContentLength) {
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
            "bad Content-Length \"-1\": expected digits");
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"),
            "bad Content-Length \"99999999999999999999\": expected digits");
}

TEST(RequestParser, RejectsConflictingContentLengths) {
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            "conflicting Content-Length values");
}

TEST(RequestParser, RejectsATransferEncodingThatIsNotFinallyChunked) {
  EXPECT_EQ(error_of("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
            "Transfer-Encoding must end with chunked in a request");
}

TEST(RequestParser, RejectsTransferEncodingInHttp10) {
  EXPECT_EQ(error_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "Transfer-Encoding is not allowed in an HTTP/1.0 request");
}

TEST(RequestParser, RejectsATargetOver8KiB) {
  std::string buffer = "GET /" + std::string(8192, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_EQ(error_of(buffer), "request target exceeds 8192 bytes");
  std::string fits = "GET /" + std::string(8191, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_EQ(parse(fits).result, RequestParseResult::kComplete);
}

TEST(RequestParser, RejectsAHeadOver64KiB) {
  std::string unfinished = "GET / HTTP/1.1\r\nX: " + std::string(64 * 1024, 'a');
  EXPECT_EQ(error_of(unfinished), "request head exceeds 65536 bytes");
  std::string finished = unfinished + "\r\n\r\n";
  EXPECT_EQ(error_of(finished), "request head exceeds 65536 bytes");
}

TEST(RequestParser, AllowsANullErrorMessage) {
  Request request;
  EXPECT_EQ(parse_request_head("BAD\r\n\r\n", request, nullptr), RequestParseResult::kError);
}

}  // namespace
}  // namespace surge::proto::http
