// The HTTP/2 sections of /__surge/stats, summed over every worker:
//   by_protocol   requests_total split by the protocol the request came over: "h2" (the h2 section's
//                 responses) and "http/1.1" (every other counted request, WebSocket upgrades included)
//   h2            connections  connections that spoke HTTP/2 since the start (h2c preface or ALPN "h2")
//                 open         those open now
//                 streams      streams opened by clients (request HEADERS received), answered or not
//                 responses    responses counted in requests_total, the moment their last frame (the one
//                              with END_STREAM) was handed to the session's output
//                 rst_sent     RST_STREAM frames sent;  goaway_sent: GOAWAY frames sent
//                 settings_sent   SETTINGS frames sent, ACKs not counted (1 per connection, more with
//                              --misbehave h2-settings-flood)
//                 no_status_sent  response HEADERS sent without :status (--misbehave h2-no-status)
#include "serve/h2_stats.h"

#include <atomic>
#include <nlohmann/json.hpp>

namespace surge::serve {
namespace {

uint64_t load(const uint64_t& counter) {
  return std::atomic_ref<uint64_t>(const_cast<uint64_t&>(counter)).load(std::memory_order_relaxed);
}

}  // namespace

void add_to(H2Counters& sum, const H2Counters& slot) {
  sum.connections += load(slot.connections);
  sum.closed += load(slot.closed);
  sum.streams += load(slot.streams);
  sum.responses += load(slot.responses);
  sum.rst_sent += load(slot.rst_sent);
  sum.goaway_sent += load(slot.goaway_sent);
  sum.settings_sent += load(slot.settings_sent);
  sum.no_status_sent += load(slot.no_status_sent);
}

nlohmann::ordered_json h2_stats_json(const H2Counters& sum) {
  nlohmann::ordered_json section;
  section["connections"] = sum.connections;
  // A document read mid-update may see a close before its open.
  section["open"] = sum.connections >= sum.closed ? sum.connections - sum.closed : 0;
  section["streams"] = sum.streams;
  section["responses"] = sum.responses;
  section["rst_sent"] = sum.rst_sent;
  section["goaway_sent"] = sum.goaway_sent;
  section["settings_sent"] = sum.settings_sent;
  section["no_status_sent"] = sum.no_status_sent;
  return section;
}

nlohmann::ordered_json by_protocol_json(const H2Counters& sum, uint64_t requests_total) {
  uint64_t h2 = sum.responses <= requests_total ? sum.responses : requests_total;
  return {{"h2", h2}, {"http/1.1", requests_total - h2}};
}

}  // namespace surge::serve
