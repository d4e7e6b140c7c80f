// The function pieces of templates: sha256, hmac_sha256, base64, urlencode, jwt_hs256, concat and their
// forms. Arguments are evaluated into one per-thread scratch buffer used as a stack (a nested call leaves
// its result where its arguments began), so nesting costs no allocation once the buffer has grown.
#include <cassert>

#include "templating/digest.h"
#include "templating/template_evaluator.h"
#include "text/hex.h"

namespace surge::templating {
namespace {

// base64url('{"alg":"HS256","typ":"JWT"}'): every token jwt_hs256 writes has this header (RFC 7519 §3.1).
constexpr std::string_view kJwtHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
constexpr size_t kDigestHex = 64;
constexpr size_t kDigestBase64 = 44;
constexpr size_t kDigestBase64Url = 43;

// Worker processes run one loop thread, so this is one buffer per worker; thread_local keeps tests and any
// future second thread safe without a lock.
std::string& scratch() {
  thread_local std::string buffer;
  return buffer;
}

void append_digest(std::string& out, const Sha256Digest& digest, bool base64) {
  if (base64) {
    append_base64(out, {reinterpret_cast<const char*>(digest.data()), digest.size()}, Base64::kStandard);
  } else {
    text::append_hex_bytes(out, digest.data(), digest.size());
  }
}

}  // namespace

void TemplateEvaluator::apply(const Template& compiled, const Piece& function, const RenderContext& context,
                              Escape escape, std::string& out) {
  using Kind = Template::Kind;
  std::string& stack = scratch();
  assert((&out != &stack || escape == Escape::kNone) && "apply: arguments are never escaped");
  const size_t base = stack.size();
  if (function.kind == Kind::kConcat && &out == &stack) {
    // The arguments, one after another where this call's result belongs, are the result.
    for (uint32_t i = 0; i < function.length; ++i) {
      append_value(compiled, compiled.arguments_[function.begin + i], compiled.argument_text_, context,
                   Escape::kNone, stack);
    }
    return;
  }
  size_t bounds[kMaxFunctionArguments + 1];
  const uint32_t count = function.length;
  for (uint32_t i = 0; i < count; ++i) {
    bounds[i] = stack.size();
    append_value(compiled, compiled.arguments_[function.begin + i], compiled.argument_text_, context,
                 Escape::kNone, stack);
  }
  bounds[count] = stack.size();
  const size_t arguments_end = stack.size();
  size_t result_size = 0;
  switch (function.kind) {
    case Kind::kSha256:
    case Kind::kHmacSha256:
      result_size = kDigestHex;
      break;
    case Kind::kSha256B64:
    case Kind::kHmacSha256B64:
      result_size = kDigestBase64;
      break;
    case Kind::kBase64:
      result_size = base64_size(arguments_end - base, Base64::kStandard);
      break;
    case Kind::kBase64Url:
      result_size = base64_size(arguments_end - base, Base64::kUrl);
      break;
    case Kind::kUrlEncode:
      result_size = 3 * (arguments_end - base);
      break;
    case Kind::kJwtHs256:
      result_size =
          kJwtHeader.size() + 2 + base64_size(bounds[1] - bounds[0], Base64::kUrl) + kDigestBase64Url;
      break;
    default:  // kConcat
      result_size = arguments_end - base;
      break;
  }
  // The result is written after the arguments, in the same buffer; reserving first keeps the argument views
  // valid while it is written.
  stack.reserve(arguments_end + result_size);
  auto argument = [&](uint32_t i) {
    return std::string_view(stack).substr(bounds[i], bounds[i + 1] - bounds[i]);
  };
  switch (function.kind) {
    case Kind::kSha256:
    case Kind::kSha256B64:
      append_digest(stack, sha256(argument(0)), function.kind == Kind::kSha256B64);
      break;
    case Kind::kHmacSha256:
    case Kind::kHmacSha256B64:
      append_digest(stack, hmac_sha256(argument(0), argument(1)), function.kind == Kind::kHmacSha256B64);
      break;
    case Kind::kBase64:
      append_base64(stack, argument(0), Base64::kStandard);
      break;
    case Kind::kBase64Url:
      append_base64(stack, argument(0), Base64::kUrl);
      break;
    case Kind::kUrlEncode:
      append_url_escaped(stack, argument(0));
      break;
    case Kind::kJwtHs256: {
      // RFC 7519 §7.1: header.payload, each base64url, then the HMAC of those bytes, base64url.
      const size_t token = stack.size();
      stack.append(kJwtHeader);
      stack.push_back('.');
      append_base64(stack, argument(0), Base64::kUrl);
      const Sha256Digest signature = hmac_sha256(argument(1), std::string_view(stack).substr(token));
      stack.push_back('.');
      append_base64(stack, {reinterpret_cast<const char*>(signature.data()), signature.size()}, Base64::kUrl);
      break;
    }
    default:  // kConcat: the arguments, one after another, are the result
      stack.append(std::string_view(stack).substr(base, arguments_end - base));
      break;
  }
  if (&out == &stack) {
    stack.erase(base, arguments_end - base);  // a move within capacity: the result now starts at base
    return;
  }
  append_escaped(out, std::string_view(stack).substr(arguments_end), escape);
  stack.resize(base);
}

}  // namespace surge::templating
