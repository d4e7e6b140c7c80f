// Fault names, validation, and the per-connection choice. The choice hashes instead of drawing from a
// generator so it does not depend on the order in which connections and faults arrive.
#include "proxy/fault.h"

#include <array>
#include <charconv>
#include <string>

namespace surge::proxy {
namespace {

constexpr std::array<std::string_view, 7> kKindNames = {"latency",   "bandwidth", "partition", "reset",
                                                        "close_new", "refuse",    "slow_close"};

// splitmix64's finaliser: every input bit moves every output bit, so nearby ids give unrelated values.
uint64_t mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The shortest text that reads back as the same double ("1.5", not "1.500000").
std::string shortest(double value) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  return error == std::errc() ? std::string(text, end) : "?";
}

bool has_direction(FaultKind kind) {
  return kind != FaultKind::kReset && kind != FaultKind::kCloseNew && kind != FaultKind::kRefuse;
}

core::Unexpected<core::Error> invalid(FaultKind kind, const std::string& why) {
  return core::fail("invalid " + std::string(to_string(kind)) + " fault: " + why);
}

}  // namespace

std::string_view to_string(FaultKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::string_view to_string(Direction direction) {
  switch (direction) {
    case Direction::kUpstream: return "upstream";
    case Direction::kDownstream: return "downstream";
    default: return "both";
  }
}

std::string_view to_string(OnEnd on_end) { return on_end == OnEnd::kDrop ? "drop" : "release"; }

core::Result<void> validate(const FaultSpec& spec) {
  const FaultKind kind = spec.kind;
  if (!(spec.fraction >= 0.0 && spec.fraction <= 1.0)) {  // also rejects NaN
    return invalid(kind, "fraction " + shortest(spec.fraction) + " is outside 0..1");
  }
  if (spec.duration.count() < 0) return invalid(kind, "\"for\" cannot be negative");
  if (kind == FaultKind::kReset && spec.duration.count() != 0) {
    return invalid(kind, "a reset happens once and takes no \"for\"");
  }
  if (!has_direction(kind) && spec.direction != Direction::kBoth) {
    return invalid(kind, "it affects whole connections and takes no direction");
  }
  if (kind == FaultKind::kRefuse && spec.fraction != 1.0) {
    return invalid(kind, "it stops the listener for everyone and takes no fraction");
  }
  if (kind == FaultKind::kLatency) {
    if (spec.latency.count() < 0 || spec.jitter.count() < 0) return invalid(kind, "delays cannot be negative");
    if (spec.latency.count() == 0 && spec.jitter.count() == 0) {
      return invalid(kind, "expected \"latency\" and/or \"jitter\" above 0");
    }
  }
  if (kind == FaultKind::kBandwidth && spec.bytes_per_s == 0) {
    return invalid(kind, "expected \"bytes_per_s\" above 0");
  }
  if (kind == FaultKind::kSlowClose && spec.close_delay.count() <= 0) {
    return invalid(kind, "expected \"delay\" above 0");
  }
  return {};
}

bool is_selected(uint64_t seed, FaultId fault, uint64_t connection, double fraction) {
  if (fraction >= 1.0) return true;
  if (fraction <= 0.0) return false;
  const uint64_t hash = mix(mix(seed ^ mix(fault)) + connection);
  // The top 53 bits as a uniform double in [0, 1).
  return static_cast<double>(hash >> 11) * 0x1.0p-53 < fraction;
}

}  // namespace surge::proxy
