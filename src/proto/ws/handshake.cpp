// Opening handshake: writing the request and the 101, reading the few fields both sides check. Field names
// match case-insensitively and repeated fields count as one comma list (RFC 9110 §5.3); the accept value is
// computed with libcrypto's SHA-1 and base64 into stack buffers.
#include "proto/ws/handshake.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

#include "proto/http/field_rules.h"

namespace surge::proto::ws {
namespace {

namespace http = proto::http;

constexpr std::string_view kAcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr size_t kAcceptKeyChars = 28;  // base64 of a 20-byte SHA-1
constexpr size_t kClientKeyChars = 24;  // base64 of 16 bytes

// Calls on_field(name, value) for each field line after the first `skip_lines` lines, up to the empty line.
template <class OnField>
void for_each_field(std::string_view head, size_t skip_lines, OnField&& on_field) {
  size_t line_number = 0;
  while (!head.empty()) {
    const size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    head = end == std::string_view::npos ? std::string_view() : head.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number++ < skip_lines) continue;
    if (line.empty()) return;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    on_field(line.substr(0, colon), http::trim_ows(line.substr(colon + 1)));
  }
}

size_t start_lines(std::string_view head) { return head.starts_with("HTTP/") ? 1 : 0; }

// Whether any `name` field lists `token` (case-insensitive), and the field's last value for messages.
bool lists_token(std::string_view head, size_t skip, std::string_view name, std::string_view token,
                 std::string_view* seen = nullptr) {
  bool found = false;
  for_each_field(head, skip, [&](std::string_view field, std::string_view value) {
    if (!http::equals_ignore_case(field, name)) return;
    if (seen != nullptr) *seen = value;
    http::for_each_list_item(value, [&](std::string_view item) {
      if (http::equals_ignore_case(item, token)) found = true;
    });
  });
  return found;
}

// The value of the last `name` field; `count` says how many there were.
std::string_view field_value(std::string_view head, size_t skip, std::string_view name, int& count) {
  std::string_view result;
  count = 0;
  for_each_field(head, skip, [&](std::string_view field, std::string_view value) {
    if (!http::equals_ignore_case(field, name)) return;
    result = value;
    ++count;
  });
  return result;
}

// The value in double quotes with control bytes escaped, or "none" for an absent field.
std::string shown(std::string_view value, int count) {
  return count == 0 ? std::string("none") : http::quoted(value);
}

std::array<char, kAcceptKeyChars + 1> accept_key_chars(std::string_view key) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  std::array<char, 128> joined;
  if (key.size() + kAcceptGuid.size() <= joined.size()) {
    key.copy(joined.data(), key.size());
    kAcceptGuid.copy(joined.data() + key.size(), kAcceptGuid.size());
    SHA1(reinterpret_cast<const unsigned char*>(joined.data()), key.size() + kAcceptGuid.size(),
         digest.data());
  } else {  // never for a valid key; the check still answers, at the cost of one allocation
    const std::string long_joined = std::string(key) + std::string(kAcceptGuid);
    SHA1(reinterpret_cast<const unsigned char*>(long_joined.data()), long_joined.size(), digest.data());
  }
  std::array<char, kAcceptKeyChars + 1> text{};
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), digest.data(), SHA_DIGEST_LENGTH);
  return text;
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Exactly 16 bytes in base64: 22 characters, the last of which leaves no stray bits, then "==".
bool is_valid_client_key(std::string_view key) {
  if (key.size() != kClientKeyChars || !key.ends_with("==")) return false;
  for (size_t i = 0; i < 22; ++i) {
    if (!is_base64_char(key[i])) return false;
  }
  return std::string_view("AQgw").find(key[21]) != std::string_view::npos;
}

}  // namespace

std::string make_client_key(uint64_t random_a, uint64_t random_b) {
  std::array<unsigned char, 16> bytes{};
  for (size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(random_a >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(random_b >> (56 - 8 * i));
  }
  std::array<char, kClientKeyChars + 1> text{};
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes.data(), bytes.size());
  return std::string(text.data(), kClientKeyChars);
}

std::string compute_accept_key(std::string_view key) {
  return std::string(accept_key_chars(key).data(), kAcceptKeyChars);
}

void append_upgrade_request(std::string& out, std::string_view host, std::string_view path_and_query,
                            std::string_view extra_header_lines, std::span<const std::string> subprotocols,
                            std::string_view key) {
  out.append("GET ").append(path_and_query).append(" HTTP/1.1\r\nHost: ").append(host);
  out.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key);
  out.append("\r\nSec-WebSocket-Version: 13\r\n");
  if (!subprotocols.empty()) {
    out.append("Sec-WebSocket-Protocol: ");
    for (size_t i = 0; i < subprotocols.size(); ++i) out.append(i == 0 ? "" : ", ").append(subprotocols[i]);
    out.append("\r\n");
  }
  out.append(extra_header_lines).append("\r\n");
}

core::Result<std::string> check_upgrade_response(int status, std::string_view head, std::string_view key,
                                                 std::span<const std::string> offered_subprotocols) {
  if (status != 101) return core::fail("expected status 101, found " + std::to_string(status));
  const size_t skip = start_lines(head);
  int count = 0;
  std::string_view upgrade = field_value(head, skip, "upgrade", count);
  if (!lists_token(head, skip, "upgrade", "websocket")) {
    return core::fail("expected Upgrade: websocket, found " + shown(upgrade, count));
  }
  std::string_view connection = field_value(head, skip, "connection", count);
  if (!lists_token(head, skip, "connection", "upgrade")) {
    return core::fail("expected Connection: upgrade, found " + shown(connection, count));
  }
  std::string_view accept = field_value(head, skip, "sec-websocket-accept", count);
  const auto expected = accept_key_chars(key);
  if (count != 1 || accept != std::string_view(expected.data(), kAcceptKeyChars)) {
    return core::fail("expected Sec-WebSocket-Accept: " + std::string(expected.data()) + ", found " +
                      shown(accept, count));
  }
  std::string_view extensions = field_value(head, skip, "sec-websocket-extensions", count);
  if (count > 0) return core::fail("server chose extensions " + shown(extensions, count) + ", none offered");
  std::string_view protocol = field_value(head, skip, "sec-websocket-protocol", count);
  if (count == 0) return std::string();
  for (const std::string& offered : offered_subprotocols) {
    if (count == 1 && protocol == offered) return std::string(protocol);
  }
  return core::fail("server chose subprotocol " + shown(protocol, count) + ", which was not offered");
}

bool is_upgrade_request(std::string_view head) { return lists_token(head, 1, "upgrade", "websocket"); }

core::Result<UpgradeRequest> check_upgrade_request(std::string_view method, std::string_view head) {
  if (method != "GET") return core::fail("a WebSocket upgrade must be a GET, not " + http::quoted(method));
  int count = 0;
  std::string_view connection = field_value(head, 1, "connection", count);
  if (!lists_token(head, 1, "connection", "upgrade")) {
    return core::fail("expected Connection: upgrade, found " + shown(connection, count));
  }
  std::string_view version = field_value(head, 1, "sec-websocket-version", count);
  if (count != 1 || version != "13") {
    return core::fail("expected Sec-WebSocket-Version: 13, found " + shown(version, count));
  }
  UpgradeRequest request;
  request.key = field_value(head, 1, "sec-websocket-key", count);
  if (count != 1 || !is_valid_client_key(request.key)) {
    return core::fail("expected a Sec-WebSocket-Key of 16 base64 bytes, found " + shown(request.key, count));
  }
  bool first = true;
  for_each_field(head, 1, [&](std::string_view field, std::string_view value) {
    if (!first || !http::equals_ignore_case(field, "sec-websocket-protocol")) return;
    http::for_each_list_item(value, [&](std::string_view item) {
      if (first) request.first_subprotocol = item;
      first = false;
    });
  });
  return request;
}

bool offers_subprotocol(std::string_view head, std::string_view subprotocol) {
  return lists_token(head, 1, "sec-websocket-protocol", subprotocol);
}

void append_upgrade_response(std::string& out, std::string_view key, std::string_view subprotocol) {
  const auto accept = accept_key_chars(key);
  out.append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
  out.append("Sec-WebSocket-Accept: ").append(accept.data(), kAcceptKeyChars).append("\r\n");
  if (!subprotocol.empty()) out.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
  out.append("\r\n");
}

}  // namespace surge::proto::ws
