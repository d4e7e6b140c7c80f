// The cookie jar on its own: Set-Cookie parsing, domain and path rules, expiry and deletion, the order of the
// Cookie header (RFC 6265 §5), and malformed values ignored. Time is passed in, so expiry is exact.
#include "scenario/cookie_jar.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::scenario {
namespace {

constexpr int64_t kNow = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

// The Cookie header a request to host/path gets, without the field name and CRLF; "" when none.
std::string sent(CookieJar& jar, std::string_view host, std::string_view path, bool https = false,
                 int64_t now = kNow) {
  std::string out;
  if (!jar.append_header(host, path, https, now, out)) return out;
  EXPECT_TRUE(out.starts_with("Cookie: ")) << out;
  EXPECT_TRUE(out.ends_with("\r\n")) << out;
  return out.substr(8, out.size() - 10);
}

TEST(CookieJar, SendsAStoredCookieBackToTheSameHost) {
  CookieJar jar;
  jar.store("session=abc123; HttpOnly; SameSite=Lax", "shop.test", "/login", kNow);
  EXPECT_EQ(sent(jar, "shop.test", "/cart"), "session=abc123");
}

TEST(CookieJar, AppendsNothingWhenNoCookieMatches) {
  CookieJar jar;
  std::string out = "GET / HTTP/1.1\r\n";
  EXPECT_FALSE(jar.append_header("shop.test", "/", false, kNow, out));
  EXPECT_EQ(out, "GET / HTTP/1.1\r\n");
}

TEST(CookieJar, TrimsSpacesAroundNameAndValue) {
  CookieJar jar;
  jar.store("  a =  1  ;Path=/", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/"), "a=1");
}

TEST(CookieJar, ReplacesACookieOfTheSameNameDomainAndPath) {
  CookieJar jar;
  jar.store("a=1", "h.test", "/", kNow);
  jar.store("b=2", "h.test", "/", kNow);
  jar.store("a=3", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/"), "a=3; b=2");  // a keeps its creation order
  EXPECT_EQ(jar.size(), 2u);
}

TEST(CookieJar, HostOnlyCookieIsNotSentToSubdomains) {
  CookieJar jar;
  jar.store("a=1", "shop.test", "/", kNow);
  EXPECT_EQ(sent(jar, "api.shop.test", "/"), "");
  EXPECT_EQ(sent(jar, "shop.test", "/"), "a=1");
}

TEST(CookieJar, DomainCookieIsSentToTheDomainAndItsSubdomains) {
  CookieJar jar;
  jar.store("a=1; Domain=.Shop.Test", "www.shop.test", "/", kNow);
  EXPECT_EQ(sent(jar, "shop.test", "/"), "a=1");
  EXPECT_EQ(sent(jar, "api.shop.test", "/"), "a=1");
  EXPECT_EQ(sent(jar, "othershop.test", "/"), "");
}

TEST(CookieJar, IgnoresADomainThatDoesNotCoverTheHost) {
  CookieJar jar;
  jar.store("a=1; Domain=evil.test", "shop.test", "/", kNow);
  jar.store("b=2; Domain=api.shop.test", "shop.test", "/", kNow);
  EXPECT_EQ(jar.size(), 0u);
}

TEST(CookieJar, AnIpAddressHostMatchesOnlyItself) {
  EXPECT_TRUE(domain_matches("127.0.0.1", "127.0.0.1"));
  EXPECT_FALSE(domain_matches("10.0.0.1", "0.0.1"));
  EXPECT_TRUE(domain_matches("a.b.test", "b.test"));
  EXPECT_FALSE(domain_matches("ab.test", "b.test"));
}

TEST(CookieJar, PathMatchingFollowsRfc6265Section514) {
  EXPECT_TRUE(path_matches("/docs", "/docs"));
  EXPECT_TRUE(path_matches("/docs/web", "/docs"));
  EXPECT_TRUE(path_matches("/docs/web", "/docs/"));
  EXPECT_FALSE(path_matches("/docsets", "/docs"));
  EXPECT_FALSE(path_matches("/", "/docs"));
}

TEST(CookieJar, DefaultPathIsTheRequestPathUpToItsLastSlash) {
  EXPECT_EQ(default_cookie_path("/account/login"), "/account");
  EXPECT_EQ(default_cookie_path("/login"), "/");
  EXPECT_EQ(default_cookie_path(""), "/");
  EXPECT_EQ(default_cookie_path("login"), "/");
}

TEST(CookieJar, CookieWithoutPathGetsTheDefaultPath) {
  CookieJar jar;
  jar.store("a=1", "h.test", "/account/login", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/account/orders"), "a=1");
  EXPECT_EQ(sent(jar, "h.test", "/cart"), "");
}

TEST(CookieJar, PathThatIsNotAbsoluteFallsBackToTheDefault) {
  CookieJar jar;
  jar.store("a=1; Path=relative", "h.test", "/x/y", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/x/z"), "a=1");
  EXPECT_EQ(sent(jar, "h.test", "/"), "");
}

TEST(CookieJar, LongerPathsAreSentFirstThenOlderCookies) {
  CookieJar jar;
  jar.store("root1=1; Path=/", "h.test", "/", kNow);
  jar.store("deep=2; Path=/a/b", "h.test", "/", kNow);
  jar.store("mid=3; Path=/a", "h.test", "/", kNow);
  jar.store("root2=4; Path=/", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/a/b/c"), "deep=2; mid=3; root1=1; root2=4");
}

TEST(CookieJar, MaxAgeExpiresTheCookieThatManySecondsLater) {
  CookieJar jar;
  jar.store("a=1; Max-Age=60", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/", false, kNow + 59), "a=1");
  EXPECT_EQ(sent(jar, "h.test", "/", false, kNow + 60), "");
  EXPECT_EQ(jar.size(), 0u);  // dropped once found expired
}

TEST(CookieJar, MaxAgeZeroDeletesTheCookie) {
  CookieJar jar;
  jar.store("a=1", "h.test", "/", kNow);
  jar.store("b=2", "h.test", "/", kNow);
  jar.store("a=gone; Max-Age=0", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/"), "b=2");
  EXPECT_EQ(jar.size(), 1u);
}

TEST(CookieJar, ExpiresInThePastDeletesTheCookie) {
  CookieJar jar;
  jar.store("a=1", "h.test", "/", kNow);
  jar.store("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "h.test", "/", kNow);
  EXPECT_EQ(jar.size(), 0u);
}

TEST(CookieJar, ExpiresInTheFutureKeepsTheCookieUntilThen) {
  CookieJar jar;
  jar.store("a=1; Expires=Wed, 15 Nov 2023 00:00:00 GMT", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/", false, 1'700'006'399), "a=1");
  EXPECT_EQ(sent(jar, "h.test", "/", false, 1'700'006'400), "");
}

TEST(CookieJar, MaxAgeWinsOverExpiresWhateverTheOrder) {
  CookieJar jar;
  jar.store("a=1; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/", false, kNow + 9), "a=1");
}

TEST(CookieJar, MalformedMaxAgeAndExpiresAreIgnored) {
  CookieJar jar;
  jar.store("a=1; Max-Age=soon; Expires=tomorrow", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/", false, kNow + 1'000'000'000), "a=1");  // a session cookie
}

TEST(CookieJar, SecureCookieGoesOnlyOverHttps) {
  CookieJar jar;
  jar.store("a=1; Secure", "h.test", "/", kNow);
  jar.store("b=2", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/", false), "b=2");
  EXPECT_EQ(sent(jar, "h.test", "/", true), "a=1; b=2");
}

TEST(CookieJar, MalformedSetCookieValuesAreIgnored) {
  CookieJar jar;
  jar.store("no-equals-sign", "h.test", "/", kNow);
  jar.store("=value-without-name", "h.test", "/", kNow);
  jar.store("", "h.test", "/", kNow);
  jar.store("; Path=/", "h.test", "/", kNow);
  jar.store("big=" + std::string(CookieJar::kMaxCookieBytes, 'x'), "h.test", "/", kNow);
  EXPECT_EQ(jar.size(), 0u);
}

TEST(CookieJar, EmptyValueIsAValidCookie) {
  CookieJar jar;
  jar.store("flag=", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/"), "flag=");
}

TEST(CookieJar, KeepsAtMostMaxCookies) {
  CookieJar jar;
  for (size_t i = 0; i < CookieJar::kMaxCookies + 5; ++i) jar.store("c" + std::to_string(i) + "=1", "h.test", "/", kNow);
  EXPECT_EQ(jar.size(), CookieJar::kMaxCookies);
}

TEST(CookieJar, ClearForgetsEveryCookie) {
  CookieJar jar;
  jar.store("a=1", "h.test", "/", kNow);
  jar.clear();
  EXPECT_EQ(sent(jar, "h.test", "/"), "");
  jar.store("b=2", "h.test", "/", kNow);
  EXPECT_EQ(sent(jar, "h.test", "/"), "b=2");
}

TEST(CookieDate, ReadsTheFormatsServersSend) {
  EXPECT_EQ(parse_cookie_date("Wed, 21 Oct 2015 07:28:00 GMT"), 1445412480);   // RFC 1123
  EXPECT_EQ(parse_cookie_date("Wednesday, 21-Oct-15 07:28:00 GMT"), 1445412480);  // RFC 850
  EXPECT_EQ(parse_cookie_date("Wed Oct 21 07:28:00 2015"), 1445412480);           // asctime
  EXPECT_EQ(parse_cookie_date("21 Oct 2015 07:28:00"), 1445412480);
  EXPECT_EQ(parse_cookie_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_cookie_date("Tue, 29 Feb 2028 23:59:59 GMT"), 1835481599);
}

TEST(CookieDate, RejectsWhatIsNotADate) {
  EXPECT_FALSE(parse_cookie_date(""));
  EXPECT_FALSE(parse_cookie_date("tomorrow"));
  EXPECT_FALSE(parse_cookie_date("Wed, 21 Oct 2015"));             // no time
  EXPECT_FALSE(parse_cookie_date("Wed, 31 Feb 2015 07:28:00 GMT"));  // no such day
  EXPECT_FALSE(parse_cookie_date("Wed, 21 Foo 2015 07:28:00 GMT"));  // no month
  EXPECT_FALSE(parse_cookie_date("Wed, 21 Oct 2015 24:00:00 GMT"));  // hour out of range
  EXPECT_FALSE(parse_cookie_date("Wed, 21 Oct 1500 07:28:00 GMT"));  // before 1601
}

}  // namespace
}  // namespace surge::scenario
