// SHA-256 through OpenSSL's one-context API: its SHA256_CTX lives on the stack, where the EVP API allocates
// a provider context on every EVP_DigestInit (measured on OpenSSL 3.0: one malloc per digest), which the
// per-request path may not do. The low-level functions are deprecated in OpenSSL 3 but still there; the
// deprecation warning is silenced for this file only.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "templating/digest.h"

#include <openssl/sha.h>

namespace surge::templating {
namespace {

constexpr size_t kBlock = 64;  // SHA-256's block, HMAC's key length (RFC 2104 §2)

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

Sha256Digest sha256(std::string_view data) {
  SHA256_CTX context;
  Sha256Digest digest;
  SHA256_Init(&context);
  SHA256_Update(&context, data.data(), data.size());
  SHA256_Final(digest.data(), &context);
  return digest;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  unsigned char padded[kBlock] = {};
  if (key.size() > kBlock) {
    const Sha256Digest hashed = sha256(key);
    std::copy(hashed.begin(), hashed.end(), padded);
  } else {
    std::copy(key.begin(), key.end(), padded);
  }
  unsigned char pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) pad[i] = padded[i] ^ 0x36;
  SHA256_CTX context;
  Sha256Digest inner;
  SHA256_Init(&context);
  SHA256_Update(&context, pad, kBlock);
  SHA256_Update(&context, message.data(), message.size());
  SHA256_Final(inner.data(), &context);
  for (size_t i = 0; i < kBlock; ++i) pad[i] = padded[i] ^ 0x5c;
  Sha256Digest outer;
  SHA256_Init(&context);
  SHA256_Update(&context, pad, kBlock);
  SHA256_Update(&context, inner.data(), inner.size());
  SHA256_Final(outer.data(), &context);
  return outer;
}

size_t base64_size(size_t size, Base64 alphabet) {
  if (alphabet == Base64::kStandard) return (size + 2) / 3 * 4;
  return size / 3 * 4 + (size % 3 == 0 ? 0 : size % 3 + 1);
}

void append_base64(std::string& out, std::string_view data, Base64 alphabet) {
  const std::string_view digits = alphabet == Base64::kStandard ? kStandardAlphabet : kUrlAlphabet;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  size_t at = out.size();
  out.resize(at + base64_size(data.size(), alphabet));
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const uint32_t group = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out[at++] = digits[group >> 18];
    out[at++] = digits[(group >> 12) & 63];
    out[at++] = digits[(group >> 6) & 63];
    out[at++] = digits[group & 63];
  }
  const size_t left = data.size() - i;
  if (left == 0) return;
  const uint32_t group = (uint32_t{bytes[i]} << 16) | (left == 2 ? uint32_t{bytes[i + 1]} << 8 : 0);
  out[at++] = digits[group >> 18];
  out[at++] = digits[(group >> 12) & 63];
  if (left == 2) out[at++] = digits[(group >> 6) & 63];
  if (alphabet == Base64::kStandard) {
    if (left == 1) out[at++] = '=';
    out[at++] = '=';
  }
}

}  // namespace surge::templating
