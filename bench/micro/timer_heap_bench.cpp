// TimerHeap: every connection and every paced user keeps a timer armed (timeouts, think time, arrivals), so
// each request re-arms one; expire() fires the due ones at each loop wakeup.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "core/timer_heap.h"
#include "templating/rng.h"

namespace {

using surge::core::Timer;
using surge::core::TimerHeap;

struct CountingTimer final : Timer {
  void on_timer() override { ++fired; }
  uint64_t fired = 0;
};

// Re-arming one timer of n armed ones to a later deadline: what a request's timeout does per response.
void BM_TimerReschedule(benchmark::State& state) {
  const size_t n = size_t(state.range(0));
  std::vector<CountingTimer> timers(n);
  TimerHeap heap(n);
  surge::templating::Rng rng(3);
  int64_t now = 0;
  for (auto& t : timers) heap.schedule(t, int64_t(rng.uniform(1'000'000'000)));
  size_t i = 0;
  for (auto _ : state) {
    now += 1'000;
    heap.schedule(timers[i], now + 1'000'000'000 + int64_t(rng.uniform(1'000'000)));
    i = i + 1 == n ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TimerReschedule)->Arg(50)->Arg(10'000);

// Insert n timers with random deadlines, then expire them all in 100 loop wakeups: per timer, one insert and
// one expiry (the open model's arrival timers).
void BM_TimerInsertExpire(benchmark::State& state) {
  const size_t n = size_t(state.range(0));
  std::vector<CountingTimer> timers(n);
  std::vector<int64_t> deadlines(n);
  surge::templating::Rng rng(5);
  for (int64_t& d : deadlines) d = int64_t(rng.uniform(1'000'000'000));
  TimerHeap heap(n);
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) heap.schedule(timers[i], deadlines[i]);
    for (int64_t now = 10'000'000; now <= 1'000'000'000; now += 10'000'000) heap.expire(now);
    if (!heap.empty()) {
      state.SkipWithError("timers left after the last deadline");
      break;
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(n));
}
BENCHMARK(BM_TimerInsertExpire)->Arg(50)->Arg(10'000);

}  // namespace
