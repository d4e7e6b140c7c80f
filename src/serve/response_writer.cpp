// Response bytes for WriteBatch: head, body and chunked framing, all addressable from any byte offset so a
// response interrupted by a short write resumes without keeping a copy of its unsent bytes.
#include "serve/response_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <ctime>

namespace surge::serve {
namespace {

constexpr size_t kPatternBytes = 64 * 1024;  // a multiple of kChunkBytes: a chunk's data is one iovec
static_assert(kPatternBytes % kChunkBytes == 0 && kPatternBytes % 64 == 0);

constexpr std::array<char, kPatternBytes> make_pattern() {
  std::array<char, kPatternBytes> pattern{};
  for (size_t i = 0; i < kPatternBytes; ++i) pattern[i] = kPatternAlphabet[i % kPatternAlphabet.size()];
  return pattern;
}
constexpr std::array<char, kPatternBytes> kPattern = make_pattern();

constexpr std::string_view kFirstFullChunkLine = "4000;ext=1\r\n";  // 0x4000 == kChunkBytes
constexpr std::string_view kFullChunkLine = "4000\r\n";
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\nX-Trailer: done\r\n\r\n";
// Chunks 1 .. full-1 all have this framed size, which lets an offset skip them by division.
constexpr uint64_t kFullChunkFramed = kFullChunkLine.size() + kChunkBytes + kCrlf.size();
// Everything in a head except the content type fits in this.
constexpr size_t kMaxFixedHeadBytes = 320;

// Appends text to a char buffer the caller has sized.
class Appender {
 public:
  explicit Appender(char* out) : start_(out), out_(out) {}
  Appender& operator<<(std::string_view text) {
    // An empty view may hold a null data(): memcpy's arguments must not be null even for 0 bytes (UBSan).
    if (!text.empty()) std::memcpy(out_, text.data(), text.size());
    out_ += text.size();
    return *this;
  }
  Appender& operator<<(uint64_t value) {
    out_ = std::to_chars(out_, out_ + 20, value).ptr;
    return *this;
  }
  Appender& hex(uint64_t value) {
    out_ = std::to_chars(out_, out_ + 16, value, 16).ptr;
    return *this;
  }
  std::string_view text() const { return {start_, static_cast<size_t>(out_ - start_)}; }

 private:
  char* start_;
  char* out_;
};

}  // namespace

std::string_view DateCache::format(int64_t unix_second) {
  if (unix_second != second_) {
    time_t seconds = static_cast<time_t>(unix_second);
    tm parts{};
    gmtime_r(&seconds, &parts);
    size_ = strftime(text_, sizeof text_, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    second_ = unix_second;
  }
  return {text_, size_};
}

bool WriteBatch::append(const ResponseView& response, uint64_t offset) {
  const ResponsePlan& plan = *response.plan;
  size_t mark = scratch_used_;
  std::string_view head = render_head(response);
  if (head.data() == nullptr) return false;
  uint64_t skip = offset;
  if (skip >= head.size()) scratch_used_ = mark;  // already sent: the rendering is not needed
  if (!add(head.data(), head.size(), skip)) return false;
  if (plan.head_only || plan.framing == Framing::kNone) return true;
  if (plan.framing == Framing::kChunked) return add_chunked(response, skip);
  return add_body(response, 0, plan.body_bytes, skip);
}

// Adds data[skip, size) (all of it, or as much as the budget takes) and consumes skip.
bool WriteBatch::add(const char* data, size_t size, uint64_t& skip) {
  if (skip >= size) {
    skip -= size;
    return true;
  }
  data += skip;
  size -= skip;
  skip = 0;
  if (count_ == kMaxIov || bytes_ == kMaxBytes) return false;
  size_t take = std::min(size, kMaxBytes - bytes_);
  iov_[count_++] = iovec{const_cast<char*>(data), take};
  bytes_ += take;
  return take == size;
}

// Body bytes [from, to) of the response, unframed.
bool WriteBatch::add_body(const ResponseView& response, uint64_t from, uint64_t to, uint64_t& skip) {
  const ResponsePlan& plan = *response.plan;
  switch (plan.source) {
    case BodySource::kText:
      return add(plan.text.data() + from, to - from, skip);
    case BodySource::kOwned:
      return add(response.owned_body.data() + from, to - from, skip);
    case BodySource::kDelayed: {
      std::string_view body = render_delayed_body(plan.delay_ms);
      return body.data() != nullptr && add(body.data() + from, to - from, skip);
    }
    case BodySource::kPattern:
      break;
  }
  if (skip >= to - from) {
    skip -= to - from;
    return true;
  }
  from += skip;
  skip = 0;
  uint64_t none = 0;
  while (from < to) {
    size_t start = from % kPatternBytes;
    size_t size = std::min<uint64_t>(to - from, kPatternBytes - start);
    if (!add(kPattern.data() + start, size, none)) return false;
    from += size;
  }
  return true;
}

// RFC 9112 §7.1: size line (the first with an extension), data, CRLF; then a last chunk with a trailer.
bool WriteBatch::add_chunked(const ResponseView& response, uint64_t& skip) {
  uint64_t n = response.plan->body_bytes;
  uint64_t full = n / kChunkBytes;
  uint64_t chunks = (n + kChunkBytes - 1) / kChunkBytes;
  uint64_t j = 0;
  if (full >= 2) {
    uint64_t first = kFirstFullChunkLine.size() + kChunkBytes + kCrlf.size();
    if (skip >= first) {
      skip -= first;
      uint64_t uniform = std::min(skip / kFullChunkFramed, full - 1);
      skip -= uniform * kFullChunkFramed;
      j = 1 + uniform;
    }
  }
  for (; j < chunks; ++j) {
    uint64_t from = j * kChunkBytes;
    uint64_t size = std::min(kChunkBytes, n - from);
    std::string_view line = render_chunk_line(size, j == 0);
    if (line.data() == nullptr || !add(line.data(), line.size(), skip)) return false;
    if (!add_body(response, from, from + size, skip) || !add(kCrlf.data(), kCrlf.size(), skip)) return false;
  }
  return add(kLastChunk.data(), kLastChunk.size(), skip);
}

std::string_view WriteBatch::render_chunk_line(uint64_t size, bool first) {
  if (size == kChunkBytes) return first ? kFirstFullChunkLine : kFullChunkLine;
  if (kScratchBytes - scratch_used_ < 32) return {};
  Appender out(scratch_ + scratch_used_);
  out.hex(size) << (first ? ";ext=1\r\n" : "\r\n");
  scratch_used_ += out.text().size();
  return out.text();
}

std::string_view WriteBatch::render_delayed_body(uint32_t ms) {
  if (kScratchBytes - scratch_used_ < 32) return {};
  Appender out(scratch_ + scratch_used_);
  out << "delayed " << uint64_t{ms} << "ms\n";
  scratch_used_ += out.text().size();
  return out.text();
}

std::string_view WriteBatch::render_head(const ResponseView& response) {
  const ResponsePlan& plan = *response.plan;
  std::string_view type = response.content_type.empty() ? plan.content_type : response.content_type;
  if (kScratchBytes - scratch_used_ < kMaxFixedHeadBytes + type.size() + response.extra_headers.size())
    return {};
  Appender out(scratch_ + scratch_used_);
  out << "HTTP/1.1 " << uint64_t{plan.status} << " " << reason_phrase(plan.status) << kCrlf;
  if (plan.status >= 200) {
    out << "Date: " << response.date << kCrlf;
    if (plan.framing != Framing::kNone && !type.empty()) out << "Content-Type: " << type << kCrlf;
    if (plan.framing == Framing::kLength) out << "Content-Length: " << plan.body_bytes << kCrlf;
    if (plan.framing == Framing::kChunked) out << "Transfer-Encoding: chunked\r\n";
    if (plan.action == Action::kEcho) out << "X-Request-Bytes: " << response.request_bytes << kCrlf;
    // The 426 of a WebSocket endpoint names the protocol to switch to (RFC 9110 §15.5.22, §7.8).
    if (plan.action == Action::kWebSocket) out << "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    if (plan.cache != CacheOutcome::kNone)
      out << (plan.cache == CacheOutcome::kHit ? "X-Cache: HIT\r\n" : "X-Cache: MISS\r\n");
    if (plan.close_after) out << "Connection: close\r\n";
    if (plan.keep_alive_10) out << "Connection: keep-alive\r\n";
    out << response.extra_headers;
  }
  out << kCrlf;
  scratch_used_ += out.text().size();
  return out.text();
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 429:
      return "Too Many Requests";
    case 426:
      return "Upgrade Required";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

}  // namespace surge::serve
