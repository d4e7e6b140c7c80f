// libFuzzer target for ResponseParser (and split_response, which re-reads a kept response). The first two
// bytes pick HEAD or not, EOF at the end or not, and where the rest is split into two reads; the rest is a
// stream of pipelined responses. Oracle: the sanitizers, the parser's promises (it never keeps pointers into
// a read, consumes at most what it was given and always progresses), and the same verdicts for any split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/http/response_parser.h"
#include "proto/http/response_split.h"

namespace {

using surge::proto::http::ParseError;
using surge::proto::http::ResponseParser;

struct Verdict {
  ResponseParser::Status status;
  ParseError error;
  int status_code;
  bool keep_alive;
  uint64_t body_bytes;
  uint64_t wire_bytes;
  bool operator==(const Verdict&) const = default;
};

constexpr size_t kMaxResponses = 16;

bool has_bare_lf(std::string_view raw) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) return true;
  }
  return false;
}

// split_response re-reads a response the parser completed; with CRLF line ends (all it supports) it must
// find the same final status and, without HEAD, the same body length.
void check_split(std::string_view raw, const ResponseParser& parser, bool is_head) {
  static std::string scratch;
  const auto parts = surge::proto::http::split_response(raw, scratch);
  const auto inside = [&](std::string_view part) {
    return part.empty() || (part.data() >= raw.data() && part.data() + part.size() <= raw.data() + raw.size());
  };
  if (!inside(parts.head)) std::abort();
  if (!inside(parts.body) && parts.body.data() != scratch.data()) std::abort();
  if (has_bare_lf(raw)) return;
  if (parts.status != parser.status_code()) std::abort();
  if (!is_head && parts.body.size() != parser.body_bytes()) std::abort();
}

// Feeds `stream` as reads [0, split) and [split, end), starting a new response after each complete one.
std::vector<Verdict> parse(std::string_view stream, size_t split, bool is_head, bool eof_at_end) {
  std::vector<Verdict> verdicts;
  ResponseParser parser;
  parser.start(is_head);
  std::string read;  // a copy wiped after each feed, so a parser keeping pointers into it reads garbage
  size_t response_start = 0;
  const auto record = [&] {
    verdicts.push_back({parser.status(), parser.error(), parser.status_code(), parser.keep_alive(),
                        parser.body_bytes(), parser.wire_bytes()});
  };
  const size_t reads[][2] = {{0, split}, {split, stream.size()}};
  for (const auto& [begin, end] : reads) {
    size_t at = begin;
    while (at < end && verdicts.size() < kMaxResponses) {
      read.assign(stream.substr(at, end - at));
      const size_t used = parser.feed(read.data(), read.size());
      read.assign(read.size(), '\x7f');
      if (used > end - at) std::abort();
      at += used;
      if (parser.status() == ResponseParser::Status::kNeedMore) {
        if (at != end) std::abort();  // wanted more bytes but left some unread
        continue;
      }
      record();
      if (parser.status() == ResponseParser::Status::kError) return verdicts;
      if (parser.body_bytes() > parser.wire_bytes()) std::abort();
      if (parser.wire_bytes() != at - response_start) std::abort();
      check_split(stream.substr(response_start, at - response_start), parser, is_head);
      response_start = at;
      parser.start(is_head);
    }
  }
  if (eof_at_end && verdicts.size() < kMaxResponses) {
    parser.finish_on_eof();
    if (parser.status() == ResponseParser::Status::kNeedMore) std::abort();  // EOF always gives a verdict
    record();
  }
  return verdicts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool is_head = (data[0] & 1) != 0;
  const bool eof_at_end = (data[0] & 2) != 0;
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);
  const size_t split = ((size_t{data[0]} >> 2) << 8 | data[1]) % (stream.size() + 1);
  if (parse(stream, split, is_head, eof_at_end) != parse(stream, stream.size(), is_head, eof_at_end)) {
    std::abort();
  }
  return 0;
}
