// `arrivals: poisson` on an open phase: exactly the planned count (a Poisson process conditioned on it), gaps
// with a coefficient of variation of 1 where even spacing has 0, ramps through the cumulative rate, the same
// schedule for the same seed, and W workers dealing one global schedule. The generator alone, then the engine
// in simulated time against `surge serve`'s own counts (engine_harness.h).
#include "load/poisson_arrivals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine_harness.h"

namespace surge::load {
namespace {

using namespace std::chrono_literals;
using testing::EngineRun;
using testing::open_phase;
using testing::ServeTarget;
using testing::SimulatedLoop;

constexpr int64_t kSec = 1'000'000'000;

std::vector<int64_t> offsets(PoissonArrivals arrivals) {
  std::vector<int64_t> out;
  for (int64_t offset; (offset = arrivals.offset_ns(out.size())) >= 0;) out.push_back(offset);
  return out;
}

// Standard deviation over mean of the gaps between consecutive arrivals.
double gap_variation(const std::vector<int64_t>& times) {
  std::vector<double> gaps;
  for (size_t i = 1; i < times.size(); ++i) gaps.push_back(static_cast<double>(times[i] - times[i - 1]));
  double mean = 0, square = 0;
  for (double gap : gaps) mean += gap;
  mean /= static_cast<double>(gaps.size());
  for (double gap : gaps) square += (gap - mean) * (gap - mean);
  return std::sqrt(square / static_cast<double>(gaps.size())) / mean;
}

TEST(PoissonArrivals, DrawExactlyThePlannedCountInOrderInsideThePhase) {
  std::vector<int64_t> times = offsets(PoissonArrivals(ArrivalSchedule(1000, 1000, 10 * kSec), 1));
  ASSERT_EQ(times.size(), 10'000u) << "1,000/s for 10 s";
  EXPECT_GE(times.front(), 0);
  EXPECT_LT(times.back(), 10 * kSec);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
}

TEST(PoissonArrivals, HaveExponentialGapsWhereUniformOnesAreEven) {
  std::vector<int64_t> poisson = offsets(PoissonArrivals(ArrivalSchedule(1000, 1000, 10 * kSec), 1));
  ArrivalSchedule even(1000, 1000, 10 * kSec);
  std::vector<int64_t> uniform;
  for (uint64_t k = 0; k < even.total(); ++k) uniform.push_back(even.offset_ns(k));
  ASSERT_EQ(poisson.size(), 10'000u);
  EXPECT_NEAR(gap_variation(poisson), 1.0, 0.05) << "an exponential's standard deviation is its mean";
  EXPECT_LT(gap_variation(uniform), 1e-6) << "every gap 1 ms";
}

TEST(PoissonArrivals, GiveTheSameScheduleForTheSameSeedAndAnotherForAnother) {
  ArrivalSchedule schedule(500, 500, 4 * kSec);
  std::vector<int64_t> first = offsets(PoissonArrivals(schedule, phase_seed(7, 0)));
  EXPECT_EQ(offsets(PoissonArrivals(schedule, phase_seed(7, 0))), first);
  EXPECT_NE(offsets(PoissonArrivals(schedule, phase_seed(8, 0))), first) << "another --seed";
  EXPECT_NE(offsets(PoissonArrivals(schedule, phase_seed(7, 1))), first) << "another phase";
}

TEST(PoissonArrivals, FollowARampThroughItsCumulativeRate) {
  // 100/s → 1,000/s over 10 s: 5,500 arrivals, N(5 s) = 100·5 + 45·25 = 1,625 expected in the first half
  // (binomial, standard deviation 34) where even spacing puts exactly 1,625.
  std::vector<int64_t> times = offsets(PoissonArrivals(ArrivalSchedule(100, 1000, 10 * kSec), 3));
  ASSERT_EQ(times.size(), 5500u);
  auto first_half = std::count_if(times.begin(), times.end(), [](int64_t t) { return t < 5 * kSec; });
  EXPECT_NEAR(static_cast<double>(first_half), 1625.0, 4 * 34.0);
  auto last_second = std::count_if(times.begin(), times.end(), [](int64_t t) { return t >= 9 * kSec; });
  EXPECT_NEAR(static_cast<double>(last_second), 955.0, 4 * 29.0) << "N(10 s) − N(9 s); sd sqrt(5500·p·(1−p))";
}

TEST(PoissonArrivals, SkipOverTheArrivalsOfOtherWorkers) {
  ArrivalSchedule schedule(1000, 1000, 1 * kSec);
  std::vector<int64_t> all = offsets(PoissonArrivals(schedule, 5));
  PoissonArrivals worker(schedule, 5);
  for (uint64_t k = 1; k < all.size(); k += 3) EXPECT_EQ(worker.offset_ns(k), all[k]) << "arrival " << k;
}

std::vector<uint64_t> per_second(const ServeTarget& serve, size_t seconds) {
  nlohmann::json counts = serve.stats()["per_second"];
  std::vector<uint64_t> out;
  for (size_t s = 0; s < seconds; ++s) out.push_back(s < counts.size() ? counts[s].get<uint64_t>() : 0);
  return out;
}

plan::Phase poisson_phase(std::chrono::milliseconds duration, double from, double to, uint64_t max_users) {
  plan::Phase phase = open_phase(duration, from, to, max_users);
  phase.arrivals = plan::Arrivals::kPoisson;
  return phase;
}

// One worker of `segment` running 10 s of Poisson arrivals at 1,000/s with --seed `seed`: serve's counts per
// second.
std::vector<uint64_t> run_poisson(uint64_t seed, Segment segment = {0, 1}) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {poisson_phase(10s, 1000, 1000, 1000)},
                {.segment = segment, .schedule_slack = 0ns});
  run.context().run_seed = seed;
  run.start();
  run.run_until_done();
  EXPECT_TRUE(run.done());
  EXPECT_EQ(run.grid().dropped_iterations(0), 0u);
  EXPECT_EQ(run.grid().total().ok, serve.requests());
  return per_second(serve, 11);
}

uint64_t sum(const std::vector<uint64_t>& counts) {
  uint64_t total = 0;
  for (uint64_t count : counts) total += count;
  return total;
}

TEST(PoissonOpenModel, StartsExactlyThePlannedCountWithUnevenSeconds) {
  std::vector<uint64_t> counts = run_poisson(1);
  EXPECT_EQ(sum(counts), 10'000u) << "serve's count: 1,000/s for 10 s";
  EXPECT_EQ(counts[10], 0u) << "nothing after the phase";
  EXPECT_NE(counts, (std::vector<uint64_t>{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 0}))
      << "Poisson seconds vary around 1,000 (standard deviation about 30)";
  for (size_t s = 0; s < 10; ++s)
    EXPECT_NEAR(static_cast<double>(counts[s]), 1000.0, 150.0) << "second " << s;
}

TEST(PoissonOpenModel, RepeatsTheSameSecondsForTheSameSeed) {
  std::vector<uint64_t> first = run_poisson(42);
  EXPECT_EQ(run_poisson(42), first);
  EXPECT_NE(run_poisson(43), first);
}

TEST(PoissonOpenModel, TwoWorkersDealOneScheduleBetweenThem) {
  std::vector<uint64_t> whole = run_poisson(9);
  std::vector<uint64_t> first = run_poisson(9, {0, 2});
  std::vector<uint64_t> second = run_poisson(9, {1, 2});
  EXPECT_EQ(sum(first), 5000u);
  EXPECT_EQ(sum(second), 5000u);
  std::vector<uint64_t> together;
  for (size_t s = 0; s < whole.size(); ++s) together.push_back(first[s] + second[s]);
  EXPECT_EQ(together, whole) << "the halves of one worker's schedule, second by second";
}

TEST(PoissonOpenModel, ARampStartsTheAreaUnderItsLine) {
  SimulatedLoop loop;
  ServeTarget serve(*loop);
  EngineRun run(*loop, serve.url(), {poisson_phase(10s, 100, 1000, 1000)}, {.schedule_slack = 0ns});
  run.start();
  run.run_until_done();
  ASSERT_TRUE(run.done());
  EXPECT_EQ(serve.requests(), 5500u) << "(100 + 1,000)/2 × 10 s";
  std::vector<uint64_t> counts = per_second(serve, 10);
  EXPECT_LT(counts[0], counts[9]) << "145 expected in the first second, 955 in the last";
}

}  // namespace
}  // namespace surge::load
