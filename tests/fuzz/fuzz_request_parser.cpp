// libFuzzer target for parse_request_head, the request parser of `surge serve`. Oracle: the sanitizers,
// views that point into the buffer, an error always with a reason, and the server's way of calling it: it
// re-parses a growing buffer, so every prefix must say "need more" or give the whole buffer's verdict.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/http/request_parser.h"

namespace {

using surge::proto::http::parse_request_head;
using surge::proto::http::Request;
using surge::proto::http::RequestParseResult;

bool inside(std::string_view part, std::string_view buffer) {
  return part.empty() || (part.data() >= buffer.data() && part.data() + part.size() <= buffer.data() + buffer.size());
}

bool same(const Request& a, const Request& b) {
  return a.method == b.method && a.target == b.target && a.minor_version == b.minor_version &&
         a.keep_alive == b.keep_alive && a.chunked == b.chunked && a.content_length == b.content_length &&
         a.head_bytes == b.head_bytes && a.expect_continue == b.expect_continue;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view buffer(reinterpret_cast<const char*>(data + 1), size - 1);
  Request whole;
  std::string reason;
  const RequestParseResult verdict = parse_request_head(buffer, whole, &reason);
  if (verdict == RequestParseResult::kError && reason.empty()) std::abort();
  if (verdict == RequestParseResult::kComplete) {
    if (whole.head_bytes == 0 || whole.head_bytes > buffer.size()) std::abort();
    if (!inside(whole.method, buffer) || !inside(whole.target, buffer)) std::abort();
    if (whole.chunked && whole.content_length != 0) std::abort();
  }

  const size_t cut = data[0] * buffer.size() / 255;  // a prefix, as the server sees the head arriving
  Request part;
  const RequestParseResult prefix = parse_request_head(buffer.substr(0, cut), part, nullptr);
  if (prefix == RequestParseResult::kNeedMore) return 0;
  if (prefix != verdict) std::abort();
  if (verdict == RequestParseResult::kComplete && !same(part, whole)) std::abort();
  return 0;
}
