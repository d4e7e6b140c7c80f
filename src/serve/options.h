// What `surge serve` was asked to do: where to listen, how many worker processes, and the base delay.
// Filled by the command line (cli/serve_command.cpp) or directly by tests; validated there, not here.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace surge::serve {

struct ServeOptions {
  std::string address = "127.0.0.1";  // numeric IPv4 or IPv6 address, no DNS
  uint16_t port = 8080;               // 0 picks a free port; the listening line says which
  int workers = 1;                    // processes sharing the port with SO_REUSEPORT; 1 = no fork
  std::chrono::nanoseconds delay{0};  // added to every counted request's response time (not /__surge/*)
};

}  // namespace surge::serve
