// SHA-256, HMAC-SHA256 and base64, for the signing built-ins of templates (sha256, hmac_sha256, base64,
// jwt_hs256). They run per request, so each works on the stack or appends into the caller's buffer: nothing
// allocates while that buffer has capacity.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace surge::templating {

using Sha256Digest = std::array<unsigned char, 32>;

// FIPS 180-4 SHA-256 of data.
Sha256Digest sha256(std::string_view data);

// RFC 2104 HMAC with SHA-256 (a key longer than the 64-byte block is hashed first, as the RFC says).
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

enum class Base64 {
  kStandard,  // RFC 4648 §4: A-Z a-z 0-9 + /, padded with '=' to a multiple of 4
  kUrl,       // RFC 4648 §5: - and _ for + and /, unpadded (as JWT, RFC 7515 §2, writes it)
};

// Appends data in base64 (the buffer comes first, as in every append_*).
void append_base64(std::string& out, std::string_view data, Base64 alphabet);

// Bytes append_base64 writes for `size` input bytes.
size_t base64_size(size_t size, Base64 alphabet);

}  // namespace surge::templating
