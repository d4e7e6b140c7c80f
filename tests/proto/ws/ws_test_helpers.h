// Test helpers for the WebSocket codec: a handler that records every event as one line of text, and feeding
// a decoder the ways a worker can (whole, one byte per read, split at every position). Each read comes
// from a scratch buffer wiped after feed() returns, so a decoder that kept pointers into its input fails.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/ws/frame_decoder.h"

namespace surge::proto::ws {

class RecordingHandler final : public FrameHandler {
 public:
  void on_message(Opcode opcode, std::string_view payload) override {
    events.push_back(std::string(to_string(opcode)) + ":" + std::string(payload));
  }
  void on_ping(std::string_view payload) override { events.push_back("ping:" + std::string(payload)); }
  void on_pong(std::string_view payload) override { events.push_back("pong:" + std::string(payload)); }
  void on_close(uint16_t code, std::string_view reason) override {
    events.push_back("close:" + std::to_string(code) + ":" + std::string(reason));
  }
  std::vector<std::string> events;
};

struct Decoded {
  std::vector<std::string> events;
  FrameError error = FrameError::kNone;
  std::string detail;
  bool operator==(const Decoded&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Decoded& d) {
  os << "{error=" << to_string(d.error) << " '" << d.detail << "', events=[";
  for (const std::string& e : d.events) {
    os << "'" << e.substr(0, 60) << (e.size() > 60 ? "...(" + std::to_string(e.size()) + " bytes)" : "")
       << "' ";
  }
  return os << "]}";
}

struct DecodeOptions {
  Role role = Role::kClient;
  size_t max_message_bytes = FrameDecoder::kDefaultMaxMessageBytes;
};

// Feeds `wire` in reads of at most read_size bytes, the first one first_read bytes when given.
inline Decoded decode_in_reads(std::string_view wire, size_t read_size, size_t first_read = 0,
                               DecodeOptions options = {}) {
  FrameDecoder decoder(options.role, options.max_message_bytes);
  RecordingHandler handler;
  std::string scratch;
  size_t pos = 0;
  while (pos < wire.size()) {
    size_t n = std::min(wire.size() - pos, pos == 0 && first_read > 0 ? first_read : read_size);
    scratch.assign(wire.substr(pos, n));
    decoder.feed(scratch, handler);
    scratch.assign(scratch.size(), '\x7f');
    pos += n;
  }
  return {handler.events, decoder.error(), std::string(decoder.error_detail())};
}

inline Decoded decode_whole(std::string_view wire, DecodeOptions options = {}) {
  return decode_in_reads(wire, SIZE_MAX, 0, options);
}

// Asserts one outcome whether `wire` comes whole, one byte per read, or in two reads split anywhere.
inline void expect_every_split(std::string_view wire, const Decoded& expected, DecodeOptions options = {}) {
  EXPECT_EQ(decode_whole(wire, options), expected) << "fed whole";
  EXPECT_EQ(decode_in_reads(wire, 1, 0, options), expected) << "fed one byte at a time";
  for (size_t at = 1; at < wire.size(); ++at) {
    Decoded split = decode_in_reads(wire, SIZE_MAX, at, options);
    EXPECT_EQ(split, expected) << "split at " << at;
    if (split != expected) return;
  }
}

// Byte-for-byte equality that reports the first difference instead of printing megabytes.
inline testing::AssertionResult same_bytes(std::string_view actual, std::string_view expected) {
  const size_t common = std::min(actual.size(), expected.size());
  for (size_t i = 0; i < common; ++i) {
    if (actual[i] != expected[i]) {
      return testing::AssertionFailure() << "byte " << i << " is " << int(uint8_t(actual[i])) << ", expected "
                                         << int(uint8_t(expected[i]));
    }
  }
  if (actual.size() != expected.size()) {
    return testing::AssertionFailure() << actual.size() << " bytes, expected " << expected.size();
  }
  return testing::AssertionSuccess();
}

// Bytes written as hex pairs ("81 05 48"), for exact wire images.
inline std::string bytes(std::string_view hex) {
  std::string out;
  int digits = 0, value = 0;
  for (char c : hex) {
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (v < 0) continue;
    value = value * 16 + v;
    if (++digits == 2) {
      out.push_back(static_cast<char>(value));
      digits = value = 0;
    }
  }
  return out;
}

}  // namespace surge::proto::ws
