// ChunkedDecoder as the server uses it for request bodies: decoded spans, the end of the trailer section,
// and bytes after it left alone.
#include "proto/http/chunked_decoder.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::proto::http {
namespace {

struct Decoded {
  std::string body;
  size_t consumed = 0;
  bool done = false;
  ParseError error = ParseError::kNone;
};

// Decodes `wire` in reads of at most `read_size` bytes, each from a scratch copy wiped afterwards.
Decoded decode(std::string_view wire, size_t read_size) {
  ChunkedDecoder decoder;
  Decoded out;
  std::string scratch;
  while (out.consumed < wire.size() && !decoder.is_done() && decoder.error() == ParseError::kNone) {
    scratch.assign(wire.substr(out.consumed, read_size));
    size_t used = 0;
    while (used < scratch.size() && !decoder.is_done() && decoder.error() == ParseError::kNone) {
      std::string_view chunk;
      used += decoder.decode(scratch.data() + used, scratch.size() - used, &chunk);
      out.body.append(chunk);
    }
    out.consumed += used;
    scratch.assign(scratch.size(), '#');
  }
  out.done = decoder.is_done();
  out.error = decoder.error();
  return out;
}

TEST(ChunkedDecoder, YieldsTheDecodedBodyWhateverTheReadSize) {
  std::string wire = "4\r\nWiki\r\n6;x=y\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n";
  for (size_t read_size : {size_t{1}, size_t{2}, size_t{5}, size_t{7}, wire.size()}) {
    Decoded decoded = decode(wire, read_size);
    EXPECT_EQ(decoded.body, "Wikipedia in \r\n\r\nchunks.") << "read size " << read_size;
    EXPECT_TRUE(decoded.done);
    EXPECT_EQ(decoded.consumed, wire.size());
  }
}

TEST(ChunkedDecoder, StopsAfterTheTrailerSectionLeavingTheNextRequest) {
  std::string body = "3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n";
  Decoded decoded = decode(body + "GET / HTTP/1.1\r\n", 4096);
  EXPECT_EQ(decoded.body, "abc");
  EXPECT_TRUE(decoded.done);
  EXPECT_EQ(decoded.consumed, body.size());
}

TEST(ChunkedDecoder, ReportsEachDataRunSeparately) {
  ChunkedDecoder decoder;
  std::string wire = "2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n";
  std::string_view chunk;
  size_t used = decoder.decode(wire.data(), wire.size(), &chunk);
  EXPECT_EQ(used, 5u);
  EXPECT_EQ(chunk, "ab");
  used += decoder.decode(wire.data() + used, wire.size() - used, &chunk);
  EXPECT_EQ(used, 13u);
  EXPECT_EQ(chunk, "cde");
  used += decoder.decode(wire.data() + used, wire.size() - used, &chunk);
  EXPECT_EQ(used, wire.size());
  EXPECT_EQ(chunk, "");
  EXPECT_TRUE(decoder.is_done());
}

TEST(ChunkedDecoder, RejectsAnOverlongChunkSizeLine) {
  std::string wire = "5;" + std::string(ChunkedDecoder::kMaxFramingBytes, 'x') + "\r\nhello\r\n0\r\n\r\n";
  Decoded decoded = decode(wire, 4096);
  EXPECT_EQ(to_string(decoded.error), "bad chunk");
  EXPECT_EQ(decoded.consumed, ChunkedDecoder::kMaxFramingBytes + 1);
}

TEST(ChunkedDecoder, RejectsAnOverlongTrailerSection) {
  std::string wire = "0\r\n";
  for (int i = 0; i < 1000; ++i) wire += "X-Trailer: " + std::string(64, 'v') + "\r\n";
  Decoded decoded = decode(wire + "\r\n", 4096);
  EXPECT_EQ(to_string(decoded.error), "header too large");
}

TEST(ChunkedDecoder, ResetStartsANewBody) {
  ChunkedDecoder decoder;
  std::string_view chunk;
  std::string first = "0\r\n\r\n";
  EXPECT_EQ(decoder.decode(first.data(), first.size(), &chunk), first.size());
  EXPECT_TRUE(decoder.is_done());
  decoder.reset();
  EXPECT_FALSE(decoder.is_done());
  std::string second = "1\r\nz\r\n";
  EXPECT_EQ(decoder.decode(second.data(), second.size(), &chunk), 4u);
  EXPECT_EQ(chunk, "z");
}

}  // namespace
}  // namespace surge::proto::http
