// The virtual user's request bytes and its cookie jar: a templated request is rendered into the user's buffer,
// a Cookie header is spliced in before the blank line when the jar has a match, and Set-Cookie fields are read
// from every response head of a scenario with `cookies` (docs/cookies.md). Nothing here allocates once the
// buffers have grown.
#include <algorithm>
#include <cctype>
#include <string_view>

#include "core/clock.h"
#include "scenario/virtual_user.h"

namespace surge::scenario {
namespace {

// Heads longer than this are not read for cookies (the parser's own limit is 64 KiB).
constexpr size_t kMaxKeptHeadBytes = 64 * 1024;

int64_t wall_clock_s() { return core::wall_clock_ns() / core::kNsPerSec; }

// The path of an origin-form request line ("GET /a/b?q HTTP/1.1" gives "/a/b"): what cookie paths match.
std::string_view request_path(std::string_view request) {
  size_t start = request.find(' ');
  if (start == std::string_view::npos) return "/";
  size_t end = request.find_first_of(" ?#", start + 1);
  return request.substr(start + 1, std::min(end, request.size()) - start - 1);
}

// A 1xx head other than 101 is interim: the final head follows it (RFC 9110 §15.2).
bool is_interim_head(std::string_view head) {
  return head.size() > 12 && head[9] == '1' && !(head[10] == '0' && head[11] == '1');
}

bool starts_with_set_cookie(std::string_view line) {
  constexpr std::string_view kName = "set-cookie:";
  if (line.size() < kName.size()) return false;
  for (size_t i = 0; i < kName.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) return false;
  }
  return true;
}

}  // namespace

void VirtualUser::prepare_request() {
  const CompiledHttpStep& http = step_->http;
  sends_buffer_ = http.dynamic != nullptr;
  if (http.dynamic) {
    templating::RenderContext render{id_, iteration_, variables_, &context_.template_rng,
                                     core::wall_clock_ns() / core::kNsPerMs, draw_rpc_ids(http.rpc.calls)};
    http.dynamic->render(render, request_);
  }
  if (scenario_->cookies != plan::CookieMode::kOff) add_cookie_header();
}

void VirtualUser::add_cookie_header() {
  if (!cookies_) cookies_ = std::make_unique<CookieJar>();
  const CompiledHttpStep& http = step_->http;
  std::string& line = context_.cookie_line;
  line.clear();
  std::string_view path = request_path(sends_buffer_ ? request_ : http.request);
  if (!cookies_->append_header(http.host, path, http.is_https, wall_clock_s(), line)) return;
  if (!sends_buffer_) request_.assign(http.request);
  sends_buffer_ = true;
  // Header values cannot hold CRLF CRLF (append_header_line), so the first one ends the head.
  size_t head_end = request_.find("\r\n\r\n");
  if (head_end != std::string::npos) request_.insert(head_end + 2, line);
}

// Keeps response_ to the head being read: bytes up to its blank line, an interim head dropped once complete.
// response_ ending in CRLF CRLF means the final head is in.
void VirtualUser::keep_head(std::string_view data) {
  while (!data.empty() && !response_.ends_with("\r\n\r\n")) {
    size_t before = response_.size();
    if (before >= kMaxKeptHeadBytes) return;
    size_t from = before >= 3 ? before - 3 : 0;
    response_.append(data.data(), std::min(data.size(), kMaxKeptHeadBytes - before));
    size_t end = response_.find("\r\n\r\n", from);
    if (end == std::string::npos) return;
    response_.resize(end + 4);
    data.remove_prefix(end + 4 - before);
    if (!is_interim_head(response_)) return;
    response_.clear();
  }
}

// Every Set-Cookie of the final head in response_ (a kept whole response, or the head keep_head kept).
void VirtualUser::store_cookies() {
  std::string_view kept = response_;
  size_t head_end = kept.find("\r\n\r\n");
  while (head_end != std::string_view::npos && is_interim_head(kept)) {
    kept.remove_prefix(head_end + 4);
    head_end = kept.find("\r\n\r\n");
  }
  if (head_end == std::string_view::npos || !cookies_) return;
  std::string_view head = kept.substr(0, head_end + 2);
  const CompiledHttpStep& http = step_->http;
  std::string_view path = request_path(sends_buffer_ ? request_ : http.request);
  int64_t now_s = wall_clock_s();
  for (size_t at = head.find("\r\n"); at != std::string_view::npos && at + 2 < head.size();) {
    size_t end = head.find("\r\n", at + 2);
    std::string_view line = head.substr(at + 2, end - at - 2);
    at = end;
    if (starts_with_set_cookie(line)) cookies_->store(line.substr(11), http.host, path, now_s);
  }
}

}  // namespace surge::scenario
