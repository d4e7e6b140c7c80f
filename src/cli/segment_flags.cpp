// --segment and --start-at parsing, and the plan hash of a segment run.
#include "cli/segment_flags.h"

#include <openssl/evp.h>

#include <charconv>
#include <ctime>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "plan/plan.h"
#include "text/hex.h"

namespace surge::cli {
namespace {

constexpr uint32_t kMaxSegments = 65536;

bool parse_uint(std::string_view text, uint64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// Reads `digits` decimal digits at text[at]; false when they are not all digits.
bool read_number(std::string_view text, size_t at, size_t digits, int& value) {
  if (at + digits > text.size()) return false;
  value = 0;
  for (size_t i = at; i < at + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

core::Result<int64_t> parse_rfc3339(std::string_view text) {
  const auto bad = [&] {
    return core::fail("invalid --start-at \"" + std::string(text) +
                      "\": expected an RFC 3339 time like 2026-12-01T10:00:00Z, now+10s, or Unix seconds");
  };
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || !read_number(text, 0, 4, year) || text[4] != '-' || !read_number(text, 5, 2, month) ||
      text[7] != '-' || !read_number(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
      !read_number(text, 11, 2, hour) || text[13] != ':' || !read_number(text, 14, 2, minute) ||
      text[16] != ':' || !read_number(text, 17, 2, second)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return bad();
  size_t at = 19;
  int64_t fraction_ns = 0;
  if (text[at] == '.') {
    int64_t scale = core::kNsPerSec;
    size_t digits = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
      scale /= 10;
      fraction_ns += (text[at] - '0') * scale;
    }
    if (digits == 0) return bad();
  }
  int64_t offset_s = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    offset_s = 0;
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    int offset_hours = 0, offset_minutes = 0;
    if (!read_number(text, at + 1, 2, offset_hours) || !read_number(text, at + 4, 2, offset_minutes)) return bad();
    offset_s = (offset_hours * 3600 + offset_minutes * 60) * (text[at] == '+' ? 1 : -1);
  } else {
    return bad();
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int64_t unix_s = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return unix_s * core::kNsPerSec + fraction_ns;
}

}  // namespace

core::Result<load::Segment> parse_segment(std::string_view text) {
  const size_t slash = text.find('/');
  uint64_t index = 0, count = 0;
  if (slash == std::string_view::npos || !parse_uint(text.substr(0, slash), index) ||
      !parse_uint(text.substr(slash + 1), count) || count == 0 || count > kMaxSegments || index >= count) {
    return core::fail("invalid --segment \"" + std::string(text) +
                      "\": expected I/N with 0 <= I < N <= 65536, like 0/4 for the first of 4 segments");
  }
  return load::Segment{static_cast<uint32_t>(index), static_cast<uint32_t>(count)};
}

core::Result<int64_t> parse_start_at(std::string_view text, int64_t now_unix_ns) {
  if (text.rfind("now+", 0) == 0) {
    auto delay = plan::parse_duration(text.substr(4));
    if (!delay || delay->count() < 0) {
      return core::fail("invalid --start-at \"" + std::string(text) + "\": expected now+DURATION like now+10s");
    }
    return now_unix_ns + delay->count();
  }
  if (uint64_t seconds = 0; parse_uint(text, seconds) && seconds < (1ull << 33)) {
    return static_cast<int64_t>(seconds) * core::kNsPerSec;
  }
  return parse_rfc3339(text);
}

std::string plan_hash(const std::string& plan_path, const std::vector<std::string>& inputs) {
  std::string material = "surge plan hash 1\n";
  if (!plan_path.empty()) {
    std::ifstream file(plan_path, std::ios::binary);
    std::ostringstream content;
    if (file) content << file.rdbuf();
    material += file ? content.str() : plan_path;
  }
  for (const std::string& input : inputs) material += '\x1f' + input;  // unit separator: no input holds it
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(material.data(), material.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  text::append_hex_bytes(hex, digest, length);
  return hex;
}

}  // namespace surge::cli
