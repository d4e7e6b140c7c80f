// Source ports chosen by the generator instead of the kernel. Every connection of a load test goes to the
// same few target address:ports, and for such connects the kernel's port search (inet_hash_connect) walks
// the ephemeral range checking each port's 4-tuple, so its cost per connect grows with the number of
// connections already open: at 45,000 connections `__inet_check_established` was a fifth of all CPU
// (docs/performance.md). A worker that owns a share of the range and hands its ports out in turn finds a
// free one at the first try, whatever the count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace surge::net {

struct PortRange {
  uint16_t low = 0;   // both ends included, as in ip_local_port_range
  uint16_t high = 0;
};

// net.ipv4.ip_local_port_range and net.ipv4.ip_local_reserved_ports as the kernel prints them ("32768\t60999",
// "8080,9000-9100"); the parsers are apart from the file reads so tests can feed them text.
bool parse_port_range(std::string_view text, PortRange* range);
// Sets reserved[p] for every port the list names; false (and nothing set) on text that is not a list.
bool parse_reserved_ports(std::string_view text, std::vector<bool>* reserved);

// The machine's range and reserved ports; false when /proc cannot be read (then the kernel chooses).
bool read_local_ports(PortRange* range, std::vector<bool>* reserved);

// One worker's ports: the ports p of the range with (p - low) mod count == index, reserved ones left out,
// so the workers of one process never pick the same port. A cursor per source address hands them out in
// turn; each source address has the whole share, since its 4-tuples are its own.
class LocalPorts {
 public:
  LocalPorts() = default;
  LocalPorts(PortRange range, const std::vector<bool>& reserved, uint32_t index, uint32_t count,
             size_t source_addresses);

  // The next port of this worker's share for source address `source` (0 when the share is empty).
  uint16_t next(size_t source) {
    if (ports_.empty()) return 0;
    size_t& cursor = cursors_[source];
    if (cursor >= ports_.size()) cursor = 0;
    return ports_[cursor++];
  }
  size_t size() const { return ports_.size(); }
  bool empty() const { return ports_.empty(); }

  // Starts every cursor at `slot` of `slots` along the share: processes of one machine that run different
  // segments (--segment) over the same source addresses start apart instead of colliding port after port.
  void start_at(uint32_t slot, uint32_t slots);

 private:
  std::vector<uint16_t> ports_;
  std::vector<size_t> cursors_;
};

}  // namespace surge::net
