// Parsing source-address lists and ranges. A range counts up in the address's own big-endian bytes, so
// IPv4 and IPv6 share one walk (with a carry across bytes: 10.0.0.255 is followed by 10.0.1.0).
#include "net/source_addresses.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace surge::net {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The address bytes inside the storage (4 or 16 of them), in network order.
unsigned char* address_bytes(SocketAddress& address) {
  if (address.family() == AF_INET) {
    return reinterpret_cast<unsigned char*>(&reinterpret_cast<sockaddr_in*>(&address.storage)->sin_addr);
  }
  return reinterpret_cast<unsigned char*>(&reinterpret_cast<sockaddr_in6*>(&address.storage)->sin6_addr);
}
const unsigned char* address_bytes(const SocketAddress& address) {
  return address_bytes(const_cast<SocketAddress&>(address));
}
size_t address_size(const SocketAddress& address) { return address.family() == AF_INET ? 4 : 16; }

int compare(const SocketAddress& a, const SocketAddress& b) {
  return std::memcmp(address_bytes(a), address_bytes(b), address_size(a));
}

void increment(SocketAddress& address) {
  unsigned char* bytes = address_bytes(address);
  for (size_t i = address_size(address); i-- > 0;) {
    if (++bytes[i] != 0) return;
  }
}

// One address, no port and no brackets: "127.0.0.2" or "::1".
core::Result<SocketAddress> parse_one(std::string_view word) {
  SocketAddress address;
  const std::string text(word);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    address.length = sizeof(sockaddr_in);
    return address;
  }
  if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    address.length = sizeof(sockaddr_in6);
    return address;
  }
  return core::fail("'" + text + "' is not an IPv4 or IPv6 address (expected like 127.0.0.2 or ::1)");
}

core::Result<void> add(const SocketAddress& address, std::vector<SocketAddress>& out) {
  if (!out.empty() && out.front().family() != address.family()) {
    return core::fail("source addresses mix " + std::string(family_name(out.front().family())) + " and " +
                      std::string(family_name(address.family())) + " (" + host_text(out.front()) + ", " +
                      host_text(address) + "): a connection's source must match its target's family");
  }
  if (out.size() >= kMaxSourceAddresses) {
    return core::fail("more than " + std::to_string(kMaxSourceAddresses) + " source addresses");
  }
  for (const SocketAddress& seen : out) {
    if (compare(seen, address) == 0) return core::fail(host_text(address) + " is given twice");
  }
  out.push_back(address);
  return {};
}

}  // namespace

core::Result<void> append_source_addresses(std::string_view item, std::vector<SocketAddress>& out) {
  item = trim(item);
  if (item.empty()) return core::fail("an empty source address (expected like 127.0.0.2 or 127.0.0.2-127.0.0.7)");
  // '-' never occurs inside an IPv4 or IPv6 address, so the first one splits a range.
  const size_t dash = item.find('-');
  auto first = parse_one(trim(item.substr(0, dash)));
  if (!first) return core::fail(first.error().message);
  if (dash == std::string_view::npos) return add(*first, out);
  auto last = parse_one(trim(item.substr(dash + 1)));
  if (!last) return core::fail(last.error().message);
  if (first->family() != last->family()) {
    return core::fail("range " + std::string(item) + " mixes IPv4 and IPv6");
  }
  if (compare(*first, *last) > 0) {
    return core::fail("range " + std::string(item) + " is reversed: the first address must not be above the last");
  }
  for (SocketAddress address = *first;; increment(address)) {
    if (auto added = add(address, out); !added) return added;
    if (compare(address, *last) == 0) return {};
  }
}

core::Result<std::vector<SocketAddress>> parse_source_addresses(std::string_view text) {
  std::vector<SocketAddress> out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    auto added = append_source_addresses(text.substr(start, comma - start), out);
    if (!added) return core::fail(added.error().message);
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::string_view family_name(int family) { return family == AF_INET6 ? "IPv6" : "IPv4"; }

std::string host_text(const SocketAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.family(), address_bytes(address), text, sizeof text);
  return text;
}

}  // namespace surge::net
