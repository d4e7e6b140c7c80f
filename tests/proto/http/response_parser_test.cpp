// ResponseParser framing (RFC 9112 §6.3) on well-formed responses, each fed whole, one byte at a time and
// split at every position. Expected counts are byte counts of the literal responses.
#include "proto/http/response_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "feed_helpers.h"

namespace surge::proto::http {
namespace {

using Status = ResponseParser::Status;

TEST(ResponseParser, ReadsAContentLengthBody) {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";  // 38 head + 5 body
  expect_every_split(wire, complete(200, true, 5, 43, 43));
}

TEST(ResponseParser, CompletesAtTheHeadWhenContentLengthIsZero) {
  std::string wire = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
  expect_every_split(wire, complete(404, true, 0, 45, 45));
}

TEST(ResponseParser, ReadsAStatusLineWithoutAReasonPhrase) {
  std::string wire = "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok";
  expect_every_split(wire, complete(200, true, 2, 37, 37));
}

TEST(ResponseParser, AcceptsBareLfLineEndings) {
  std::string wire = "HTTP/1.1 200 OK\nContent-Length: 3\nX-A: b\n\nabc";
  expect_every_split(wire, complete(200, true, 3, 45, 45));
}

TEST(ResponseParser, MatchesHeaderNamesWhateverTheirCase) {
  expect_every_split("HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 3\r\n\r\nabc", complete(200, true, 3, 41, 41));
  expect_every_split("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc", complete(200, true, 3, 41, 41));
  expect_every_split("HTTP/1.1 200 OK\r\nTRANSFER-encoding: CHUNKED\r\n\r\n1\r\na\r\n0\r\n\r\n",
                     complete(200, true, 1, 58, 58));
}

TEST(ResponseParser, IgnoresFieldsThatOnlyStartLikeFramingFields) {
  // "Content-Lengths" and "Connection-Close" are other fields: no length, so the body runs to EOF.
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Lengths: 3\r\nConnection-Close: x\r\n\r\nabcdef";
  expect_every_split(wire, complete(200, false, 6, 66, 66), {.eof_at_end = true});
}

TEST(ResponseParser, AcceptsRepeatedIdenticalContentLengths) {
  expect_every_split("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
                     complete(200, true, 3, 60, 60));
  expect_every_split("HTTP/1.1 200 OK\r\nContent-Length: 3 , 3\r\n\r\nabc", complete(200, true, 3, 45, 45));
}

TEST(ResponseParser, CountsAOneMebibyteBodyExactly) {
  const uint64_t kBody = 1 << 20;
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n";
  size_t head = wire.size();
  wire.append(kBody, 'x');
  EXPECT_EQ(parse_whole(wire), complete(200, true, kBody, head + kBody, head + kBody));
  EXPECT_EQ(parse_in_reads(wire, {}, {}, 16384), complete(200, true, kBody, head + kBody, head + kBody));
  EXPECT_EQ(parse_in_reads(wire, {1, 7, 13, 4093}, {}, 65536),
            complete(200, true, kBody, head + kBody, head + kBody));
}

TEST(ResponseParser, ReadsAChunkedBodyWithExtensionsAndTrailers) {
  std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"  // 47
      "5;name=value\r\nhello\r\n"                              // 21
      "6 ; a=\"b;c\"\r\n world\r\n"                            // 21
      "0;last\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n";       // 39
  expect_every_split(wire, complete(200, true, 11, 128, 128));
}

TEST(ResponseParser, ReadsUpperAndLowerCaseHexChunkSizes) {
  std::string body(26, 'z');
  std::string upper = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1A\r\n" + body + "\r\n0\r\n\r\n";
  std::string lower = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n" + body + "\r\n0\r\n\r\n";
  expect_every_split(upper, complete(200, true, 26, 84, 84));
  expect_every_split(lower, complete(200, true, 26, 84, 84));
}

TEST(ResponseParser, ReadsChunkedFramingWithBareLf) {
  std::string wire = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n2\nde\n0\nT: v\n\n";
  expect_every_split(wire, complete(200, true, 5, 63, 63));
}

TEST(ResponseParser, UsesChunkedWhenItIsTheFinalCoding) {
  std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  expect_every_split(wire, complete(200, true, 0, 77, 77));
  expect_every_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n0\r\n\r\n",
                     complete(200, true, 0, 58, 58));
}

TEST(ResponseParser, ReadsToEofWhenChunkedIsNotTheFinalCoding) {
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n";  // 53 head
  expect_every_split(wire, complete(200, false, 5, 58, 58), {.eof_at_end = true});
}

TEST(ResponseParser, IgnoresCodingParametersButNotASecondWord) {
  // RFC 9110 §10.1.4: transfer-coding = token *( OWS ";" OWS parameter ). "chunked chunked" is not chunked.
  expect_every_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked ;q=1\r\n\r\n0\r\n\r\n",
                     complete(200, true, 0, 57, 57));
  std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked chunked\r\n\r\n0\r\n\r\n";  // 55 head
  expect_every_split(wire, complete(200, false, 5, 60, 60), {.eof_at_end = true});
}

TEST(ResponseParser, LetsTransferEncodingWinOverContentLengthAndClosesAfter) {
  std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  expect_every_split(wire, complete(200, false, 3, 81, 81));
}

TEST(ResponseParser, ReadsChunkedInHttp10ButClosesAfter) {
  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing; close after it.
  std::string wire =
      "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  expect_every_split(wire, complete(200, false, 0, 76, 76));
}

TEST(ResponseParser, CompletesACloseDelimitedBodyOnEof) {
  std::string wire = "HTTP/1.1 200 OK\r\nServer: x\r\n\r\nuntil the end";  // 30 head + 13
  expect_every_split(wire, complete(200, false, 13, 43, 43), {.eof_at_end = true});
}

TEST(ResponseParser, WaitsForEofOnACloseDelimitedBody) {
  std::string wire = "HTTP/1.1 200 OK\r\n\r\nabc";
  expect_every_split(wire, {Status::kNeedMore, ParseError::kNone, 200, false, 3, 22, 22});
}

TEST(ResponseParser, IgnoresContentLengthInAResponseToHead) {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
  expect_every_split(wire, complete(200, true, 0, 40, 40), {.is_head = true});
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  expect_every_split(chunked, complete(200, true, 0, 47, 47), {.is_head = true});
}

TEST(ResponseParser, GivesNoBodyTo204Or304WhateverTheFieldsSay) {
  std::string no_content = "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\nHTTP/1.1";
  expect_every_split(no_content, complete(204, true, 0, 47, 47));
  std::string not_modified = "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\nHTTP/1.1";
  expect_every_split(not_modified, complete(304, true, 0, 57, 57));
}

TEST(ResponseParser, Skips100ContinueAndReadsTheFinalResponse) {
  std::string wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  expect_every_split(wire, complete(201, true, 2, 25 + 45, 70));
}

TEST(ResponseParser, Skips103EarlyHintsWithTheirFields) {
  // The interim head's Content-Length and Connection must not leak into the final response.
  std::string wire =
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\nContent-Length: 9\r\nConnection: "
      "close\r\n\r\n"
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx";
  expect_every_split(wire, complete(200, true, 1, 95 + 25 + 39, 159));
}

TEST(ResponseParser, Treats101SwitchingProtocolsAsFinalWithoutABody) {
  std::string wire =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05";
  expect_every_split(wire, complete(101, false, 0, 77, 77));
}

TEST(ResponseParser, KeepsHttp11AliveUnlessConnectionClose) {
  expect_every_split("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                     complete(200, false, 0, 57, 57));
  expect_every_split("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n",
                     complete(200, false, 0, 66, 66));
  expect_every_split("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n",
                     complete(200, true, 0, 58, 58));
}

// A value that is one token up to the line end is matched whole (response_parser.cpp's fast path): a token that
// only starts like the wanted one, or goes on past it, is not it, whatever the case.
TEST(ResponseParser, MatchesConnectionAndCodingTokensWholeAndInAnyCase) {
  expect_every_split("HTTP/1.1 200 OK\r\nConnection: CLOSE\r\nContent-Length: 1\r\n\r\na",
                     complete(200, false, 1, 58, 58));
  expect_every_split("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 1\r\n\r\na",
                     complete(200, true, 1, 59, 59));
  expect_every_split("HTTP/1.1 200 OK\r\nConnection: clos\r\nContent-Length: 1\r\n\r\na",
                     complete(200, true, 1, 57, 57));
  expect_every_split("HTTP/1.0 200 OK\r\nConnection:Keep-Alive\r\nContent-Length: 1\r\n\r\na",
                     complete(200, true, 1, 62, 62));
  expect_every_split("HTTP/1.0 200 OK\r\nConnection: keep-aliveX\r\nContent-Length: 1\r\n\r\na",
                     complete(200, false, 1, 64, 64));
  // "chunkedx" is not chunked: the body runs to the close.
  expect_every_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\n\r\nabc", complete(200, false, 3, 51, 51),
                     {.eof_at_end = true});
}

TEST(ResponseParser, KeepsHttp10AliveOnlyWithConnectionKeepAlive) {
  expect_every_split("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", complete(200, false, 0, 38, 38));
  expect_every_split("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n",
                     complete(200, true, 0, 62, 62));
  expect_every_split("HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n",
                     complete(200, false, 0, 69, 69));
}

TEST(ResponseParser, ParsesPipelinedResponsesBackToBack) {
  std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
  std::string second = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n";
  std::string third = "HTTP/1.1 204 No Content\r\n\r\n";
  std::string wire = first + second + third;
  ResponseParser parser;
  size_t pos = 0;
  std::vector<size_t> sizes;
  std::vector<uint64_t> bodies;
  while (pos < wire.size()) {
    parser.start(false);
    size_t used = parser.feed(wire.data() + pos, wire.size() - pos);
    ASSERT_EQ(parser.status(), Status::kComplete);
    sizes.push_back(used);
    bodies.push_back(parser.body_bytes());
    pos += used;
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{first.size(), second.size(), third.size()}));
  EXPECT_EQ(bodies, (std::vector<uint64_t>{3, 2, 0}));
}

TEST(ResponseParser, ConsumesNothingOnceComplete) {
  ResponseParser parser;
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(parser.feed(wire.data(), wire.size()), wire.size());
  EXPECT_EQ(parser.feed(wire.data(), wire.size()), 0u);
  EXPECT_EQ(parser.wire_bytes(), wire.size());
}

TEST(ResponseParser, StartForgetsThePreviousResponse) {
  ResponseParser parser;
  std::string closing = "HTTP/1.0 500 Oops\r\nContent-Length: 1\r\n\r\nx";
  EXPECT_EQ(parser.feed(closing.data(), closing.size()), closing.size());
  parser.start(false);
  std::string next = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  EXPECT_EQ(parser.feed(next.data(), next.size()), next.size());
  EXPECT_EQ(parser.status_code(), 200);
  EXPECT_TRUE(parser.keep_alive());
  EXPECT_EQ(parser.body_bytes(), 0u);
  EXPECT_EQ(parser.minor_version(), 1);
}

TEST(ResponseParser, AcceptsAHeadOfExactlyTheLimit) {
  std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";  // 38 bytes
  ResponseParser parser(38);
  EXPECT_EQ(parser.feed(wire.data(), wire.size()), 38u);
  EXPECT_EQ(parser.status(), Status::kComplete);
}

}  // namespace
}  // namespace surge::proto::http
