// The control API's JSON: a fault from a POST body, and faults and stats as answers. Control requests are
// rare and off the relay path, so these build strings freely.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "proxy/fault.h"
#include "proxy/proxy.h"

namespace surge::proxy {

// {"kind":"latency","latency":"100ms","jitter":"10ms","fraction":0.5,"direction":"both","for":"5s"}.
// Fields by kind (all but kind optional): every kind but reset and refuse takes fraction; latency,
// bandwidth, partition and slow_close take direction; every kind but reset takes "for". Then latency:
// latency, jitter; bandwidth: bytes_per_s (an integer); partition: on_end ("release" or "drop"); slow_close:
// delay. Durations are strings in surge's syntax ("250us", "1.5s"). Errors are one line for a 400 answer:
// the JSON parser's position, an unknown kind, a field the kind does not take (listing those it does), a
// value of the wrong type, and validate()'s checks.
core::Result<FaultSpec> parse_fault_json(std::string_view text);

// One active fault as a JSON object: the fields parse_fault_json reads (defaults included), plus id,
// remaining_ms (when it has a duration) and connections_affected.
std::string fault_to_json(const FaultInfo& fault);
// {"faults":[...]} in the order they were added.
std::string faults_to_json(const std::vector<FaultInfo>& faults);
// Every ProxyStats counter under its own name, plus "listening" (false while refuse is active).
std::string stats_to_json(const ProxyStats& stats, bool is_listening);

// The exact duration in the largest unit that divides it: "5s", "100ms", "250us", "7ns", "0".
std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace surge::proxy
