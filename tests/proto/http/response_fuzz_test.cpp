// Deterministic mutation fuzzing of ResponseParser inside the normal test run: 20,000 mutations of valid
// responses (fixed seed, so a failure reproduces). The oracle: the parser always ends in a verdict after
// EOF, its counts stay consistent, and the verdict does not depend on how the bytes were split into reads.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "feed_helpers.h"
#include "proto/http/response_parser.h"

namespace surge::proto::http {
namespace {

const std::vector<std::string> kSeeds = {
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: x\r\n\r\n",
    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
    "HTTP/1.1 200 OK\nServer: s\n\nclose-delimited body",
    "HTTP/1.1 304 Not Modified\r\nContent-Length: 7, 7\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
};

// Bytes that steer the state machine: line ends, separators, digits, hex, and a NUL.
using namespace std::string_view_literals;
constexpr std::string_view kInteresting = "\r\n:; ,0123456789abcdefABCDEF-\t\0HTTP/1."sv;

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  size_t below(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  char random_byte() {
    if (below(2) == 0) return kInteresting[below(kInteresting.size())];
    return static_cast<char>(below(256));
  }

  void mutate(std::string& s) {
    switch (below(5)) {
      case 0:
        if (!s.empty()) s[below(s.size())] = random_byte();
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(below(s.size() + 1)), random_byte());
        break;
      case 2:
        if (!s.empty()) s.erase(below(s.size()), 1 + below(4));
        break;
      case 3: {
        size_t from = below(s.size() + 1);
        std::string slice = s.substr(from, 1 + below(16));
        s.insert(below(s.size() + 1), slice);
        break;
      }
      default:
        s.resize(below(s.size() + 1));
        break;
    }
  }

 private:
  std::mt19937_64 rng_;
};

TEST(ResponseParserFuzz, AlwaysReachesAVerdictWhateverTheSplit) {
  constexpr int kIterations = 20000;
  Mutator mutator(20240601);
  int completed = 0;
  int failed = 0;
  for (int i = 0; i < kIterations; ++i) {
    std::string wire = kSeeds[mutator.below(kSeeds.size())];
    size_t mutations = 1 + mutator.below(4);
    for (size_t m = 0; m < mutations; ++m) mutator.mutate(wire);
    FeedOptions options{.is_head = mutator.below(4) == 0, .eof_at_end = true};

    Outcome whole = parse_whole(wire, options);
    ASSERT_NE(whole.status, ResponseParser::Status::kNeedMore) << "iteration " << i;
    ASSERT_LE(whole.consumed, wire.size()) << "iteration " << i;
    ASSERT_EQ(whole.wire_bytes, whole.consumed) << "iteration " << i;
    ASSERT_LE(whole.body_bytes, whole.wire_bytes) << "iteration " << i;
    ASSERT_EQ(whole.status == ResponseParser::Status::kError, whole.error != ParseError::kNone);
    size_t at = 1 + mutator.below(wire.size() + 1);
    ASSERT_EQ(parse_in_reads(wire, {at}, options), whole) << "iteration " << i << " split at " << at;
    ASSERT_EQ(parse_bytewise(wire, options), whole) << "iteration " << i;
    (whole.status == ResponseParser::Status::kComplete ? completed : failed)++;
  }
  // Both verdicts must be well exercised, or the mutations are too mild or too wild to mean anything.
  EXPECT_GT(completed, kIterations / 10);
  EXPECT_GT(failed, kIterations / 10);
}

}  // namespace
}  // namespace surge::proto::http
