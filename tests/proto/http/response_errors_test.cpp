// ResponseParser on malformed responses: each must fail with its own ParseError, at the same byte however
// the input is split across reads.
#include <gtest/gtest.h>

#include <string>

#include "feed_helpers.h"
#include "proto/http/response_parser.h"

namespace surge::proto::http {
namespace {

using Status = ResponseParser::Status;

TEST(ResponseParserErrors, RejectsGarbageAsABadStatusLine) {
  expect_error_every_split("garbage\r\n\r\n", ParseError::kBadStatusLine);
  expect_error_every_split("\r\nHTTP/1.1 200 OK\r\n\r\n", ParseError::kBadStatusLine);
}

TEST(ResponseParserErrors, RejectsAVersionOtherThanHttp1) {
  expect_error_every_split("HTTP/2.0 200 OK\r\n\r\n", ParseError::kBadVersion);
  expect_error_every_split("HTTP/1.x 200 OK\r\n\r\n", ParseError::kBadVersion);
  expect_error_every_split("HTTP/1.10 200 OK\r\n\r\n", ParseError::kBadVersion);
}

TEST(ResponseParserErrors, RejectsAFourDigitStatusCode) {
  expect_error_every_split("HTTP/1.1 2000 OK\r\n\r\n", ParseError::kBadStatusCode);
}

TEST(ResponseParserErrors, RejectsShortOrOutOfRangeStatusCodes) {
  expect_error_every_split("HTTP/1.1 20 OK\r\n\r\n", ParseError::kBadStatusCode);
  expect_error_every_split("HTTP/1.1 099 Low\r\n\r\n", ParseError::kBadStatusCode);
  expect_error_every_split("HTTP/1.1 2x0 OK\r\n\r\n", ParseError::kBadStatusCode);
}

TEST(ResponseParserErrors, RejectsABareCrInTheStatusLine) {
  expect_error_every_split("HTTP/1.1 200 OK\rX\r\n\r\n", ParseError::kBadStatusLine);
}

TEST(ResponseParserErrors, RejectsAHeaderLineWithoutAColon) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length 5\r\n\r\nhello", ParseError::kBadHeader);
}

TEST(ResponseParserErrors, RejectsWhitespaceBeforeTheColon) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello", ParseError::kBadHeader);
}

TEST(ResponseParserErrors, RejectsObsoleteLineFolding) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\r\n", ParseError::kBadHeader);
}

TEST(ResponseParserErrors, RejectsABareCrOrNulInAFieldValue) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n", ParseError::kBadHeader);
  expect_error_every_split(std::string("HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n", 29), ParseError::kBadHeader);
}

TEST(ResponseParserErrors, RejectsAnEmptyHeaderName) {
  expect_error_every_split("HTTP/1.1 200 OK\r\n: x\r\n\r\n", ParseError::kBadHeader);
}

TEST(ResponseParserErrors, RejectsANegativeContentLength) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", ParseError::kBadContentLength);
}

TEST(ResponseParserErrors, RejectsANonDigitContentLength) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", ParseError::kBadContentLength);
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", ParseError::kBadContentLength);
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", ParseError::kBadContentLength);
}

TEST(ResponseParserErrors, RejectsAnEmptyContentLength) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", ParseError::kBadContentLength);
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: ,\r\n\r\n", ParseError::kBadContentLength);
}

TEST(ResponseParserErrors, RejectsAContentLengthThatOverflows64Bits) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
                           ParseError::kBadContentLength);
}

TEST(ResponseParserErrors, AcceptsTheLargest64BitContentLength) {
  Outcome outcome = parse_whole("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nab");
  EXPECT_EQ(outcome, (Outcome{Status::kNeedMore, ParseError::kNone, 200, true, 2, 59, 59}));
}

TEST(ResponseParserErrors, RejectsContentLengthsThatDisagree) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
                           ParseError::kConflictingLength);
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello",
                           ParseError::kConflictingLength);
}

TEST(ResponseParserErrors, RejectsAChunkSizeThatOverflows64Bits) {
  std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  expect_error_every_split(head + "ffffffffffffffffff\r\n", ParseError::kChunkTooLarge);
  expect_error_every_split(head + "10000000000000000\r\n", ParseError::kChunkTooLarge);
}

TEST(ResponseParserErrors, AcceptsTheLargest64BitChunkSize) {
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc";
  EXPECT_EQ(parse_whole(wire), (Outcome{Status::kNeedMore, ParseError::kNone, 200, true, 3, 68, 68}));
}

TEST(ResponseParserErrors, RejectsANonHexChunkSize) {
  std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  expect_error_every_split(head + "zz\r\n", ParseError::kBadChunk);
  expect_error_every_split(head + "\r\n", ParseError::kBadChunk);
  expect_error_every_split(head + "-5\r\n", ParseError::kBadChunk);
}

TEST(ResponseParserErrors, RejectsChunkDataNotFollowedByCrlf) {
  std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  expect_error_every_split(head + "5\r\nhelloX\r\n0\r\n\r\n", ParseError::kBadChunk);
  Outcome outcome = parse_whole(head + "5\r\nhelloX");
  EXPECT_EQ(outcome.body_bytes, 5u);
}

TEST(ResponseParserErrors, RejectsAHeadOverTheDefault64KiBLimit) {
  std::string wire = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 70; ++i) wire += "X-Big: " + std::string(1015, 'a') + "\r\n";  // 70 lines of 1 KiB
  wire += "\r\n";
  Outcome outcome = parse_whole(wire);
  EXPECT_EQ(outcome.status, Status::kError);
  EXPECT_EQ(to_string(outcome.error), "header too large");
  EXPECT_EQ(outcome.wire_bytes, 65536u);  // the limit, not a byte more
  EXPECT_EQ(parse_in_reads(wire, {}, {}, 1000), outcome);
}

TEST(ResponseParserErrors, RejectsAHeadOverALimitSetByTheCaller) {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";  // 38 bytes
  ResponseParser parser;
  parser.set_max_head_bytes(37);
  parser.start(false);
  EXPECT_EQ(parser.feed(wire.data(), wire.size()), 37u);
  EXPECT_EQ(parser.status(), Status::kError);
  EXPECT_EQ(parser.error(), ParseError::kHeaderTooLarge);
}

TEST(ResponseParserErrors, RejectsAFieldLineOverTheDefault16KiBLineLimit) {
  std::string wire = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(16 * 1024, 'a') + "\r\n\r\n";
  Outcome outcome = parse_whole(wire);
  EXPECT_EQ(outcome.status, Status::kError);
  EXPECT_EQ(to_string(outcome.error), "line too long");
  EXPECT_EQ(outcome.wire_bytes, 17u + 16 * 1024);  // the status line, then exactly the limit of the long line
  EXPECT_EQ(parse_in_reads(wire, {}, {}, 1000), outcome);
  EXPECT_EQ(parse_in_reads(wire, {}, {}, 7), outcome);
}

TEST(ResponseParserErrors, AcceptsALineOfExactlyTheLimitLineEndIncluded) {
  std::string line = "X-Long: " + std::string(54, 'a') + "\r\n";  // 64 bytes
  std::string wire = "HTTP/1.1 200 OK\r\n" + line + "Content-Length: 0\r\n\r\n";
  for (size_t split = 1; split < wire.size(); ++split) {
    ResponseParser parser(ResponseParser::kDefaultMaxHeadBytes, 64);
    parser.start(false);
    size_t used = parser.feed(wire.data(), split);
    used += parser.feed(wire.data() + used, wire.size() - used);
    EXPECT_EQ(parser.status(), Status::kComplete) << "split at " << split;
    EXPECT_EQ(used, wire.size());
  }
}

TEST(ResponseParserErrors, RejectsALineOneByteOverALimitSetByTheCaller) {
  std::string wire = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(55, 'a') + "\r\nContent-Length: 0\r\n\r\n";
  for (size_t split = 1; split < wire.size(); ++split) {
    ResponseParser parser(ResponseParser::kDefaultMaxHeadBytes, 64);
    parser.start(false);
    size_t used = parser.feed(wire.data(), split);
    if (parser.status() == Status::kNeedMore) used += parser.feed(wire.data() + used, wire.size() - used);
    EXPECT_EQ(parser.error(), ParseError::kLineTooLong) << "split at " << split;
    EXPECT_EQ(used, 17u + 64) << "split at " << split;  // stops at the limit, wherever the reads split
  }
}

TEST(ResponseParserErrors, BoundsTheStatusLineByTheLineLimit) {
  std::string wire = "HTTP/1.1 200 " + std::string(100, 'r') + "\r\n\r\n";
  ResponseParser parser(ResponseParser::kDefaultMaxHeadBytes, 64);
  parser.start(false);
  EXPECT_EQ(parser.feed(wire.data(), wire.size()), 64u);
  EXPECT_EQ(parser.error(), ParseError::kLineTooLong);
}

TEST(ResponseParserErrors, ReportsUnexpectedEofInsideTheHead) {
  expect_error_every_split("HTTP/1.1 200 OK\r\nContent-Le", ParseError::kUnexpectedEof, {.eof_at_end = true});
}

TEST(ResponseParserErrors, ReportsUnexpectedEofInsideALengthBody) {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
  expect_error_every_split(wire, ParseError::kUnexpectedEof, {.eof_at_end = true});
  EXPECT_EQ(parse_whole(wire, {.eof_at_end = true}).body_bytes, 3u);
}

TEST(ResponseParserErrors, ReportsUnexpectedEofInsideAChunkedBody) {
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n";
  expect_error_every_split(wire, ParseError::kUnexpectedEof, {.eof_at_end = true});
}

TEST(ResponseParserErrors, ReportsUnexpectedEofBeforeAnyByte) {
  ResponseParser parser;
  parser.finish_on_eof();
  EXPECT_EQ(parser.status(), Status::kError);
  EXPECT_EQ(parser.error(), ParseError::kUnexpectedEof);
}

TEST(ResponseParserErrors, GivesEveryErrorAPrintableName) {
  EXPECT_EQ(to_string(ParseError::kNone), "none");
  EXPECT_EQ(to_string(ParseError::kBadStatusLine), "bad status line");
  EXPECT_EQ(to_string(ParseError::kBadVersion), "bad version");
  EXPECT_EQ(to_string(ParseError::kBadStatusCode), "bad status code");
  EXPECT_EQ(to_string(ParseError::kBadHeader), "bad header");
  EXPECT_EQ(to_string(ParseError::kHeaderTooLarge), "header too large");
  EXPECT_EQ(to_string(ParseError::kBadContentLength), "bad content length");
  EXPECT_EQ(to_string(ParseError::kConflictingLength), "conflicting length");
  EXPECT_EQ(to_string(ParseError::kBadChunk), "bad chunk");
  EXPECT_EQ(to_string(ParseError::kChunkTooLarge), "chunk too large");
  EXPECT_EQ(to_string(ParseError::kUnexpectedEof), "unexpected eof");
  EXPECT_EQ(to_string(ParseError::kLineTooLong), "line too long");
}

}  // namespace
}  // namespace surge::proto::http
