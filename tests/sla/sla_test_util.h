// Shared by the SLA evaluation tests: a two-phase, two-step plan, SLAs bound to it, and hand-built grids.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "metrics/request_stats.h"
#include "plan/plan.h"
#include "sla/sla.h"

namespace surge::sla {

// Phases a (index 0) and b (1); steps home (column 0) and order (column 1) of scenario web.
inline const plan::Plan& two_phase_plan() {
  static const plan::Plan plan = [] {
    auto loaded = plan::load_plan_string(R"(target: http://127.0.0.1:8080
phases:
  - { name: a, duration: 2s, users: 1 }
  - { name: b, duration: 2s, users: 1 }
scenarios:
  - name: web
    steps:
      - http: { name: home, url: / }
      - http: { name: order, url: /echo }
)",
                                         "p.yaml");
    EXPECT_TRUE(loaded.has_value());
    return loaded ? *loaded : plan::Plan{};
  }();
  return plan;
}

inline Sla make_sla(std::string_view text, std::optional<uint32_t> window_s = std::nullopt,
                    bool abort = false, int64_t delay_ns = 0) {
  auto parsed = parse_expression(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  if (!parsed) return {};
  auto bound = bind_expression(*parsed, two_phase_plan());
  EXPECT_TRUE(bound.has_value()) << text << ": " << (bound ? "" : bound.error().message);
  if (!bound) return {};
  Sla sla = *bound;
  sla.window_s = window_s;
  sla.abort_on_fail = abort;
  sla.delay_ns = delay_ns;
  return sla;
}

constexpr int64_t kMs = 1'000'000;

// Adds to cell (phase, step): `ok` responses of latency_ns (service time a tenth of it) and `timeouts`
// errors.
inline void record(metrics::StatsGrid& grid, size_t phase, size_t step, uint64_t ok, int64_t latency_ns,
                   uint64_t timeouts = 0) {
  metrics::RequestStats& cell = grid.cell(phase, step);
  cell.ok += ok;
  cell.by_error[static_cast<size_t>(metrics::ErrorKind::kTimeout)] += timeouts;
  cell.latency.record_n(latency_ns, ok);
  cell.service_time.record_n(latency_ns / 10, ok);
}

}  // namespace surge::sla
