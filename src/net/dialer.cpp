// Where a worker's connects come from: its source addresses in turn, and its own share of the local ports.
#include "net/dialer.h"

#include "net/socket.h"

namespace surge::net {

int Dialer::start_connect(size_t target, int* err) {
  int fd = start_connect_from_share(target, err);
  if (fd >= 0 && kernel_receive_times) enable_receive_timestamps(fd);
  return fd;
}

int Dialer::start_connect_from_share(size_t target, int* err) {
  const SocketAddress& address = targets_[target];
  const SocketAddress* source = next_source_address();
  if (!local_ports.empty()) {
    size_t slot = target;
    if (source != nullptr) {
      slot = static_cast<size_t>(source - sources_.data());
    } else if (target < routed_sources.size() && routed_sources[target].length != 0) {
      source = &routed_sources[target];
    }
    if (source != nullptr) {
      for (int attempt = 0; attempt < kPortTries; ++attempt) {
        const int fd = start_connect_from_port(address, err, *source, local_ports.next(slot));
        if (fd != kPortTaken) return fd;
        ++ports_taken;
      }
    }
  }
  // A routed source only picks the port's cursor: the kernel binds the address itself (no bind syscall).
  return net::start_connect(address, err, sources_.empty() ? nullptr : source);
}

const SocketAddress* Dialer::next_source_address() {
  if (sources_.empty()) return nullptr;
  if (source_cursor >= sources_.size()) source_cursor = 0;
  return &sources_[source_cursor++];
}

}  // namespace surge::net
