// The HTTP/2 counters of `surge serve` (h2c by prior knowledge, h2 by ALPN): one block per worker slot in the
// shared stats region, written only by that worker, and their "h2" and "by_protocol" sections of
// /__surge/stats (fields defined in h2_stats.cpp).
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>

namespace surge::serve {

// Plain integers in shared memory, incremented with bump() (mcp_stats.h) by the owning worker.
struct H2Counters {
  uint64_t connections;     // connections that spoke HTTP/2 (preface or ALPN), since the start
  uint64_t closed;          // of those, closed since
  uint64_t streams;         // streams a client opened (request HEADERS received)
  uint64_t responses;       // responses counted in requests_total (their END_STREAM frame went out)
  uint64_t rst_sent;        // RST_STREAM frames sent
  uint64_t goaway_sent;     // GOAWAY frames sent
  uint64_t settings_sent;   // SETTINGS frames sent, ACKs excluded
  uint64_t no_status_sent;  // response HEADERS sent without :status (--misbehave h2-no-status)
};

// Adds a worker's counters (relaxed loads) to `sum`.
void add_to(H2Counters& sum, const H2Counters& slot);
// The "h2" section of /__surge/stats.
nlohmann::ordered_json h2_stats_json(const H2Counters& sum);
// The "by_protocol" section: requests_total split into "h2" and "http/1.1".
nlohmann::ordered_json by_protocol_json(const H2Counters& sum, uint64_t requests_total);

}  // namespace surge::serve
