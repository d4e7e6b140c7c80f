// The WebSocket opening handshake (RFC 6455 §4): the client's upgrade request and the check of the server's
// 101 answer, and for `surge serve` the check of a request and the 101 it gets. Heads are raw HTTP/1.1
// text as received; the HTTP parsers (proto/http) frame them, this file reads the few fields that matter.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::proto::ws {

// A Sec-WebSocket-Key: base64 of 16 random bytes (RFC 6455 §4.1), random_a's bytes first, big-endian. The
// caller supplies the randomness (a per-worker generator), so keys are reproducible in tests.
std::string make_client_key(uint64_t random_a, uint64_t random_b);

// Sec-WebSocket-Accept for a key: base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), §4.2.2.
std::string compute_accept_key(std::string_view key);

// Appends the upgrade request (GET, HTTP/1.1, Host, Upgrade, Connection, Sec-WebSocket-Key,
// Sec-WebSocket-Version: 13, then Sec-WebSocket-Protocol listing `subprotocols` in order when there are
// any), then extra_header_lines as given (each "Name: value\r\n"), then the empty line.
void append_upgrade_request(std::string& out, std::string_view host, std::string_view path_and_query,
                            std::string_view extra_header_lines, std::span<const std::string> subprotocols,
                            std::string_view key);

// Checks the server's answer to an upgrade request made with `key` and `offered_subprotocols` (RFC 6455
// §4.1, the client's checks): status 101, Upgrade: websocket, Connection: upgrade, the matching
// Sec-WebSocket-Accept, no extension (we offer none), and a subprotocol, if any, that was offered. `head`
// is the response head; a first line starting "HTTP/" is the status line and skipped. Returns the chosen
// subprotocol ("" for none), or one line on what was wrong ("expected status 101, found 200").
core::Result<std::string> check_upgrade_response(int status, std::string_view head, std::string_view key,
                                                 std::span<const std::string> offered_subprotocols);

// Server side. Whether a request head asks for a WebSocket (its Upgrade field lists "websocket"). A request
// that does not gets 426; one that does is checked by check_upgrade_request.
bool is_upgrade_request(std::string_view head);

// What the server needs from a valid upgrade request; views into the head.
struct UpgradeRequest {
  std::string_view key;
  std::string_view first_subprotocol;  // the client's first choice, "" when it offers none
};

// The server's checks of §4.2.1 on a request head (request line first): method GET, Connection: upgrade,
// Sec-WebSocket-Version: 13, a Sec-WebSocket-Key of 16 base64-encoded bytes. The error is one line for a 400.
core::Result<UpgradeRequest> check_upgrade_request(std::string_view method, std::string_view head);

// Whether a request head's Sec-WebSocket-Protocol fields offer `subprotocol` (compared as exactly as a
// token: ASCII case ignored).
bool offers_subprotocol(std::string_view head, std::string_view subprotocol);

// Appends "101 Switching Protocols" with the Sec-WebSocket-Accept for `key`, and Sec-WebSocket-Protocol when
// `subprotocol` is not empty. Allocates nothing beyond `out` growing.
void append_upgrade_response(std::string& out, std::string_view key, std::string_view subprotocol);

}  // namespace surge::proto::ws
