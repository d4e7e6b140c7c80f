// Load-time checks of methods, headers and URLs: what passes and the exact refusal for what does not.
#include "plan/http_syntax.h"

#include <gtest/gtest.h>

namespace surge::plan {
namespace {

std::string error_of(const core::Result<void>& result) { return result ? "ok" : result.error().message; }

TEST(HttpSyntax, AcceptsHostPortAndPath) {
  EXPECT_EQ(error_of(check_absolute_url("http://localhost:8080/api/v1?x=1", "target")), "ok");
  EXPECT_EQ(error_of(check_absolute_url("https://example.com", "target")), "ok");
  EXPECT_EQ(error_of(check_absolute_url("http://127.0.0.1:1/", "target")), "ok");
}

TEST(HttpSyntax, AcceptsABracketedIpv6Host) {
  EXPECT_EQ(error_of(check_absolute_url("http://[::1]:8080/", "target")), "ok");
}

TEST(HttpSyntax, RejectsPortZero) {
  EXPECT_EQ(error_of(check_absolute_url("http://h:0", "target")),
            "target 'http://h:0' has an invalid port '0'; expected 1 to 65535");
}

TEST(HttpSyntax, RejectsAnEmptyPort) {
  EXPECT_EQ(error_of(check_absolute_url("http://h:/", "url")),
            "url 'http://h:/' has an invalid port ''; expected 1 to 65535");
}

TEST(HttpSyntax, RejectsANonNumericPort) {
  EXPECT_EQ(error_of(check_absolute_url("http://h:80a", "target")),
            "target 'http://h:80a' has an invalid port '80a'; expected 1 to 65535");
}

TEST(HttpSyntax, RejectsCredentials) {
  EXPECT_EQ(error_of(check_absolute_url("http://user:pw@h/", "target")),
            "target 'http://user:pw@h/' has credentials, which are not supported");
}

TEST(HttpSyntax, RejectsAFragment) {
  EXPECT_EQ(error_of(check_step_url("/a#top")), "url '/a#top' has a fragment (#...), which is never sent");
}

TEST(HttpSyntax, RejectsSpacesInAUrl) {
  EXPECT_EQ(error_of(check_step_url("/a b")), "url '/a b' contains a space or control character");
}

TEST(HttpSyntax, RejectsAnInvalidHost) {
  EXPECT_EQ(error_of(check_absolute_url("http://ex$ample.com/", "target")),
            "target 'http://ex$ample.com/' has an invalid host 'ex$ample.com'");
}

TEST(HttpSyntax, RejectsAnUnclosedIpv6Host) {
  EXPECT_EQ(error_of(check_absolute_url("http://[::1/", "target")),
            "target 'http://[::1/' has an unclosed IPv6 address");
}

TEST(HttpSyntax, AcceptsAnAbsoluteStepUrl) {
  EXPECT_EQ(error_of(check_step_url("https://other:8443/x")), "ok");
}

TEST(HttpSyntax, AcceptsExtensionMethods) {
  EXPECT_EQ(error_of(check_method("PURGE")), "ok");
  EXPECT_EQ(error_of(check_method("M-SEARCH")), "ok");
}

TEST(HttpSyntax, RejectsAMethodWithASpace) {
  EXPECT_EQ(error_of(check_method("GET /")),
            "method must be an uppercase token like GET or POST, found 'GET /'");
}

TEST(HttpSyntax, RejectsAnEmptyMethod) {
  EXPECT_EQ(error_of(check_method("")), "method must be an uppercase token like GET or POST, found ''");
}

TEST(HttpSyntax, RejectsALineBreakInAHeaderValue) {
  EXPECT_EQ(error_of(check_header("X-A", "a\r\nInjected: 1")),
            "header 'X-A' value must not contain CR, LF or NUL");
}

TEST(HttpSyntax, RejectsAnEmptyHeaderName) {
  EXPECT_EQ(error_of(check_header("", "v")), "header name '' is not a valid token");
}

TEST(HttpSyntax, AcceptsAnEmptyHeaderValue) { EXPECT_EQ(error_of(check_header("X-Empty", "")), "ok"); }

}  // namespace
}  // namespace surge::plan
