// The capacity findings. Every figure printed is read from this machine at the moment of the call; the
// per-connection memory figure is surge's own budget (docs/performance.md), the kernel's share is named as
// not included rather than guessed.
#include "machine/capacity.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>
#include <variant>

namespace surge::machine {
namespace {

int64_t read_number(const char* path, int64_t fallback) {
  std::ifstream in(path);
  int64_t value = fallback;
  if (!(in >> value)) return fallback;
  return value;
}

// "MemAvailable:   123456 kB" from /proc/meminfo, in bytes.
uint64_t meminfo_bytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  uint64_t kib = 0;
  std::string unit;
  while (in >> name >> kib >> unit) {
    if (name == key + ":") return kib * 1024;
  }
  return 0;
}

bool has_ws_steps(const plan::Plan& plan) {
  for (const plan::Scenario& scenario : plan.scenarios) {
    for (const plan::Step& step : scenario.steps) {
      if (std::holds_alternative<plan::WsStep>(step)) return true;
    }
  }
  return false;
}

Finding ok(std::string topic, std::string text) {
  return {Finding::Level::kOk, std::move(topic), std::move(text)};
}
Finding advice(std::string topic, std::string text) {
  return {Finding::Level::kAdvice, std::move(topic), std::move(text)};
}

Finding open_files(const SystemLimits& limits, uint64_t connections, uint32_t workers) {
  const uint64_t per_worker = connections_per_worker(limits);
  const uint64_t capacity = per_worker * workers;
  if (connections > capacity) {
    std::string text = fmt::format("needs {} connections, {} worker{} × {} available: use --workers {}",
                                   with_thousands(connections), workers, workers == 1 ? "" : "s",
                                   with_thousands(per_worker), workers_needed(limits, connections));
    if (limits.open_files_hard < limits.nr_open) {
      text += fmt::format(
          " (or raise the hard limit, up to fs.nr_open {}: `ulimit -Hn {}` as root, "
          "LimitNOFILE= in a systemd unit, nofile in /etc/security/limits.conf)",
          with_thousands(limits.nr_open), std::min<uint64_t>(limits.nr_open, connections + 1024));
    }
    return {Finding::Level::kFail, "open files", text};
  }
  return ok("open files",
            fmt::format("hard limit {} per process: {} worker{} × {} = {} connections",
                        with_thousands(limits.open_files_hard), workers, workers == 1 ? "" : "s",
                        with_thousands(per_worker), with_thousands(capacity)));
}

Finding system_files(const SystemLimits& limits, uint64_t connections) {
  // A loopback test holds both ends on this machine: two files per connection.
  if (limits.file_max > 0 && 2 * connections > limits.file_max) {
    return advice("system files",
                  fmt::format("fs.file-max {} is below 2 × {} (both ends on one machine): "
                              "`sysctl -w fs.file-max={}`",
                              with_thousands(limits.file_max), with_thousands(connections), 4 * connections));
  }
  return ok("system files", fmt::format("fs.file-max {}", with_thousands(limits.file_max)));
}

// A connection is one 4-tuple: towards one target address:port, each source address has the ephemeral range
// of ports, and each source address has all of them (net/local_ports.h).
Finding ports(const SystemLimits& limits, uint64_t connections, size_t source_addresses) {
  const uint64_t ports = limits.ephemeral_ports();
  std::string range = fmt::format(
      "net.ipv4.ip_local_port_range {}-{}: {} ports per source address and target "
      "address:port",
      limits.port_low, limits.port_high, with_thousands(ports));
  if (source_addresses > 0) {
    range += fmt::format(" × {} source address{} = {}", source_addresses, source_addresses == 1 ? "" : "es",
                         with_thousands(ports * source_addresses));
  }
  if (connections <= ports * std::max<size_t>(1, source_addresses)) return ok("ports", range);
  const uint64_t needed = source_addresses_needed(limits, connections);
  return advice("ports",
                range + fmt::format("; {} connections to one target address:port need {} source "
                                    "addresses: `--source-addrs 127.0.0.2-127.0.0.{}` for a loopback "
                                    "target (every 127.x.y.z is local), or widen the range "
                                    "(`sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\"`), or "
                                    "spread the load over several target addresses or ports",
                                    with_thousands(connections), needed, needed + 1));
}

Finding backlog(const SystemLimits& limits, uint64_t connections) {
  std::string text = fmt::format("net.core.somaxconn {}, net.ipv4.tcp_max_syn_backlog {}",
                                 with_thousands(limits.somaxconn), with_thousands(limits.syn_backlog));
  if (connections >= 10000 && (limits.somaxconn < 4096 || limits.syn_backlog < 4096)) {
    return advice("backlog",
                  text +
                      ": a target taking thousands of connects per second drops SYNs above "
                      "these (connects then take 1 s or more): `sysctl -w net.core.somaxconn=65535 "
                      "net.ipv4.tcp_max_syn_backlog=65535` on the target's machine");
  }
  return ok("backlog", text);
}

Finding time_wait(const SystemLimits& limits) {
  if (limits.tcp_tw_reuse == 0) {
    return advice("time-wait",
                  "net.ipv4.tcp_tw_reuse 0: connections the generator closes keep their port for "
                  "60 s; with many reconnects the ports run out (errors of kind address): "
                  "`sysctl -w net.ipv4.tcp_tw_reuse=1`");
  }
  return ok("time-wait", fmt::format("net.ipv4.tcp_tw_reuse {}", limits.tcp_tw_reuse));
}

Finding memory(const SystemLimits& limits, uint64_t connections) {
  // surge's own budget: under 1 KB of user space per idle connection (issue budget, docs/performance.md).
  const uint64_t generator = connections * 1024;
  std::string text = fmt::format(
      "{:.1f} GiB available of {:.1f} GiB; surge needs about {:.1f} MiB for {} "
      "idle connections (kernel socket memory not included)",
      static_cast<double>(limits.mem_available_bytes) / (1 << 30),
      static_cast<double>(limits.mem_total_bytes) / (1 << 30), static_cast<double>(generator) / (1 << 20),
      with_thousands(connections));
  if (limits.mem_available_bytes > 0 && generator > limits.mem_available_bytes / 2) {
    return advice("memory", text + ": less than twice that is free");
  }
  return ok("memory", text);
}

}  // namespace

SystemLimits read_system_limits() {
  SystemLimits limits;
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    limits.open_files_soft = files.rlim_cur;
    limits.open_files_hard = files.rlim_max;
  }
  limits.nr_open = static_cast<uint64_t>(read_number("/proc/sys/fs/nr_open", 0));
  limits.file_max = static_cast<uint64_t>(read_number("/proc/sys/fs/file-max", 0));
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range >> limits.port_low >> limits.port_high;
  limits.somaxconn = static_cast<uint64_t>(read_number("/proc/sys/net/core/somaxconn", 0));
  limits.syn_backlog = static_cast<uint64_t>(read_number("/proc/sys/net/ipv4/tcp_max_syn_backlog", 0));
  limits.tcp_tw_reuse = read_number("/proc/sys/net/ipv4/tcp_tw_reuse", -1);
  limits.mem_total_bytes = meminfo_bytes("MemTotal");
  limits.mem_available_bytes = meminfo_bytes("MemAvailable");
  limits.cores = std::max(1u, std::thread::hardware_concurrency());
  return limits;
}

uint64_t peak_connections(const plan::Plan& plan) {
  double peak = 0;
  for (const plan::Phase& phase : plan.phases) {
    peak = std::max({peak, phase.users.from, phase.users.to, static_cast<double>(phase.max_users),
                     static_cast<double>(phase.connections)});
  }
  auto connections = static_cast<uint64_t>(peak + 0.5);
  return has_ws_steps(plan) ? 2 * connections : connections;
}

uint64_t connections_per_worker(const SystemLimits& limits) {
  return limits.open_files_hard > kReservedFilesPerWorker ? limits.open_files_hard - kReservedFilesPerWorker
                                                          : 0;
}

uint32_t workers_needed(const SystemLimits& limits, uint64_t connections) {
  const uint64_t per_worker = std::max<uint64_t>(1, connections_per_worker(limits));
  return static_cast<uint32_t>(std::max<uint64_t>(1, (connections + per_worker - 1) / per_worker));
}

uint64_t source_addresses_needed(const SystemLimits& limits, uint64_t connections) {
  const uint64_t ports = std::max<uint64_t>(1, limits.ephemeral_ports());
  return std::max<uint64_t>(1, (connections + ports - 1) / ports);
}

std::vector<Finding> check_capacity(const SystemLimits& limits, uint64_t connections, uint32_t workers,
                                    size_t source_addresses) {
  workers = std::max(1u, workers);
  return {open_files(limits, connections, workers),
          system_files(limits, connections),
          ports(limits, connections, source_addresses),
          backlog(limits, connections),
          time_wait(limits),
          memory(limits, connections)};
}

std::string with_thousands(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace surge::machine
