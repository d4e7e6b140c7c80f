// render(): the per-request half of templates. Walks the compiled pieces and appends; numbers go through
// to_chars on the stack and random text is written in place, so nothing allocates while `out` has capacity.
// Functions (hashing, encoding) are template_functions.cpp's.
#include <cassert>
#include <charconv>

#include "templating/template_evaluator.h"
#include "text/hex.h"

namespace surge::templating {
namespace {

constexpr std::string_view kAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

template <class Integer>
void append_decimal(Integer value, std::string& out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, static_cast<size_t>(result.ptr - digits));
}

// Inclusive [low, high]; the span is computed in unsigned arithmetic so INT64_MIN..INT64_MAX works (its
// 2^64 values wrap the span to 0, where every 64-bit draw is in range).
int64_t draw_int(Rng& rng, int64_t low, int64_t high) {
  const uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  const uint64_t offset = span == 0 ? rng.next() : rng.uniform(span);
  return static_cast<int64_t>(static_cast<uint64_t>(low) + offset);
}

void append_random_string(Rng& rng, uint32_t length, std::string& out) {
  const size_t begin = out.size();
  out.resize(begin + length);
  for (size_t i = begin; i < out.size(); ++i) out[i] = kAlphanumeric[rng.uniform(kAlphanumeric.size())];
}

// RFC 9562 §5.4 version 4: 122 random bits, the version nibble 4 (hex digit 13) and the variant bits 10
// (top of hex digit 17), as 8-4-4-4-12 lowercase hex.
void append_uuid(Rng& rng, std::string& out) {
  uint64_t high = rng.next();
  uint64_t low = rng.next();
  high = (high & ~(0xfULL << 12)) | (0x4ULL << 12);
  low = (low & ~(0x3ULL << 62)) | (0x2ULL << 62);
  char text[36];
  size_t at = 0;
  for (int digit = 0; digit < 32; ++digit) {
    if (digit == 8 || digit == 12 || digit == 16 || digit == 20) text[at++] = '-';
    const uint64_t word = digit < 16 ? high : low;
    const int shift = 60 - 4 * (digit % 16);
    text[at++] = text::kLowerHexDigits[(word >> shift) & 0xf];
  }
  out.append(text, sizeof text);
}

// Howard Hinnant's days_from_civil inverse: the proleptic Gregorian date of a day count from 1970-01-01,
// exact for every int64 day a clock gives, with no time-zone lookup (gmtime_r may read the zone files).
void append_iso_time(int64_t unix_s, std::string& out) {
  const int64_t days = unix_s >= 0 ? unix_s / 86400 : (unix_s - 86399) / 86400;
  const int64_t seconds_of_day = unix_s - days * 86400;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char text[32];
  char* at = text;
  auto two = [&](int64_t v) {
    *at++ = static_cast<char>('0' + v / 10);
    *at++ = static_cast<char>('0' + v % 10);
  };
  at = std::to_chars(at, text + 12, year).ptr;
  *at++ = '-';
  two(month);
  *at++ = '-';
  two(day);
  *at++ = 'T';
  two(seconds_of_day / 3600);
  *at++ = ':';
  two(seconds_of_day / 60 % 60);
  *at++ = ':';
  two(seconds_of_day % 60);
  *at++ = 'Z';
  out.append(text, static_cast<size_t>(at - text));
}

// Whole seconds, rounded down also before 1970 (a test clock may be anywhere).
int64_t unix_seconds(int64_t unix_ms) { return unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000; }

}  // namespace

void render(const Template& compiled, const RenderContext& context, std::string& out) {
  TemplateEvaluator::render(compiled, context, out);
}

void TemplateEvaluator::render(const Template& compiled, const RenderContext& context, std::string& out) {
  if (compiled.is_static()) {
    out.append(compiled.text_);
    return;
  }
  for (const Piece& piece : compiled.pieces_) {
    append_value(compiled, piece, compiled.text_, context, compiled.escape_, out);
  }
}

void TemplateEvaluator::append_value(const Template& compiled, const Piece& piece, std::string_view text,
                                     const RenderContext& context, Escape escape, std::string& out) {
  using Kind = Template::Kind;
  const bool needs_rng = piece.kind == Kind::kRandomInt || piece.kind == Kind::kRandomWord ||
                         piece.kind == Kind::kRandomString || piece.kind == Kind::kUuid;
  assert((!needs_rng || context.rng != nullptr) && "render: a random piece needs RenderContext::rng");
  if (needs_rng && context.rng == nullptr) return;
  switch (piece.kind) {
    case Kind::kText:
      out.append(text.substr(piece.begin, piece.length));
      break;
    case Kind::kVuId:
      append_decimal(context.vu_id, out);
      break;
    case Kind::kIteration:
      append_decimal(context.iteration, out);
      break;
    case Kind::kNowMs:
      append_decimal(context.now_unix_ms, out);
      break;
    case Kind::kNowS:
      append_decimal(unix_seconds(context.now_unix_ms), out);
      break;
    case Kind::kNowIso:
      append_iso_time(unix_seconds(context.now_unix_ms), out);
      break;
    case Kind::kRpcId:
      append_decimal(context.rpc_id + piece.low, out);
      break;
    case Kind::kRandomInt:
      append_decimal(draw_int(*context.rng, piece.low, piece.high), out);
      break;
    case Kind::kRandomWord: {
      const auto words = builtin_words();
      out.append(words[context.rng->uniform(words.size())]);
      break;
    }
    case Kind::kRandomString:
      append_random_string(*context.rng, piece.begin, out);
      break;
    case Kind::kUuid:
      append_uuid(*context.rng, out);
      break;
    case Kind::kVariable:
      // A slot the caller has not sized for is empty, like a capture that has not happened yet.
      if (piece.begin < context.variables.size()) {
        append_escaped(out, context.variables[piece.begin], escape);
      }
      break;
    default:
      apply(compiled, piece, context, escape, out);
      break;
  }
}

}  // namespace surge::templating
