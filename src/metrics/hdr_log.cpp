// HdrHistogram V2 encoding and decoding (the layout of HdrHistogram_c's hdr_encode_compressed and Java's
// encodeIntoCompressedByteBuffer). Decoding trusts nothing: sizes, layout, runs and counts are all checked.
#include "metrics/hdr_log.h"

#include <zlib.h>

#include <bit>
#include <cstdio>

namespace surge::metrics {
namespace {

constexpr size_t kHeaderBytes = 40;
constexpr size_t kCompressedHeaderBytes = 8;
constexpr size_t kMaxWordBytes = 9;  // LEB128 of 64 bits, the 9th byte carrying the top 8 bits whole
constexpr uint32_t kCookieBaseMask = ~uint32_t{0xf0};

// HdrHistogram's counts index for value; the same arithmetic as Histogram's private index_of().
size_t index_of(int64_t value) {
  constexpr int64_t kMask = ((int64_t{1} << Histogram::kSubBucketMagnitude) - 1) << Histogram::kUnitMagnitude;
  const int range = std::bit_width(static_cast<uint64_t>(value | kMask)) - Histogram::kUnitMagnitude -
                    Histogram::kSubBucketMagnitude;
  return (size_t(range) << Histogram::kHalfMagnitude) + size_t(value >> (range + Histogram::kUnitMagnitude));
}

int64_t highest_equivalent(size_t index) {
  const int range = std::max(int(index >> Histogram::kHalfMagnitude) - 1, 0);
  const int64_t width = int64_t{1} << (range + Histogram::kUnitMagnitude);
  return int64_t(index - (size_t(range) << Histogram::kHalfMagnitude)) * width + width - 1;
}

// The highest index a decoded count may sit at: the bucket of kHighestNs.
const size_t kLastIndex = index_of(Histogram::kHighestNs);

core::Unexpected<core::Error> decode_error(const std::string& what) {
  return core::fail("hdr decode: " + what);
}

void put_be32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}
void put_be64(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}
uint64_t get_be(std::string_view in, size_t offset, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(in[offset + i]);
  return value;
}

void put_zigzag(std::string& out, int64_t value) {
  uint64_t bits = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  for (size_t i = 0; i + 1 < kMaxWordBytes; ++i) {
    if (bits < 0x80) {
      out.push_back(static_cast<char>(bits));
      return;
    }
    out.push_back(static_cast<char>((bits & 0x7f) | 0x80));
    bits >>= 7;
  }
  out.push_back(static_cast<char>(bits));
}

bool get_zigzag(std::string_view& in, int64_t& value) {
  uint64_t bits = 0;
  for (size_t i = 0; i < kMaxWordBytes; ++i) {
    if (in.empty()) return false;
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    if (i + 1 == kMaxWordBytes) {
      bits |= uint64_t{byte} << 56;
      break;
    }
    bits |= uint64_t{byte & 0x7fu} << (7 * i);
    if ((byte & 0x80) == 0) break;
  }
  value = static_cast<int64_t>(bits >> 1) ^ -static_cast<int64_t>(bits & 1);
  return true;
}

std::string hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

}  // namespace

std::string encode_hdr_v2(const Histogram& histogram) {
  std::string out;
  put_be32(out, kHdrV2EncodingCookie);
  put_be32(out, 0);  // payload length, filled in below
  put_be32(out, 0);  // normalizing index offset: an integer histogram is never shifted
  put_be32(out, Histogram::kSignificantDigits);
  put_be64(out, Histogram::kLowestNs);
  put_be64(out, Histogram::kHighestNs);
  put_be64(out, std::bit_cast<uint64_t>(1.0));
  size_t next = 0;  // the first index not yet written
  histogram.for_each_bucket([&](int64_t lowest, int64_t, uint64_t count) {
    const size_t index = index_of(lowest);
    if (index - next == 1) put_zigzag(out, 0);  // a lone empty bucket is a plain 0, as Java writes it
    if (index - next > 1) put_zigzag(out, -static_cast<int64_t>(index - next));
    put_zigzag(out, static_cast<int64_t>(count));
    next = index + 1;
  });
  if (histogram.empty()) put_zigzag(out, 0);  // HdrHistogram writes the counts up to max's index, here 0
  const auto payload = static_cast<uint32_t>(out.size() - kHeaderBytes);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>(payload >> (24 - 8 * i));
  return out;
}

std::string encode_hdr_compressed(const Histogram& histogram) {
  const std::string encoded = encode_hdr_v2(histogram);
  uLongf length = compressBound(encoded.size());
  std::string out;
  out.resize(kCompressedHeaderBytes + length);
  // compress2 only fails for a bad level or a too-small buffer, and compressBound rules out both.
  compress2(reinterpret_cast<Bytef*>(out.data() + kCompressedHeaderBytes), &length,
            reinterpret_cast<const Bytef*>(encoded.data()), encoded.size(), Z_DEFAULT_COMPRESSION);
  out.resize(kCompressedHeaderBytes + length);
  std::string header;
  put_be32(header, kHdrV2CompressedCookie);
  put_be32(header, static_cast<uint32_t>(length));
  out.replace(0, kCompressedHeaderBytes, header);
  return out;
}

std::string encode_hdr_base64(const Histogram& histogram) {
  return base64_encode(encode_hdr_compressed(histogram));
}

core::Result<Histogram> decode_hdr_v2(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes) {
    return decode_error(std::to_string(bytes.size()) + " bytes is shorter than the 40-byte V2 header");
  }
  const auto cookie = static_cast<uint32_t>(get_be(bytes, 0, 4));
  if ((cookie & kCookieBaseMask) != (kHdrV2EncodingCookie & kCookieBaseMask)) {
    return decode_error("cookie " + hex(cookie) + " is not a V2 encoding (" + hex(kHdrV2EncodingCookie) +
                        ")");
  }
  const uint64_t payload = get_be(bytes, 4, 4);
  if (payload != bytes.size() - kHeaderBytes) {
    return decode_error("payload length " + std::to_string(payload) + " does not match the " +
                        std::to_string(bytes.size() - kHeaderBytes) + " bytes after the header");
  }
  const uint64_t digits = get_be(bytes, 12, 4);
  const uint64_t lowest = get_be(bytes, 16, 8);
  if (digits != uint64_t(Histogram::kSignificantDigits) || lowest == 0 ||
      std::bit_width(lowest) - 1 != Histogram::kUnitMagnitude) {
    return decode_error("layout of " + std::to_string(digits) +
                        " significant digits and lowest discernible value " + std::to_string(lowest) +
                        " is not surge's (3 digits, 1000 ns)");
  }
  std::string_view in = bytes.substr(kHeaderBytes);
  Histogram histogram;
  size_t index = 0;
  while (!in.empty()) {
    const size_t offset = bytes.size() - in.size();
    int64_t value = 0;
    if (!get_zigzag(in, value)) return decode_error("truncated count at byte " + std::to_string(offset));
    if (value < 0) {
      // -value without overflow: INT64_MIN is a run far longer than any layout, rejected like the others.
      const uint64_t run = uint64_t{0} - static_cast<uint64_t>(value);
      if (run > Histogram::kCountsLen - index) {
        return decode_error("run of " + std::to_string(run) + " empty buckets at index " +
                            std::to_string(index) + " goes past the last bucket");
      }
      index += run;
      continue;
    }
    if (value > 0 && index > kLastIndex) {
      return decode_error("count at index " + std::to_string(index) +
                          " is above the highest trackable value");
    }
    if (static_cast<uint64_t>(value) > UINT64_MAX - histogram.count()) {
      return decode_error("counts add up past 2^64 at index " + std::to_string(index));
    }
    histogram.record_n(std::min(highest_equivalent(index), Histogram::kHighestNs),
                       static_cast<uint64_t>(value));
    ++index;
  }
  return histogram;
}

core::Result<Histogram> decode_hdr_compressed(std::string_view bytes) {
  if (bytes.size() < kCompressedHeaderBytes) {
    return decode_error(std::to_string(bytes.size()) + " bytes is shorter than the 8-byte compressed header");
  }
  const auto cookie = static_cast<uint32_t>(get_be(bytes, 0, 4));
  if ((cookie & kCookieBaseMask) != (kHdrV2CompressedCookie & kCookieBaseMask)) {
    return decode_error("cookie " + hex(cookie) + " is not a V2 compressed histogram (" +
                        hex(kHdrV2CompressedCookie) + ")");
  }
  const uint64_t length = get_be(bytes, 4, 4);
  if (length != bytes.size() - kCompressedHeaderBytes) {
    return decode_error("compressed length " + std::to_string(length) + " does not match the " +
                        std::to_string(bytes.size() - kCompressedHeaderBytes) + " bytes that follow");
  }
  // The largest valid encoding is the header and a 9-byte word per bucket; one byte more proves an input
  // inflates past it, so a small input never makes us allocate more than this.
  std::string encoded(kHeaderBytes + kMaxWordBytes * Histogram::kCountsLen + 1, '\0');
  uLongf produced = encoded.size();
  uLong consumed = length;
  const int status =
      uncompress2(reinterpret_cast<Bytef*>(encoded.data()), &produced,
                  reinterpret_cast<const Bytef*>(bytes.data() + kCompressedHeaderBytes), &consumed);
  if (status == Z_BUF_ERROR) return decode_error("the deflated data inflates past the largest V2 encoding");
  if (status != Z_OK) return decode_error("the deflated data is corrupt or truncated");
  if (consumed != length) {
    return decode_error(std::to_string(length - consumed) + " bytes follow the end of the deflated data");
  }
  encoded.resize(produced);
  return decode_hdr_v2(encoded);
}

core::Result<Histogram> decode_hdr_base64(std::string_view text) {
  auto bytes = base64_decode(text);
  if (!bytes) return core::fail("hdr decode: " + bytes.error().message);
  return decode_hdr_compressed(*bytes);
}

}  // namespace surge::metrics
