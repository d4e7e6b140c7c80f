// libFuzzer target for ChunkedDecoder. The first byte picks where the rest is split into two reads. Oracle:
// the sanitizers, the decoder's promises (data runs lie inside the read, it consumes at most what it was
// given, a failed decoder has an error) and the same body and verdict for any split (chunked_decoder.h).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/http/chunked_decoder.h"

namespace {

using surge::proto::http::ChunkedDecoder;
using surge::proto::http::ParseError;

struct Decoded {
  std::string body;
  ParseError error = ParseError::kNone;
  bool done = false;
  size_t consumed = 0;
  bool operator==(const Decoded&) const = default;
};

Decoded decode(std::string_view stream, size_t split) {
  Decoded out;
  ChunkedDecoder decoder;
  std::string read;
  const size_t reads[][2] = {{0, split}, {split, stream.size()}};
  for (const auto& [begin, end] : reads) {
    size_t at = begin;
    while (at < end && !decoder.is_done() && decoder.error() == ParseError::kNone) {
      read.assign(stream.substr(at, end - at));
      std::string_view chunk;
      const size_t used = decoder.decode(read.data(), read.size(), &chunk);
      if (used > read.size() || used == 0) std::abort();
      if (!chunk.empty() && (chunk.data() < read.data() || chunk.data() + chunk.size() > read.data() + used)) {
        std::abort();
      }
      out.body.append(chunk);
      read.assign(read.size(), '\x7f');
      at += used;
    }
    out.consumed = at;
    if (decoder.is_done() || decoder.error() != ParseError::kNone) break;
  }
  out.error = decoder.error();
  out.done = decoder.is_done();
  if (out.done && out.error != ParseError::kNone) std::abort();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t split = data[0] % (stream.size() + 1);
  if (decode(stream, split) != decode(stream, stream.size())) std::abort();
  return 0;
}
