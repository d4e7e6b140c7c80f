// Test helpers that drive a ResponseParser the ways a worker can: the whole response in one read, one byte
// per read, and two reads split at every position. Each read comes from a scratch buffer that is wiped
// after feed() returns, so a parser that kept pointers into its input would be caught.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "proto/http/response_parser.h"

namespace surge::proto::http {

struct Outcome {
  ResponseParser::Status status = ResponseParser::Status::kNeedMore;
  ParseError error = ParseError::kNone;
  int status_code = 0;
  bool keep_alive = false;
  uint64_t body_bytes = 0;
  uint64_t wire_bytes = 0;
  size_t consumed = 0;  // bytes of the input that belonged to this response

  bool operator==(const Outcome&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  static constexpr const char* kStatus[] = {"need-more", "complete", "error"};
  return os << "{" << kStatus[static_cast<int>(o.status)] << ", error=" << to_string(o.error)
            << ", code=" << o.status_code << ", keep_alive=" << o.keep_alive << ", body=" << o.body_bytes
            << ", wire=" << o.wire_bytes << ", consumed=" << o.consumed << "}";
}

struct FeedOptions {
  bool is_head = false;
  bool eof_at_end = false;  // call finish_on_eof() after the last byte, as when the peer closes
};

// Feeds `wire` in reads of the given sizes (the last read takes the rest) until the parser stops asking.
inline Outcome parse_in_reads(std::string_view wire, std::initializer_list<size_t> read_sizes,
                              FeedOptions options = {}, size_t max_read = SIZE_MAX) {
  ResponseParser parser;
  parser.start(options.is_head);
  std::string scratch;
  size_t pos = 0;
  auto size_it = read_sizes.begin();
  while (pos < wire.size() && parser.status() == ResponseParser::Status::kNeedMore) {
    size_t n = wire.size() - pos;
    if (size_it != read_sizes.end()) n = std::min(n, *size_it++);
    n = std::min(n, max_read);
    scratch.assign(wire.substr(pos, n));
    size_t used = parser.feed(scratch.data(), scratch.size());
    EXPECT_LE(used, n);
    scratch.assign(scratch.size(), '\x7f');
    pos += used;
    if (used < n) break;
  }
  if (options.eof_at_end && pos == wire.size()) parser.finish_on_eof();
  return {parser.status(),
          parser.error(),
          parser.status_code(),
          parser.keep_alive(),
          parser.body_bytes(),
          parser.wire_bytes(),
          pos};
}

inline Outcome parse_whole(std::string_view wire, FeedOptions options = {}) {
  return parse_in_reads(wire, {}, options);
}

inline Outcome parse_bytewise(std::string_view wire, FeedOptions options = {}) {
  return parse_in_reads(wire, {}, options, 1);
}

// Asserts the same outcome for the whole input, one byte per read, and every two-read split.
inline void expect_every_split(std::string_view wire, const Outcome& expected, FeedOptions options = {}) {
  EXPECT_EQ(parse_whole(wire, options), expected) << "fed whole";
  EXPECT_EQ(parse_bytewise(wire, options), expected) << "fed one byte at a time";
  for (size_t at = 1; at < wire.size(); ++at) {
    Outcome split = parse_in_reads(wire, {at}, options);
    EXPECT_EQ(split, expected) << "split at " << at;
    if (split != expected) return;  // one report is enough
  }
}

inline Outcome complete(int code, bool keep_alive, uint64_t body, uint64_t wire, size_t consumed) {
  return {ResponseParser::Status::kComplete, ParseError::kNone, code, keep_alive, body, wire, consumed};
}

}  // namespace surge::proto::http

namespace surge::proto::http {

// Asserts that every way of feeding `wire` fails with `error`, at the same byte and with the same counts.
inline void expect_error_every_split(std::string_view wire, ParseError error, FeedOptions options = {}) {
  Outcome whole = parse_whole(wire, options);
  EXPECT_EQ(whole.status, ResponseParser::Status::kError);
  EXPECT_EQ(to_string(whole.error), to_string(error));
  expect_every_split(wire, whole, options);
}

}  // namespace surge::proto::http
