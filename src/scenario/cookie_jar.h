// One virtual user's cookies: the RFC 6265 §5 subset real services need (name=value with Domain, Path, Expires,
// Max-Age and Secure; HttpOnly and SameSite are accepted and ignored, there is no script and no cross-site
// request here). Storage is reused, so a warmed-up jar stores and sends cookies without allocating.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace surge::scenario {

class CookieJar {
 public:
  // A jar keeps at most this many cookies; a new one beyond it is ignored (RFC 6265 §6.1 asks for 50 per
  // domain, so one user's share of a service fits).
  static constexpr size_t kMaxCookies = 64;
  // Name plus value longer than this is ignored (RFC 6265 §6.1: at least 4096 bytes per cookie).
  static constexpr size_t kMaxCookieBytes = 4096;

  // One Set-Cookie field value received from `host` (lower case, no port) for a request to `request_path`
  // (the request target up to '?'). now_s: seconds since the Unix epoch, for Expires and Max-Age. A
  // malformed value (no '=', empty name, Domain that does not cover host) is ignored, as §5.2 and §5.3 say;
  // an expired one deletes the cookie of the same name, domain and path.
  void store(std::string_view set_cookie, std::string_view host, std::string_view request_path, int64_t now_s);

  // Every Set-Cookie line of `head` (header lines, CRLF-separated; a status line is skipped), stored as
  // store() does. For heads read outside the virtual user's HTTP path (a WebSocket upgrade's 101).
  void store_from_head(std::string_view head, std::string_view host, std::string_view request_path, int64_t now_s);

  // Appends "Cookie: a=1; b=2\r\n" for the cookies a request to host and path carries at now_s: domain and
  // path match, Secure ones only when is_https; longer paths first, then older first (§5.4). Returns false
  // and leaves out as it was when none matches. Cookies found expired are removed on the way.
  bool append_header(std::string_view host, std::string_view path, bool is_https, int64_t now_s, std::string& out);

  // Forgets every cookie and keeps the storage for the next ones.
  void clear() { live_ = 0; }
  size_t size() const { return live_; }

 private:
  struct Cookie {
    std::string name;
    std::string value;
    std::string domain;  // lower case, no leading dot
    std::string path;
    int64_t expires_s = 0;  // kSession: until the jar is cleared
    uint64_t created = 0;   // creation order, kept when a cookie is replaced (§5.3 step 11.3)
    bool host_only = true;  // sent only to exactly `domain`, not to its subdomains
    bool secure = false;
  };

  void put(const Cookie& parsed, int64_t now_s);
  void erase(size_t index);

  std::vector<Cookie> cookies_;  // [0, live_) in sending order: longer path first, then older; the rest spare
  size_t live_ = 0;
  uint64_t next_created_ = 0;
  Cookie parsed_;  // the Set-Cookie being read, reused
};

// An HTTP date as RFC 6265 §5.1.1 reads it ("Wed, 21 Oct 2015 07:28:00 GMT", and the variants servers send), in
// seconds since the Unix epoch; nullopt when it is not a date.
std::optional<int64_t> parse_cookie_date(std::string_view text);

// RFC 6265 §5.1.3 and §5.1.4, for the jar and its tests.
bool domain_matches(std::string_view host, std::string_view domain);
bool path_matches(std::string_view request_path, std::string_view cookie_path);
std::string_view default_cookie_path(std::string_view request_path);

}  // namespace surge::scenario
