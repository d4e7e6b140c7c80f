// render(): the per-request half of templates. Walks the compiled pieces and appends; numbers go through
// to_chars on the stack and random text is written in place, so nothing allocates while `out` has capacity.
#include <cassert>
#include <charconv>

#include "templating/template.h"
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

}  // namespace

void render(const Template& compiled, const RenderContext& context, std::string& out) {
  using Kind = Template::Kind;
  if (compiled.is_static()) {
    out.append(compiled.text_);
    return;
  }
  for (const Template::Piece& piece : compiled.pieces_) {
    const bool needs_rng = piece.kind == Kind::kRandomInt || piece.kind == Kind::kRandomWord ||
                           piece.kind == Kind::kRandomString || piece.kind == Kind::kUuid;
    assert((!needs_rng || context.rng != nullptr) && "render: a random piece needs RenderContext::rng");
    if (needs_rng && context.rng == nullptr) continue;
    switch (piece.kind) {
      case Kind::kText:
        out.append(compiled.text_, piece.begin, piece.length);
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
          append_escaped(out, context.variables[piece.begin], compiled.escape_);
        }
        break;
    }
  }
}

}  // namespace surge::templating
