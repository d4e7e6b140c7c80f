// Whether this machine can hold a plan's connections: the kernel limits that matter (open files, ephemeral
// ports, listen backlogs, memory), read from getrlimit and /proc/sys, and the findings `surge doctor` prints
// and `surge run` warns with. Nothing here changes a limit: it says what to change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plan/plan.h"

namespace surge::machine {

struct SystemLimits {
  uint64_t open_files_soft = 0;  // RLIMIT_NOFILE of this process (surge raises soft to hard at start)
  uint64_t open_files_hard = 0;
  uint64_t nr_open = 0;   // fs.nr_open: the highest hard limit root may set
  uint64_t file_max = 0;  // fs.file-max: open files of the whole system
  uint32_t port_low = 0;  // net.ipv4.ip_local_port_range
  uint32_t port_high = 0;
  uint64_t somaxconn = 0;     // net.core.somaxconn: caps every listen backlog
  uint64_t syn_backlog = 0;   // net.ipv4.tcp_max_syn_backlog
  int64_t tcp_tw_reuse = -1;  // net.ipv4.tcp_tw_reuse (-1: unreadable)
  uint64_t mem_total_bytes = 0;
  uint64_t mem_available_bytes = 0;
  unsigned cores = 0;

  uint64_t ephemeral_ports() const {
    return port_high >= port_low && port_low > 0 ? port_high - port_low + 1 : 0;
  }
};

SystemLimits read_system_limits();

// Files a worker keeps open besides its connections (epoll, pipes, timers, logs, outputs).
constexpr uint64_t kReservedFilesPerWorker = 64;

// The most connections the plan holds at once: virtual users (closed), the user pool (open), connections
// (constant, hold), over its phases; twice that when its scenarios open WebSockets beside HTTP.
uint64_t peak_connections(const plan::Plan& plan);

// Connections one worker process can hold under the hard open-file limit.
uint64_t connections_per_worker(const SystemLimits& limits);
// Workers needed for `connections` (at least 1).
uint32_t workers_needed(const SystemLimits& limits, uint64_t connections);

struct Finding {
  enum class Level { kOk, kAdvice, kFail };
  Level level = Level::kOk;
  std::string topic;  // "open files", "ports", ...
  std::string text;   // what was found, and what to change
};

// Every limit checked against `connections` spread over `workers` processes and `source_addresses` local
// addresses (--source-addrs; 0 means the kernel picks one), in a fixed order.
std::vector<Finding> check_capacity(const SystemLimits& limits, uint64_t connections, uint32_t workers,
                                    size_t source_addresses = 0);

// Source addresses needed so `connections` to one target address:port find ephemeral ports (at least 1).
uint64_t source_addresses_needed(const SystemLimits& limits, uint64_t connections);

// 100000 -> "100,000".
std::string with_thousands(uint64_t value);

}  // namespace surge::machine
