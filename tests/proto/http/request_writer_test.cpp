// render_request: the exact bytes of rendered requests, and the header checks that guard against injection.
#include "proto/http/request_writer.h"

#include <gtest/gtest.h>

namespace surge::proto::http {
namespace {

TEST(RequestWriter, RendersAGetWithHostAndUserAgent) {
  EXPECT_EQ(render_request("GET", "/a?b=1", "example.com:8080", {}, ""),
            "GET /a?b=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: surge/" SURGE_VERSION "\r\n\r\n");
}

TEST(RequestWriter, RendersAPostBodyWithItsContentLength) {
  EXPECT_EQ(render_request("POST", "/items", "h", {{"Content-Type", "application/json"}}, "{\"a\":1}"),
            "POST /items HTTP/1.1\r\nHost: h\r\nUser-Agent: surge/" SURGE_VERSION
            "\r\nContent-Type: application/json\r\n"
            "Content-Length: 7\r\n\r\n{\"a\":1}");
}

TEST(RequestWriter, SendsContentLengthZeroForAnEmptyPutPostOrPatch) {
  for (const char* method : {"POST", "PUT", "PATCH"}) {
    EXPECT_EQ(render_request(method, "/", "h", {}, ""),
              std::string(method) + " / HTTP/1.1\r\nHost: h\r\nUser-Agent: surge/" SURGE_VERSION
                                    "\r\nContent-Length: 0\r\n\r\n");
  }
}

TEST(RequestWriter, SendsNoContentLengthForAnEmptyDelete) {
  EXPECT_EQ(render_request("DELETE", "/x", "h", {}, ""),
            "DELETE /x HTTP/1.1\r\nHost: h\r\nUser-Agent: surge/" SURGE_VERSION "\r\n\r\n");
}

TEST(RequestWriter, KeepsTheUsersHostAndUserAgentWhateverTheirCase) {
  EXPECT_EQ(render_request("GET", "/", "default", {{"host", "other"}, {"USER-AGENT", "me"}}, ""),
            "GET / HTTP/1.1\r\nhost: other\r\nUSER-AGENT: me\r\n\r\n");
}

TEST(RequestWriter, KeepsTheUsersFramingHeaders) {
  EXPECT_EQ(render_request("POST", "/", "h", {{"content-length", "3"}}, "abc"),
            "POST / HTTP/1.1\r\nHost: h\r\nUser-Agent: surge/" SURGE_VERSION
            "\r\ncontent-length: 3\r\n\r\nabc");
  EXPECT_EQ(render_request("POST", "/", "h", {{"Transfer-Encoding", "chunked"}}, "0\r\n\r\n"),
            "POST / HTTP/1.1\r\nHost: h\r\nUser-Agent: surge/" SURGE_VERSION
            "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

TEST(RequestWriter, AcceptsTokensAndRejectsSeparators) {
  EXPECT_TRUE(is_valid_token("X-Request-Id"));
  EXPECT_TRUE(is_valid_token("!#$%&'*+-.^_`|~09az"));
  EXPECT_FALSE(is_valid_token(""));
  EXPECT_FALSE(is_valid_token("X Y"));
  EXPECT_FALSE(is_valid_token("X:Y"));
  EXPECT_FALSE(is_valid_token("X\r\nY"));
  EXPECT_FALSE(is_valid_token("\xc3\xa9"));
}

TEST(RequestWriter, ValidatesAnOrdinaryHeader) {
  EXPECT_TRUE(validate_header("Authorization", "Bearer abc def"));
}

TEST(RequestWriter, RejectsAHeaderNameWithASpace) {
  auto result = validate_header("X Y", "v");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "invalid header name \"X Y\": expected a token (letters, digits and !#$%&'*+-.^_`|~)");
}

TEST(RequestWriter, RejectsAnEmptyHeaderName) {
  auto result = validate_header("", "v");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "invalid header name \"\": expected a token (letters, digits and !#$%&'*+-.^_`|~)");
}

TEST(RequestWriter, RejectsAHeaderNameWithCrLfAndEscapesIt) {
  auto result = validate_header("X\r\nEvil", "v");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "invalid header name \"X\\r\\nEvil\": expected a token (letters, digits and !#$%&'*+-.^_`|~)");
}

TEST(RequestWriter, RejectsAHeaderValueWithCrLf) {
  auto result = validate_header("X-A", "ok\r\nHost: evil");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "invalid value for header \"X-A\": it must not contain CR, LF or NUL");
}

TEST(RequestWriter, RejectsAHeaderValueWithNul) {
  EXPECT_FALSE(validate_header("X-A", std::string_view("a\0b", 3)));
}

}  // namespace
}  // namespace surge::proto::http
