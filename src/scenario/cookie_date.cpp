// The cookie date algorithm of RFC 6265 §5.1.1: servers write Expires in several formats (RFC 1123, RFC 850,
// asctime, with dashes), so dates are read token by token, each token filling the first part it fits.
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "scenario/cookie_jar.h"

namespace surge::scenario {
namespace {

// §5.1.1 delimiter: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
bool is_delimiter(unsigned char c) {
  return c == 0x09 || (c >= 0x20 && c <= 0x2F) || (c >= 0x3B && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
         (c >= 0x7B && c <= 0x7E);
}

// 1 to max_digits digits at the start of text, not followed by another digit; the digits are consumed.
std::optional<int> leading_number(std::string_view& text, size_t min_digits, size_t max_digits) {
  size_t n = 0;
  int value = 0;
  while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n]))) {
    if (n == max_digits) return std::nullopt;
    value = value * 10 + (text[n++] - '0');
  }
  if (n < min_digits) return std::nullopt;
  text.remove_prefix(n);
  return value;
}

// hms-time = 1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT, then anything not a digit.
bool read_time(std::string_view token, int& hour, int& minute, int& second) {
  auto h = leading_number(token, 1, 2);
  if (!h || token.empty() || token.front() != ':') return false;
  token.remove_prefix(1);
  auto m = leading_number(token, 1, 2);
  if (!m || token.empty() || token.front() != ':') return false;
  token.remove_prefix(1);
  auto s = leading_number(token, 1, 2);
  if (!s) return false;
  hour = *h;
  minute = *m;
  second = *s;
  return true;
}

int month_of(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    bool same = true;
    for (size_t k = 0; k < 3; ++k) same = same && std::tolower(static_cast<unsigned char>(token[k])) == kMonths[i][k];
    if (same) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<size_t>(month - 1)];
}

}  // namespace

std::optional<int64_t> parse_cookie_date(std::string_view text) {
  int hour = -1, minute = 0, second = 0, day = -1, month = 0, year = -1;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && is_delimiter(static_cast<unsigned char>(text[at]))) ++at;
    size_t end = at;
    while (end < text.size() && !is_delimiter(static_cast<unsigned char>(text[end]))) ++end;
    std::string_view token = text.substr(at, end - at);
    at = end;
    if (token.empty()) continue;
    std::string_view digits = token;
    if (hour < 0 && read_time(token, hour, minute, second)) continue;
    if (day < 0) {
      if (auto number = leading_number(digits, 1, 2)) {
        day = *number;
        continue;
      }
    }
    if (month == 0 && (month = month_of(token)) != 0) continue;
    digits = token;
    if (year < 0) {
      if (auto number = leading_number(digits, 2, 4)) year = *number;
    }
  }
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (hour < 0 || day < 0 || month == 0 || year < 1601 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

}  // namespace surge::scenario
