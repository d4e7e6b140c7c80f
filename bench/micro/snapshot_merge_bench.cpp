// The coordinator's side of a snapshot: decode one worker's framed second and add it into the totals
// (merge/collector.cpp does this per worker per second, and again into that second's grid).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "metrics/snapshot.h"
#include "templating/rng.h"

namespace {

using surge::metrics::Snapshot;

constexpr size_t kPhases = 2;
constexpr size_t kSteps = 3;

// One busy second of one worker: 3 steps of the running phase with 20,000 responses each, latencies log-normal
// around 400 µs (about 400 distinct histogram buckets each).
Snapshot busy_second() {
  Snapshot snapshot(kPhases, kSteps);
  snapshot.sequence = 1;
  snapshot.active_users = 50;
  surge::templating::Rng rng(11);
  for (size_t step = 0; step < kSteps; ++step) {
    auto& cell = snapshot.grid.cell(0, step);
    for (int i = 0; i < 20'000; ++i) {
      const double u1 = rng.unit() + 1e-12, u2 = rng.unit();
      const auto ns = static_cast<int64_t>(400'000 * std::exp(0.8 * std::sqrt(-2 * std::log(u1)) *
                                                                std::cos(6.283185307179586 * u2)));
      cell.latency.record(ns);
      cell.service_time.record(ns);
      ++cell.ok;
      ++cell.by_status[200];
      cell.bytes_sent += 40;
      cell.bytes_received += 150;
    }
  }
  return snapshot;
}

void BM_SnapshotEncode(benchmark::State& state) {
  const Snapshot snapshot = busy_second();
  std::string frame;
  for (auto _ : state) {
    frame.clear();
    surge::metrics::encode_frame(snapshot, frame);
    benchmark::DoNotOptimize(frame.data());
  }
  state.counters["frame_bytes"] = double(frame.size());
}
BENCHMARK(BM_SnapshotEncode);

void BM_SnapshotDecodeAndMerge(benchmark::State& state) {
  std::string frame;
  surge::metrics::encode_frame(busy_second(), frame);
  const std::string_view body = std::string_view(frame).substr(4);  // after the 4-byte length prefix
  Snapshot scratch(kPhases, kSteps);
  surge::metrics::StatsGrid totals(kPhases, kSteps);
  for (auto _ : state) {
    if (!surge::metrics::decode_frame(body, scratch)) {
      state.SkipWithError("frame did not decode");
      break;
    }
    totals.add(scratch.grid);
  }
  benchmark::DoNotOptimize(totals.total().ok);
}
BENCHMARK(BM_SnapshotDecodeAndMerge);

}  // namespace
