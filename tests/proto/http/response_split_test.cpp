// split_response must frame a body exactly as ResponseParser did: checks and captures read what it returns.
#include "proto/http/response_split.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::proto::http {
namespace {

ResponseParts split(const std::string& raw, std::string& scratch) { return split_response(raw, scratch); }

TEST(SplitResponse, SkipsInterimHeadsAndDecodesAChunkedBody) {
  std::string scratch;
  std::string raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
  ResponseParts parts = split(raw, scratch);
  EXPECT_EQ(parts.status, 201);
  EXPECT_EQ(parts.head, "Transfer-Encoding: chunked");
  EXPECT_EQ(parts.body, "abcde");
}

TEST(SplitResponse, ReadsTheFinalCodingWithParametersAndEmptyElements) {
  std::string scratch;
  EXPECT_EQ(split("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked ;q=1 , \r\n\r\n1\r\nz\r\n0\r\n\r\n",
                  scratch).body, "z");
}

TEST(SplitResponse, TreatsTwoWordsInOneElementAsNotChunked) {
  // "chunked chunked" is not the chunked coding; the parser reads such a body to EOF, so split keeps it raw.
  std::string scratch;
  EXPECT_EQ(split("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked chunked\r\n\r\n0\r\n\r\n", scratch).body,
            "0\r\n\r\n");
  EXPECT_EQ(split("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, ;x\r\n\r\n0\r\n\r\n", scratch).body,
            "0\r\n\r\n");
}

}  // namespace
}  // namespace surge::proto::http
