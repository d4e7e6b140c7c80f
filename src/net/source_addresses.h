// Source addresses a generator spreads its connections over (`--source-addrs`, plan `source_addrs:`). One
// source address and one target address:port have only the ephemeral port range (~28K ports) between them;
// each more source address adds as many again.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/address.h"

namespace surge::net {

// The most addresses one list may expand to: far more than any machine has configured, small enough that a
// mistyped range (127.0.0.1-127.255.255.255) is an error rather than 16 million entries.
constexpr size_t kMaxSourceAddresses = 4096;

// Parses "127.0.0.2-127.0.0.7" (a range, both ends included), "10.0.0.1,10.0.0.5" (a list) or a mix
// ("10.0.0.1-10.0.0.3,10.0.0.9"), IPv4 or IPv6, into addresses with port 0, in order. Fails with a one-line
// message on a word that is not an address, a reversed range, a range or list mixing IPv4 and IPv6, an
// address given twice, or more than kMaxSourceAddresses.
core::Result<std::vector<SocketAddress>> parse_source_addresses(std::string_view text);

// Appends the addresses of one item ("A" or "A-B") to `out`, checking the same rules against what `out`
// holds already (family, duplicates, size): the plan reader calls it once per list element.
core::Result<void> append_source_addresses(std::string_view item, std::vector<SocketAddress>& out);

// "IPv4" or "IPv6", for messages.
std::string_view family_name(int family);

// "127.0.0.2" (no port), for messages and reports.
std::string host_text(const SocketAddress& address);

}  // namespace surge::net
