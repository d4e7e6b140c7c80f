// json_to_text, json_equal and json_number over raw text. Numbers compare as exact decimals, not doubles, so
// an id like 12345678901234567890 is not "equal" to its neighbour the way two rounded doubles would be.
#include "extract/json_value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "extract/json_path.h"
#include "text/json_scan.h"
#include "text/json_string.h"

namespace surge::extract {
namespace {

namespace json = text::json;

// The value in `raw` without surrounding whitespace, or empty when `raw` is not exactly one valid value.
std::string_view exact_value(std::string_view raw) {
  size_t start = json::skip_space(raw, 0);
  size_t end = json::skip_value(raw, start, kResponseLevels);
  if (end == json::kBad || json::skip_space(raw, end) != raw.size()) return {};
  return raw.substr(start, end - start);
}

// A validated JSON number as sign, digits and exponent: value = digits(int ++ frac) * 10^(exponent - |frac|).
struct Decimal {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  int64_t exponent = 0;

  size_t size() const { return int_digits.size() + frac_digits.size(); }
  char digit(size_t i) const {
    return i < int_digits.size() ? int_digits[i] : frac_digits[i - int_digits.size()];
  }
};

Decimal read_decimal(std::string_view number) {
  Decimal d;
  size_t p = 0;
  if (number[p] == '-') {
    d.negative = true;
    ++p;
  }
  size_t start = p;
  while (p < number.size() && number[p] >= '0' && number[p] <= '9') ++p;
  d.int_digits = number.substr(start, p - start);
  if (p < number.size() && number[p] == '.') {
    start = ++p;
    while (p < number.size() && number[p] >= '0' && number[p] <= '9') ++p;
    d.frac_digits = number.substr(start, p - start);
  }
  if (p < number.size()) {  // 'e' or 'E'
    bool negative_exponent = number[++p] == '-';
    if (number[p] == '+' || number[p] == '-') ++p;
    // Saturates: any exponent this large already decides the comparison.
    for (; p < number.size() && d.exponent < 1'000'000'000'000; ++p)
      d.exponent = d.exponent * 10 + (number[p] - '0');
    if (negative_exponent) d.exponent = -d.exponent;
  }
  return d;
}

bool decimal_equal(std::string_view a_text, std::string_view b_text) {
  Decimal a = read_decimal(a_text);
  Decimal b = read_decimal(b_text);
  // Significant digits run from the first to the last non-zero digit; a number without one is zero.
  auto first_nonzero = [](const Decimal& d) {
    size_t i = 0;
    while (i < d.size() && d.digit(i) == '0') ++i;
    return i;
  };
  auto last_nonzero = [](const Decimal& d) {
    size_t i = d.size();
    while (i > 0 && d.digit(i - 1) == '0') --i;
    return i;
  };
  size_t a_first = first_nonzero(a), a_last = last_nonzero(a);
  size_t b_first = first_nonzero(b), b_last = last_nonzero(b);
  bool a_zero = a_first == a.size(), b_zero = b_first == b.size();
  if (a_zero || b_zero) return a_zero && b_zero;
  if (a.negative != b.negative || a_last - a_first != b_last - b_first) return false;
  for (size_t i = 0; i < a_last - a_first; ++i) {
    if (a.digit(a_first + i) != b.digit(b_first + i)) return false;
  }
  // The power of ten of the last significant digit.
  auto scale = [](const Decimal& d, size_t last) {
    return d.exponent - static_cast<int64_t>(d.frac_digits.size()) + static_cast<int64_t>(d.size() - last);
  };
  return scale(a, a_last) == scale(b, b_last);
}

std::string_view value_at(std::string_view text, size_t pos, int levels) {
  return text.substr(pos, json::skip_value(text, pos, levels) - pos);
}

// Where the value of the first member whose key decodes like `key` (still escaped) starts in the valid
// object `object`, or kBad.
size_t lookup(std::string_view object, std::string_view key, int levels) {
  json::ContainerWalker walker(object, 0, levels);
  while (walker.next()) {
    if (json::decode_equal(walker.key(), key)) return walker.value_pos();
  }
  return json::kBad;
}

bool equal_values(std::string_view a, std::string_view b, int levels);

// Every key of `a` is in `b` with an equal value. Of duplicate keys only the first counts, as in find().
// Run both ways, so a key missing from either side is a difference.
bool object_within(std::string_view a, std::string_view b, int levels) {
  json::ContainerWalker walker(a, 0, levels);
  while (walker.next()) {
    if (lookup(a, walker.key(), levels) != walker.value_pos()) continue;  // a later duplicate
    size_t other = lookup(b, walker.key(), levels);
    if (other == json::kBad) return false;
    if (!equal_values(value_at(a, walker.value_pos(), levels - 1), value_at(b, other, levels - 1),
                      levels - 1)) {
      return false;
    }
  }
  return !walker.failed();
}

bool array_equal(std::string_view a, std::string_view b, int levels) {
  json::ContainerWalker walker_a(a, 0, levels);
  json::ContainerWalker walker_b(b, 0, levels);
  while (true) {
    bool more_a = walker_a.next();
    bool more_b = walker_b.next();
    if (more_a != more_b) return false;
    if (!more_a) return !walker_a.failed() && !walker_b.failed();
    if (!equal_values(value_at(a, walker_a.value_pos(), levels - 1),
                      value_at(b, walker_b.value_pos(), levels - 1), levels - 1)) {
      return false;
    }
  }
}

// `a` and `b` are exactly one valid value each, with `levels` of nesting allowed.
bool equal_values(std::string_view a, std::string_view b, int levels) {
  char kind_a = a[0] == '-' || (a[0] >= '0' && a[0] <= '9') ? '0' : a[0];
  char kind_b = b[0] == '-' || (b[0] >= '0' && b[0] <= '9') ? '0' : b[0];
  if (kind_a != kind_b) return false;
  switch (kind_a) {
    case '"':
      return json::decode_equal(a.substr(1, a.size() - 2), b.substr(1, b.size() - 2));
    case '0':
      return decimal_equal(a, b);
    case '{':
      return object_within(a, b, levels) && object_within(b, a, levels);
    case '[':
      return array_equal(a, b, levels);
    default:
      return a == b;  // true, false, null
  }
}

}  // namespace

bool json_to_text(std::string_view raw, std::string& out) {
  std::string_view value = exact_value(raw);
  if (value.empty()) return false;
  if (value[0] != '"') {
    out += value;
    return true;
  }
  json::StringDecoder decoder(value.substr(1, value.size() - 2));
  for (char byte; decoder.next(byte);) out += byte;
  return true;
}

bool json_equal(std::string_view raw_a, std::string_view raw_b) {
  std::string_view a = exact_value(raw_a);
  std::string_view b = exact_value(raw_b);
  return !a.empty() && !b.empty() && equal_values(a, b, kResponseLevels);
}

std::optional<double> json_number(std::string_view raw) {
  size_t start = json::skip_space(raw, 0);
  size_t end = json::skip_number(raw, start);
  if (end == json::kBad || json::skip_space(raw, end) != raw.size()) return std::nullopt;
  double value = 0;
  auto [ptr, error] = std::from_chars(raw.data() + start, raw.data() + end, value);
  if (error == std::errc::result_out_of_range) {
    Decimal d = read_decimal(raw.substr(start, end - start));
    bool tiny = raw.substr(start, end - start).find("e-") != std::string_view::npos ||
                raw.substr(start, end - start).find("E-") != std::string_view::npos;
    double magnitude = tiny ? 0.0 : std::numeric_limits<double>::infinity();
    return d.negative ? -magnitude : magnitude;
  }
  if (error != std::errc() || ptr != raw.data() + end) return std::nullopt;
  return value;
}

}  // namespace surge::extract
