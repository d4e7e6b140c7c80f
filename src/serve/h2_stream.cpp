// The response of one HTTP/2 stream: its header fields from the ResponsePlan (the fields an HTTP/1.1 head
// carries, less the connection-specific ones), and its body, addressable from any offset like WriteBatch's.
#include "serve/h2_stream.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "serve/response_writer.h"

namespace surge::serve {
namespace {

// Numbers and lower-cased /mcp header names; the largest answer's extra lines stay far below this.
constexpr size_t kScratchBytes = 1024;

nghttp2_nv field(std::string_view name, std::string_view value) {
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NONE};
}

// "delayed {ms}ms\n" into out (>= 24 bytes); returns its size.
size_t render_delayed(uint32_t ms, char* out) {
  char* end = std::to_chars(out, out + 10, ms).ptr;
  std::memcpy(end, "ms\n", 3);
  size_t digits = static_cast<size_t>(end - out);
  std::memmove(out + 8, out, digits + 3);
  std::memcpy(out, "delayed ", 8);
  return digits + 11;
}

}  // namespace

uint64_t h2_body_bytes(const ResponsePlan& plan) {
  return plan.head_only || plan.framing == Framing::kNone ? 0 : plan.body_bytes;
}

void H2HeaderBlock::add(std::string_view name, std::string_view value) {
  if (count_ < kMaxFields) fields_[count_++] = field(name, value);
}

void H2HeaderBlock::render(const H2Stream& stream, std::string_view date) {
  const ResponsePlan& plan = stream.plan;
  count_ = 0;
  scratch_.clear();
  scratch_.reserve(kScratchBytes);
  // Each number is appended to scratch_ and viewed there; reserve() above keeps the views valid.
  auto number = [this](uint64_t value) {
    char digits[20];
    char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    size_t at = scratch_.size();
    scratch_.append(digits, static_cast<size_t>(end - digits));
    return std::string_view(scratch_.data() + at, static_cast<size_t>(end - digits));
  };
  add(":status", number(plan.status));
  add("date", date);
  const bool echo_type = plan.action == Action::kEcho && stream.prefix_bytes > 0;
  std::string_view type =
      echo_type ? std::string_view(stream.owned.data(), stream.prefix_bytes) : plan.content_type;
  if (plan.framing != Framing::kNone && !type.empty()) add("content-type", type);
  if (plan.framing == Framing::kLength) add("content-length", number(plan.body_bytes));
  if (plan.action == Action::kEcho) add("x-request-bytes", number(stream.request_bytes));
  if (plan.cache != CacheOutcome::kNone) add("x-cache", plan.cache == CacheOutcome::kHit ? "HIT" : "MISS");
  if (plan.action != Action::kMcp) return;
  std::string_view lines(stream.owned.data(), stream.prefix_bytes);
  while (!lines.empty()) {
    size_t end = lines.find("\r\n");
    std::string_view line = lines.substr(0, end);
    lines.remove_prefix(end == std::string_view::npos ? lines.size() : end + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || scratch_.size() + colon > kScratchBytes) continue;
    size_t at = scratch_.size();
    for (char c : line.substr(0, colon)) scratch_ += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    add(std::string_view(scratch_.data() + at, colon), value);
  }
}

size_t read_h2_body(const H2Stream& stream, uint8_t* out, size_t capacity) {
  const ResponsePlan& plan = stream.plan;
  uint64_t total = h2_body_bytes(plan);
  if (stream.body_sent >= total) return 0;
  uint64_t from = stream.body_sent;
  size_t size = static_cast<size_t>(std::min<uint64_t>(capacity, total - from));
  switch (plan.source) {
    case BodySource::kText:
      std::memcpy(out, plan.text.data() + from, size);
      return size;
    case BodySource::kOwned: {
      std::string_view body(stream.owned.data() + stream.prefix_bytes, plan.body_bytes);
      if (plan.content_type == "text/event-stream") {
        size_t event_end = body.find("\n\n", from);
        if (event_end != std::string_view::npos) size = std::min<size_t>(size, event_end + 2 - from);
      }
      std::memcpy(out, body.data() + from, size);
      return size;
    }
    case BodySource::kDelayed: {
      char text[32];
      size_t length = render_delayed(plan.delay_ms, text);
      size = std::min<size_t>(size, length - from);
      std::memcpy(out, text + from, size);
      return size;
    }
    case BodySource::kPattern:
      break;
  }
  for (size_t i = 0; i < size;) {  // whole runs of the 64-byte alphabet
    size_t start = (from + i) % kPatternAlphabet.size();
    size_t run = std::min(size - i, kPatternAlphabet.size() - start);
    std::memcpy(out + i, kPatternAlphabet.data() + start, run);
    i += run;
  }
  return size;
}

}  // namespace surge::serve
