// ArrivalSchedule: exact counts and times in closed form (no clock involved).
#include "load/arrival_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

namespace surge::load {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(ArrivalSchedule, ConstantRateSpacesArrivalsEvenly) {
  ArrivalSchedule schedule(2000, 2000, 10 * kSec);
  EXPECT_EQ(schedule.total(), 20000u);
  EXPECT_EQ(schedule.offset_ns(0), 0);
  EXPECT_EQ(schedule.offset_ns(1), 500'000);
  EXPECT_EQ(schedule.offset_ns(19999), 9'999'500'000);
  EXPECT_EQ(schedule.offset_ns(20000), -1);
}

TEST(ArrivalSchedule, RampCountIsTheAreaUnderTheRateLine) {
  ArrivalSchedule schedule(100, 1000, 10 * kSec);  // (100 + 1000) / 2 × 10 s
  EXPECT_EQ(schedule.total(), 5500u);
}

TEST(ArrivalSchedule, RampArrivalsFollowTheIntegratedRate) {
  ArrivalSchedule schedule(100, 1000, 10 * kSec);
  // In second s the line gives 100 + 90·(2s+1)/2 arrivals: 145, 235, ..., 955.
  for (int second = 0; second < 10; ++second) {
    uint64_t count = 0;
    for (uint64_t k = 0; k < schedule.total(); ++k) {
      int64_t t = schedule.offset_ns(k);
      count += t >= second * kSec && t < (second + 1) * kSec;
    }
    EXPECT_EQ(count, static_cast<uint64_t>(145 + 90 * second)) << "second " << second;
  }
}

TEST(ArrivalSchedule, RampDownEndsAtTheArea) {
  ArrivalSchedule schedule(1000, 0, 2 * kSec);
  EXPECT_EQ(schedule.total(), 1000u);
  int64_t last = schedule.offset_ns(999);
  EXPECT_GT(last, 0);
  EXPECT_LT(last, 2 * kSec);
  for (uint64_t k = 1; k < 1000; ++k) EXPECT_GT(schedule.offset_ns(k), schedule.offset_ns(k - 1));
}

TEST(ArrivalSchedule, FractionalAreaRoundsUpBecauseArrivalZeroIsAtTheStart) {
  ArrivalSchedule schedule(0.5, 0.5, 3 * kSec);  // arrivals at 0 s and 2 s: N(3 s) = 1.5
  EXPECT_EQ(schedule.total(), 2u);
  EXPECT_EQ(schedule.offset_ns(1), 2 * kSec);
}

TEST(ArrivalSchedule, ZeroRateHasNoArrivals) {
  ArrivalSchedule schedule(0, 0, 5 * kSec);
  EXPECT_EQ(schedule.total(), 0u);
  EXPECT_EQ(schedule.offset_ns(0), -1);
}

TEST(ArrivalSchedule, ArrivalsBeforeCountsTheSlotsThatPassed) {
  ArrivalSchedule schedule(1000, 1000, 2 * kSec);  // arrival k at k ms
  EXPECT_EQ(schedule.arrivals_before(-5), 0u);
  EXPECT_EQ(schedule.arrivals_before(0), 0u);
  EXPECT_EQ(schedule.arrivals_before(1), 1u);           // arrival 0 at 0 ns
  EXPECT_EQ(schedule.arrivals_before(1'500'000), 2u);   // arrivals 0 and 1
  EXPECT_EQ(schedule.arrivals_before(999'500'000), 1000u);
  EXPECT_EQ(schedule.arrivals_before(2 * kSec), 2000u);
  EXPECT_EQ(schedule.arrivals_before(9 * kSec), 2000u);
}

TEST(ArrivalSchedule, ArrivalsBeforeFollowsARamp) {
  ArrivalSchedule schedule(100, 1000, 10 * kSec);  // 145 in the first second, 145 + 235 by the second
  EXPECT_EQ(schedule.arrivals_before(kSec), 145u);
  EXPECT_EQ(schedule.arrivals_before(2 * kSec), 380u);
  for (uint64_t k : {1ull, 144ull, 2000ull, 5499ull}) {
    EXPECT_EQ(schedule.arrivals_before(schedule.offset_ns(k) + 1), k + 1) << "just after arrival " << k;
  }
}

}  // namespace
}  // namespace surge::load
