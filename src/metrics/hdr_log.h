// HdrHistogram's standard V2 histogram encoding, the one .hlog interval logs, HistogramLogProcessor and
// hdr-histogram-js read. Our Histogram uses HdrHistogram's exact bucket layout, so its counts map 1:1.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "metrics/histogram.h"

namespace surge::metrics {

// Cookies as HdrHistogram writes them: the V2 base with 0x10 in the word-size nibble.
constexpr uint32_t kHdrV2EncodingCookie = 0x1c849303 | 0x10;
constexpr uint32_t kHdrV2CompressedCookie = 0x1c849304 | 0x10;

// The uncompressed V2 encoding (big-endian): a 40-byte header (cookie, payload length, normalizing index
// offset 0, significant digits 3, lowest discernible value 1000, highest trackable value kHighestNs, the
// integer-to-double ratio 1.0 as a double), then the counts from index 0 up to the bucket of max() as
// ZigZag LEB128 words (at most 9 bytes), a run of n > 1 empty buckets written as -n.
std::string encode_hdr_v2(const Histogram& histogram);

// The compressed form: cookie 0x1c849314, the deflated length, and encode_hdr_v2() through zlib's deflate.
std::string encode_hdr_compressed(const Histogram& histogram);

// base64 of encode_hdr_compressed(): a results.json `latency_hdr` and the last column of an .hlog line.
std::string encode_hdr_base64(const Histogram& histogram);

// Decodes an uncompressed V2 encoding whose layout is ours (3 significant digits, a lowest discernible value
// of 512 to 1023, so a 512 ns unit) and whose counts fit within [0, kHighestNs]. V2 carries only bucket
// counts, so every sample is recorded at its bucket's highest equivalent value (capped at kHighestNs):
// counts, percentiles and max() then agree with HdrHistogram's own decoders, while min(), mean() and the sum
// are the buckets' and not the exact recorded ones. The normalizing index offset is ignored, as
// hdr-histogram-js does (it writes 1 for an unshifted histogram). Every malformed input gives an error
// that starts with "hdr decode: ".
core::Result<Histogram> decode_hdr_v2(std::string_view bytes);
core::Result<Histogram> decode_hdr_compressed(std::string_view bytes);
core::Result<Histogram> decode_hdr_base64(std::string_view text);

// RFC 4648 base64 with the standard alphabet and '=' padding (what java.util.Base64 and btoa use).
std::string base64_encode(std::string_view bytes);
// Strict: the length must be a multiple of 4 and only the last 1-2 characters may be '='.
core::Result<std::string> base64_decode(std::string_view text);

}  // namespace surge::metrics
