// Socket addresses: resolved once at start-up (getaddrinfo may block, so never on the hot path).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace surge::net {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  int family() const { return storage.ss_family; }
  uint16_t port() const;
  // "127.0.0.1:8080" or "[::1]:8080".
  std::string to_string() const;
};

// Resolves host (a name, an IPv4 literal, or an IPv6 literal without brackets) and port; the first
// address getaddrinfo returns wins, IPv4 preferred for "localhost".
core::Result<SocketAddress> resolve(const std::string& host, uint16_t port);

// Parses "ADDR:PORT", "[V6]:PORT" or "ADDR" (port 0) as a numeric address; no DNS.
core::Result<SocketAddress> parse_numeric_address(std::string_view text, uint16_t default_port = 0);

}  // namespace surge::net
