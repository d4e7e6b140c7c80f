// Histogram: record() is on every response of the hot path (O(1), no allocation after the first sample);
// value_at_percentile() runs per second per cell in the coordinator, and once per percentile in reports.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "metrics/histogram.h"
#include "templating/rng.h"

namespace {

using surge::metrics::Histogram;

// Latencies shaped like a loopback run: log-normal around 400 µs with a tail to tens of ms. Precomputed, so
// the benchmark measures the histogram, not the random generator.
std::vector<int64_t> latencies(size_t count) {
  surge::templating::Rng rng(7);
  std::vector<int64_t> values(count);
  for (int64_t& v : values) {
    const double u1 = rng.unit() + 1e-12, u2 = rng.unit();
    const double normal = std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    v = static_cast<int64_t>(400'000 * std::exp(0.8 * normal));
  }
  return values;
}

void BM_HistogramRecord(benchmark::State& state) {
  const std::vector<int64_t> values = latencies(1 << 16);
  Histogram histogram;
  size_t i = 0;
  for (auto _ : state) {
    histogram.record(values[i++ & (values.size() - 1)]);
  }
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord);

// p50, p90, p99, p99.9 and max over a histogram of a million samples: what a summary line asks for.
void BM_HistogramPercentiles(benchmark::State& state) {
  Histogram histogram;
  for (int64_t v : latencies(1'000'000)) histogram.record(v);
  for (auto _ : state) {
    for (double p : {50.0, 90.0, 99.0, 99.9, 100.0}) benchmark::DoNotOptimize(histogram.value_at_percentile(p));
  }
  state.SetItemsProcessed(state.iterations() * 5);
}
BENCHMARK(BM_HistogramPercentiles);

}  // namespace
