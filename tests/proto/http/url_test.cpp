// parse_url: what surge connects to and what it puts in the request line and Host, and the message for
// each URL it refuses.
#include "proto/http/url.h"

#include <gtest/gtest.h>

namespace surge::proto::http {
namespace {

Url parsed(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url) << (url ? "" : url.error().message);
  return url ? *url : Url{};
}

std::string error_of(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_FALSE(url);
  return url ? "" : url.error().message;
}

TEST(Url, ParsesHttpWithTheDefaultPort) {
  Url url = parsed("http://example.com/api/items?limit=5");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "example.com");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/api/items?limit=5");
  EXPECT_EQ(url.host_header, "example.com");
}

TEST(Url, ParsesHttpsWithTheDefaultPort) {
  Url url = parsed("https://example.com");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(url.host_header, "example.com");
}

TEST(Url, PutsANonDefaultPortInTheHostHeader) {
  Url url = parsed("http://127.0.0.1:8080/");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.host_header, "127.0.0.1:8080");
  EXPECT_EQ(parsed("https://h:443/").host_header, "h");
  EXPECT_EQ(parsed("https://h:80/").host_header, "h:80");
}

TEST(Url, ParsesAnIpv6LiteralWithAPort) {
  Url url = parsed("http://[::1]:8080/x");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.target, "/x");
  EXPECT_EQ(url.host_header, "[::1]:8080");
}

TEST(Url, KeepsIpv6BracketsInTheHostHeaderOnTheDefaultPort) {
  Url url = parsed("http://[2001:db8::7]/");
  EXPECT_EQ(url.host, "2001:db8::7");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.host_header, "[2001:db8::7]");
}

TEST(Url, GivesAQueryWithoutAPathALeadingSlash) { EXPECT_EQ(parsed("http://h?q=1").target, "/?q=1"); }

TEST(Url, DropsTheFragment) {
  EXPECT_EQ(parsed("http://h/page?a=b#section").target, "/page?a=b");
  EXPECT_EQ(parsed("http://h#top").target, "/");
}

TEST(Url, AcceptsAnUpperCaseScheme) {
  Url url = parsed("HTTPS://h/");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.port, 443);
}

TEST(Url, RejectsOtherSchemes) {
  EXPECT_EQ(error_of("ftp://x"), "invalid URL \"ftp://x\": expected http:// or https://");
  EXPECT_EQ(error_of("example.com/x"), "invalid URL \"example.com/x\": expected http:// or https://");
}

TEST(Url, RejectsAnEmptyHost) {
  EXPECT_EQ(error_of("http:///x"), "invalid URL \"http:///x\": empty host");
  EXPECT_EQ(error_of("http://:80/"), "invalid URL \"http://:80/\": empty host");
  EXPECT_EQ(error_of("http://[]/"), "invalid URL \"http://[]/\": empty host");
}

TEST(Url, RejectsPortZero) {
  EXPECT_EQ(error_of("http://h:0/"), "invalid URL \"http://h:0/\": port must be a number from 1 to 65535");
}

TEST(Url, RejectsAPortAbove65535) {
  EXPECT_EQ(error_of("http://h:65536/"),
            "invalid URL \"http://h:65536/\": port must be a number from 1 to 65535");
  EXPECT_EQ(error_of("http://h:999999/"),
            "invalid URL \"http://h:999999/\": port must be a number from 1 to 65535");
  EXPECT_EQ(parsed("http://h:65535/").port, 65535);
}

TEST(Url, RejectsANonDigitOrEmptyPort) {
  EXPECT_EQ(error_of("http://h:8a/"), "invalid URL \"http://h:8a/\": port must be a number from 1 to 65535");
  EXPECT_EQ(error_of("http://h:/"), "invalid URL \"http://h:/\": port must be a number from 1 to 65535");
  EXPECT_EQ(error_of("http://h:-1/"), "invalid URL \"http://h:-1/\": port must be a number from 1 to 65535");
}

TEST(Url, RejectsUserinfo) {
  EXPECT_EQ(error_of("http://user:pass@h/"),
            "invalid URL \"http://user:pass@h/\": userinfo (user@host) is not supported; send credentials as "
            "a header");
}

TEST(Url, RejectsAnUnclosedIpv6Literal) {
  EXPECT_EQ(error_of("http://[::1/"),
            "invalid URL \"http://[::1/\": IPv6 address is missing its closing ']'");
}

TEST(Url, RejectsJunkAfterAnIpv6Literal) {
  EXPECT_EQ(error_of("http://[::1]x/"), "invalid URL \"http://[::1]x/\": expected ':port' or '/' after ']'");
  EXPECT_EQ(error_of("http://[::g]/"),
            "invalid URL \"http://[::g]/\": IPv6 address may hold only hex digits, ':' and '.'");
}

TEST(Url, RejectsABadHostCharacter) {
  EXPECT_EQ(error_of("http://a b/"), "invalid URL \"http://a b/\": host contains \" \"");
}

TEST(Url, RejectsASpaceOrControlByteInThePath) {
  EXPECT_EQ(error_of("http://h/a b"), "invalid URL \"http://h/a b\": path contains a space or control byte");
  EXPECT_EQ(error_of("http://h/a\r\nX: y"),
            "invalid URL \"http://h/a\\r\\nX: y\": path contains a space or control byte");
}

}  // namespace
}  // namespace surge::proto::http
