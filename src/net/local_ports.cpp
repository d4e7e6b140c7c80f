// Reading the kernel's local port settings and dealing the range between workers.
#include "net/local_ports.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>

namespace surge::net {
namespace {

constexpr size_t kPorts = 65536;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// A port number filling all of `text`.
bool parse_port(std::string_view text, uint32_t* port) {
  text = trim(text);
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *port);
  return error == std::errc() && end == text.data() + text.size() && *port < kPorts;
}

bool read_file(const char* path, std::string* text) {
  std::ifstream in(path);
  if (!in) return false;
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

bool parse_port_range(std::string_view text, PortRange* range) {
  text = trim(text);
  size_t gap = text.find_first_of(" \t");
  if (gap == std::string_view::npos) return false;
  uint32_t low = 0, high = 0;
  if (!parse_port(text.substr(0, gap), &low) || !parse_port(text.substr(gap), &high)) return false;
  if (low == 0 || low > high) return false;
  *range = {static_cast<uint16_t>(low), static_cast<uint16_t>(high)};
  return true;
}

bool parse_reserved_ports(std::string_view text, std::vector<bool>* reserved) {
  std::vector<bool> marks(kPorts, false);
  text = trim(text);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t dash = item.find('-');
    uint32_t low = 0, high = 0;
    if (dash == std::string_view::npos) {
      if (!parse_port(item, &low)) return false;
      high = low;
    } else if (!parse_port(item.substr(0, dash), &low) || !parse_port(item.substr(dash + 1), &high) || low > high) {
      return false;
    }
    for (uint32_t port = low; port <= high; ++port) marks[port] = true;
  }
  *reserved = std::move(marks);
  return true;
}

bool read_local_ports(PortRange* range, std::vector<bool>* reserved) {
  std::string text;
  if (!read_file("/proc/sys/net/ipv4/ip_local_port_range", &text) || !parse_port_range(text, range)) return false;
  // Missing or unreadable: nothing is reserved (older kernels, some containers).
  if (!read_file("/proc/sys/net/ipv4/ip_local_reserved_ports", &text) || !parse_reserved_ports(text, reserved)) {
    reserved->assign(kPorts, false);
  }
  return true;
}

LocalPorts::LocalPorts(PortRange range, const std::vector<bool>& reserved, uint32_t index, uint32_t count,
                       size_t source_addresses)
    : cursors_(source_addresses, 0) {
  if (count == 0 || range.low == 0 || range.low > range.high) return;
  for (uint32_t port = range.low + index; port <= range.high; port += count) {
    if (port < reserved.size() && reserved[port]) continue;
    ports_.push_back(static_cast<uint16_t>(port));
  }
}

void LocalPorts::start_at(uint32_t slot, uint32_t slots) {
  if (slots == 0 || ports_.empty()) return;
  size_t start = ports_.size() * (slot % slots) / slots;
  for (size_t& cursor : cursors_) cursor = start;
}

}  // namespace surge::net
