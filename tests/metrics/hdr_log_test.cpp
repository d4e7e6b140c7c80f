// HdrHistogram V2 encoding: byte-for-byte against hdr-histogram-js (the reference vector below), exact round
// trips, the 9-byte LEB128 word, base64 (RFC 4648 vectors), and every malformed input named by its error.
#include "metrics/hdr_log.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <tuple>
#include <vector>

namespace surge::metrics {
namespace {

using Buckets = std::vector<std::tuple<int64_t, int64_t, uint64_t>>;

// Made once with hdr-histogram-js 3.0.1 (tests/node): build({lowestDiscernibleValue: 1000,
// highestTrackableValue: 3600000000000, numberOfSignificantValueDigits: 3}) holding 1000 ns ×3, 250 µs,
// 1 ms ×10, 12.345678 ms and 3 s ×2, then encodeIntoCompressedBase64(). kJsV2 is that string inflated.
constexpr const char* kJsBase64 =
    "HISTFAAAADZ4nJNpmSzMwMDAx8DAwMjAwMDMAAbMLxgYmN0MdixggAJGBrbT7EzvxUQaLZke17EAAKwICCo=";
constexpr const char* kJsV2Hex =
    "1c8493130000000e000000010000000300000000000003e80000034630b8a00000000000000000010006cb0702ef1614813902e3"
    "7e04";

Histogram reference_histogram() {
  Histogram h;
  h.record_n(1'000, 3);
  h.record(250'000);
  h.record_n(1'000'000, 10);
  h.record(12'345'678);
  h.record_n(3'000'000'000, 2);
  return h;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

Buckets buckets_of(const Histogram& h) {
  Buckets out;
  h.for_each_bucket(
      [&](int64_t lowest, int64_t highest, uint64_t count) { out.emplace_back(lowest, highest, count); });
  return out;
}

// Wraps an uncompressed encoding the way encode_hdr_compressed does, so tests can corrupt the inner layer.
std::string compressed(const std::string& v2) {
  uLongf length = compressBound(v2.size());
  std::string out(8 + length, '\0');
  compress(reinterpret_cast<Bytef*>(out.data() + 8), &length, reinterpret_cast<const Bytef*>(v2.data()),
           v2.size());
  out.resize(8 + length);
  const uint32_t fields[2] = {kHdrV2CompressedCookie, static_cast<uint32_t>(length)};
  for (int f = 0; f < 2; ++f) {
    for (int i = 0; i < 4; ++i) out[4 * f + i] = static_cast<char>(fields[f] >> (24 - 8 * i));
  }
  return out;
}

std::string error_of(const core::Result<Histogram>& decoded) {
  return decoded ? std::string("(decoded)") : decoded.error().message;
}

TEST(HdrLog, EncodesTheSameBytesAsHdrHistogramJsApartFromItsTwoHeaderQuirks) {
  const std::string ours = encode_hdr_v2(reference_histogram());
  const std::string js = from_hex(kJsV2Hex);
  ASSERT_EQ(ours.size(), js.size());
  EXPECT_EQ(ours.substr(0, 8), js.substr(0, 8));       // cookie 0x1c849313, payload length 14
  EXPECT_EQ(ours.substr(8, 4), from_hex("00000000"));  // normalizing offset: 0 (hdr-histogram-js writes 1)
  EXPECT_EQ(ours.substr(12, 20), js.substr(12, 20));   // 3 digits, lowest 1000, highest 3.6e12
  EXPECT_EQ(ours.substr(32, 8), from_hex("3ff0000000000000"));  // 1.0 as a double (js: the integer 1)
  EXPECT_EQ(ours.substr(40), js.substr(40));                    // the counts, word for word
}

TEST(HdrLog, DecodesTheHistogramHdrHistogramJsWrote) {
  auto decoded = decode_hdr_base64(kJsBase64);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(buckets_of(*decoded), buckets_of(reference_histogram()));
  EXPECT_EQ(decoded->count(), 17u);
  // The max bucket's highest value, and the p50 and p99 hdr-histogram-js reports after decoding the same
  // string (its maxValue, 3001025022, lies 511 ns past the bucket: it adds the unit mask once more).
  EXPECT_EQ(decoded->max(), 3'001'024'511);
  EXPECT_EQ(decoded->value_at_percentile(50), 1'000'447);
  EXPECT_EQ(decoded->value_at_percentile(99), 3'001'024'511);
}

TEST(HdrLog, RoundTripsEveryBucketCountExactly) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(14.0, 2.5);  // median ~1.2 ms, tail into seconds
  Histogram h;
  for (int i = 0; i < 200'000; ++i) h.record(static_cast<int64_t>(latency(random)));
  h.record(0);
  h.record(Histogram::kHighestNs);
  auto decoded = decode_hdr_base64(encode_hdr_base64(h));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->count(), h.count());
  EXPECT_EQ(buckets_of(*decoded), buckets_of(h));
  EXPECT_EQ(decoded->max(), Histogram::kHighestNs);
}

TEST(HdrLog, CarriesACountThatNeedsTheNinthLeb128Byte) {
  Histogram h;
  h.record_n(5'000'000, uint64_t{1} << 62);  // ZigZag doubles it to 2^63: all 64 bits, so 9 bytes
  const std::string v2 = encode_hdr_v2(h);
  EXPECT_EQ(v2.size(), 40u + 2 + 9);  // the run of 4292 empty buckets before 5 ms (2 bytes), the 9-byte count
  EXPECT_EQ(static_cast<uint8_t>(v2.back()), 0x80);  // the top 8 bits of 2^63, whole
  auto decoded = decode_hdr_v2(v2);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(buckets_of(*decoded), buckets_of(h));
}

TEST(HdrLog, EncodesAnEmptyHistogramAsOneZeroCount) {
  const std::string v2 = encode_hdr_v2(Histogram{});
  EXPECT_EQ(v2.substr(4, 4), from_hex("00000001"));
  EXPECT_EQ(v2.substr(40), std::string(1, '\0'));
  auto decoded = decode_hdr_base64(encode_hdr_base64(Histogram{}));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(decoded->empty());
}

TEST(HdrLog, Base64MatchesTheRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(HdrLog, RejectsMalformedBase64) {
  EXPECT_EQ(base64_decode("Zm9").error().message, "base64 length 3 is not a multiple of 4");
  EXPECT_EQ(base64_decode("Zm-v").error().message, "invalid base64 character at offset 2");
  EXPECT_EQ(base64_decode("Z===").error().message, "invalid base64 character at offset 1");
  EXPECT_EQ(base64_decode("Zh==").error().message, "invalid base64 padding at offset 1");
  EXPECT_EQ(error_of(decode_hdr_base64("HIST*AAA")), "hdr decode: invalid base64 character at offset 4");
}

TEST(HdrLog, RejectsABrokenCompressedWrapper) {
  const std::string good = encode_hdr_compressed(reference_histogram());
  EXPECT_EQ(error_of(decode_hdr_compressed(good.substr(0, 5))),
            "hdr decode: 5 bytes is shorter than the 8-byte compressed header");
  std::string cookie = good;
  cookie[3] = 0x03;
  EXPECT_EQ(error_of(decode_hdr_compressed(cookie)),
            "hdr decode: cookie 0x1c849303 is not a V2 compressed histogram (0x1c849314)");
  EXPECT_EQ(error_of(decode_hdr_compressed(good.substr(0, good.size() - 1))),
            "hdr decode: compressed length " + std::to_string(good.size() - 8) + " does not match the " +
                std::to_string(good.size() - 9) + " bytes that follow");
  std::string corrupt = good;
  corrupt[10] = static_cast<char>(corrupt[10] ^ 0x55);
  EXPECT_EQ(error_of(decode_hdr_compressed(corrupt)),
            "hdr decode: the deflated data is corrupt or truncated");
}

TEST(HdrLog, RejectsAnInflatedSizeBeyondTheLargestEncoding) {
  std::string huge = encode_hdr_v2(Histogram{});
  huge.append(9 * Histogram::kCountsLen + 1, '\0');  // 2 bytes past the largest valid encoding
  EXPECT_EQ(error_of(decode_hdr_compressed(compressed(huge))),
            "hdr decode: the deflated data inflates past the largest V2 encoding");
}

TEST(HdrLog, RejectsAHeaderThatIsNotOurs) {
  const std::string good = encode_hdr_v2(reference_histogram());
  EXPECT_EQ(error_of(decode_hdr_v2(good.substr(0, 39))),
            "hdr decode: 39 bytes is shorter than the 40-byte V2 header");
  std::string cookie = good;
  cookie[3] = 0x01;
  EXPECT_EQ(error_of(decode_hdr_v2(cookie)),
            "hdr decode: cookie 0x1c849301 is not a V2 encoding (0x1c849313)");
  EXPECT_EQ(error_of(decode_hdr_v2(good + '\0')),
            "hdr decode: payload length 14 does not match the 15 bytes after the header");
  std::string digits = good;
  digits[15] = 2;
  EXPECT_EQ(error_of(decode_hdr_compressed(compressed(digits))),
            "hdr decode: layout of 2 significant digits and lowest discernible value 1000 is not surge's (3 "
            "digits, "
            "1000 ns)");
  std::string lowest = good;
  lowest[22] = 0;
  lowest[23] = 1;  // lowest discernible value 1: a 1 ns unit, a different bucket layout
  EXPECT_EQ(
      error_of(decode_hdr_v2(lowest)),
      "hdr decode: layout of 3 significant digits and lowest discernible value 1 is not surge's (3 digits, "
      "1000 ns)");
}

// A V2 encoding with our header around the given payload bytes.
std::string with_payload(const std::string& payload) {
  std::string v2 = encode_hdr_v2(Histogram{}).substr(0, 40) + payload;
  for (int i = 0; i < 4; ++i) v2[4 + i] = static_cast<char>(payload.size() >> (24 - 8 * i));
  return v2;
}

TEST(HdrLog, RejectsCountsThatDoNotFitTheLayout) {
  EXPECT_EQ(error_of(decode_hdr_v2(with_payload("\x06\x80"))), "hdr decode: truncated count at byte 41");
  // A count at index 0, then ZigZag 49151 = a run of 24576 empty buckets: one past the last of 24576.
  EXPECT_EQ(error_of(decode_hdr_v2(with_payload("\x02\xff\xff\x02"))),
            "hdr decode: run of 24576 empty buckets at index 1 goes past the last bucket");
  // A run of 24205 empty buckets, then a count of 1 one bucket above that of one hour (index 24204).
  EXPECT_EQ(error_of(decode_hdr_v2(with_payload("\x99\xfa\x02\x02"))),
            "hdr decode: count at index 24205 is above the highest trackable value");
  const std::string int64_max("\xfe\xff\xff\xff\xff\xff\xff\xff\xff", 9);  // ZigZag of 2^63 - 1
  EXPECT_EQ(error_of(decode_hdr_v2(with_payload(int64_max + int64_max + "\x04"))),
            "hdr decode: counts add up past 2^64 at index 2");
}

}  // namespace
}  // namespace surge::metrics
