// Storing Set-Cookie values (RFC 6265 §5.2 parsing, §5.3 storage model) and choosing the cookies of a request
// (§5.4). The jar is a small sorted array: a user holds a handful of cookies, so a scan beats any index.
#include "scenario/cookie_jar.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace surge::scenario {
namespace {

constexpr int64_t kSession = std::numeric_limits<int64_t>::max();
constexpr int64_t kExpired = std::numeric_limits<int64_t>::min();

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// §5.2.2: "-"? DIGIT+; anything else leaves the attribute out.
std::optional<int64_t> parse_max_age(std::string_view text) {
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int64_t seconds = 0;
  for (char c : text) seconds = std::min<int64_t>(seconds * 10 + (c - '0'), int64_t{1} << 40);
  return negative ? -seconds : seconds;
}

bool is_ip_address(std::string_view host) {
  return host.find(':') != std::string_view::npos ||
         std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

void assign_lower(std::string& out, std::string_view text) {
  out.assign(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

}  // namespace

bool domain_matches(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.' &&
         !is_ip_address(host);
}

bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (!request_path.starts_with(cookie_path)) return false;
  return request_path.size() == cookie_path.size() || cookie_path.back() == '/' ||
         request_path[cookie_path.size()] == '/';
}

std::string_view default_cookie_path(std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return "/";
  size_t last = request_path.rfind('/');
  return last == 0 ? std::string_view("/") : request_path.substr(0, last);
}

void CookieJar::store(std::string_view set_cookie, std::string_view host, std::string_view request_path,
                      int64_t now_s) {
  size_t end = std::min(set_cookie.find(';'), set_cookie.size());
  std::string_view pair = set_cookie.substr(0, end);
  size_t equals = pair.find('=');
  if (equals == std::string_view::npos) return;
  std::string_view name = trim(pair.substr(0, equals));
  std::string_view value = trim(pair.substr(equals + 1));
  if (name.empty() || name.size() + value.size() > kMaxCookieBytes) return;
  Cookie& cookie = parsed_;
  cookie.name.assign(name);
  cookie.value.assign(value);
  cookie.domain.clear();
  cookie.path.assign(default_cookie_path(request_path));
  cookie.secure = false;
  std::optional<int64_t> max_age, expires;
  // §5.2: attributes in order; for each name the last one wins.
  while (end < set_cookie.size()) {
    size_t next = std::min(set_cookie.find(';', end + 1), set_cookie.size());
    std::string_view attribute = set_cookie.substr(end + 1, next - end - 1);
    end = next;
    size_t at = attribute.find('=');
    std::string_view key = trim(attribute.substr(0, at));
    std::string_view text = at == std::string_view::npos ? std::string_view() : trim(attribute.substr(at + 1));
    if (same_name(key, "max-age")) {
      if (auto seconds = parse_max_age(text)) max_age = seconds;
    } else if (same_name(key, "expires")) {
      if (auto date = parse_cookie_date(text)) expires = date;
    } else if (same_name(key, "domain") && !text.empty()) {
      if (text.front() == '.') text.remove_prefix(1);
      assign_lower(cookie.domain, text);
    } else if (same_name(key, "path")) {
      cookie.path.assign(!text.empty() && text.front() == '/' ? text : default_cookie_path(request_path));
    } else if (same_name(key, "secure")) {
      cookie.secure = true;
    }
  }
  // §5.3 step 3: Max-Age wins over Expires; zero or less means "expire now".
  cookie.expires_s = max_age ? (*max_age <= 0 ? kExpired : now_s + *max_age) : expires ? *expires : kSession;
  cookie.host_only = cookie.domain.empty();
  if (cookie.host_only) {
    cookie.domain.assign(host);
  } else if (!domain_matches(host, cookie.domain)) {
    return;  // §5.3 step 6: a server may not set cookies for another site
  }
  put(cookie, now_s);
}

// Replaces the cookie of the same name, domain and path (keeping its creation order), or inserts a new one
// after the cookies with a path at least as long; an expired one only removes.
void CookieJar::put(const Cookie& parsed, int64_t now_s) {
  bool expired = parsed.expires_s != kSession && parsed.expires_s <= now_s;
  for (size_t i = 0; i < live_; ++i) {
    Cookie& cookie = cookies_[i];
    if (cookie.name != parsed.name || cookie.domain != parsed.domain || cookie.path != parsed.path) continue;
    if (expired) return erase(i);
    cookie.value.assign(parsed.value);
    cookie.expires_s = parsed.expires_s;
    cookie.host_only = parsed.host_only;
    cookie.secure = parsed.secure;
    return;
  }
  if (expired || live_ == kMaxCookies) return;
  if (live_ == cookies_.size()) cookies_.emplace_back();
  Cookie& fresh = cookies_[live_];
  fresh.name.assign(parsed.name);
  fresh.value.assign(parsed.value);
  fresh.domain.assign(parsed.domain);
  fresh.path.assign(parsed.path);
  fresh.expires_s = parsed.expires_s;
  fresh.created = next_created_++;
  fresh.host_only = parsed.host_only;
  fresh.secure = parsed.secure;
  size_t at = 0;
  while (at < live_ && cookies_[at].path.size() >= parsed.path.size()) ++at;
  // Swaps only: the strings trade buffers, nothing is allocated.
  std::rotate(cookies_.begin() + static_cast<std::ptrdiff_t>(at), cookies_.begin() + static_cast<std::ptrdiff_t>(live_),
              cookies_.begin() + static_cast<std::ptrdiff_t>(live_ + 1));
  ++live_;
}

void CookieJar::erase(size_t index) {
  std::rotate(cookies_.begin() + static_cast<std::ptrdiff_t>(index),
              cookies_.begin() + static_cast<std::ptrdiff_t>(index + 1),
              cookies_.begin() + static_cast<std::ptrdiff_t>(live_));
  --live_;
}

bool CookieJar::append_header(std::string_view host, std::string_view path, bool is_https, int64_t now_s,
                              std::string& out) {
  bool any = false;
  for (size_t i = 0; i < live_;) {
    const Cookie& cookie = cookies_[i];
    if (cookie.expires_s != kSession && cookie.expires_s <= now_s) {
      erase(i);
      continue;
    }
    ++i;
    bool host_fits = cookie.host_only ? host == cookie.domain : domain_matches(host, cookie.domain);
    if (!host_fits || !path_matches(path, cookie.path) || (cookie.secure && !is_https)) continue;
    out += any ? "; " : "Cookie: ";
    out += cookie.name;
    out += '=';
    out += cookie.value;
    any = true;
  }
  if (any) out += "\r\n";
  return any;
}

void CookieJar::store_from_head(std::string_view head, std::string_view host, std::string_view request_path,
                                int64_t now_s) {
  constexpr std::string_view kName = "set-cookie:";
  while (!head.empty()) {
    size_t end = head.find("\r\n");
    std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view() : head.substr(end + 2);
    if (line.size() < kName.size()) continue;
    bool is_set_cookie = true;
    for (size_t i = 0; i < kName.size() && is_set_cookie; ++i) {
      is_set_cookie = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    }
    if (is_set_cookie) store(line.substr(kName.size()), host, request_path, now_s);
  }
}

}  // namespace surge::scenario
