// The X-Cache sequence: exact hit counts from the closed form floor(N·R + 1/2), and the Bresenham bound on
// every window, so the server's truth is known without a random draw.
#include "serve/api_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace surge::serve {
namespace {

int hits_in(CacheSequence& sequence, int n) {
  int hits = 0;
  for (int i = 0; i < n; ++i) hits += sequence.next() == CacheOutcome::kHit ? 1 : 0;
  return hits;
}

std::string pattern(double ratio, int n) {
  CacheSequence sequence(ratio);
  std::string out;
  for (int i = 0; i < n; ++i) out += sequence.next() == CacheOutcome::kHit ? 'H' : 'M';
  return out;
}

TEST(ApiCacheSequence, GivesEightHitsInTheFirstTenAtPointEight) {
  // Accumulator 0.5 + k·0.8: a hit each time it passes a whole number.
  EXPECT_EQ(pattern(0.8, 10), "HHMHHHHMHH");
}

TEST(ApiCacheSequence, GivesEightHundredHitsInTheFirstThousandAtPointEight) {
  CacheSequence sequence(0.8);
  EXPECT_EQ(hits_in(sequence, 1000), 800);
}

TEST(ApiCacheSequence, NeverHitsAtZero) {
  CacheSequence sequence(0.0);
  EXPECT_EQ(hits_in(sequence, 1000), 0);
}

TEST(ApiCacheSequence, AlwaysHitsAtOne) {
  CacheSequence sequence(1.0);
  EXPECT_EQ(hits_in(sequence, 1000), 1000);
}

TEST(ApiCacheSequence, RoundsHalfUpOverTheFirstN) {
  EXPECT_EQ(pattern(0.5, 4), "HMHM");  // floor(N/2 + 1/2) = ceil(N/2)
  CacheSequence third(1.0 / 3.0);
  EXPECT_EQ(hits_in(third, 3), 1);  // a ratio kept in parts per billion still gives 1 of 3
  CacheSequence odd(0.123);
  EXPECT_EQ(hits_in(odd, 1001), 123);  // floor(123.123 + 0.5)
}

TEST(ApiCacheSequence, EveryWindowHoldsTheFloorOrTheCeilingOfItsShare) {
  std::string outcomes = pattern(0.8, 2000);
  for (size_t size : {7u, 10u, 33u, 1000u}) {
    size_t floor_hits = size * 8 / 10, ceil_hits = (size * 8 + 9) / 10;
    for (size_t start = 0; start + size <= outcomes.size(); ++start) {
      size_t hits = 0;
      for (size_t i = start; i < start + size; ++i) hits += outcomes[i] == 'H' ? 1 : 0;
      ASSERT_TRUE(hits == floor_hits || hits == ceil_hits)
          << "window " << start << "+" << size << ": " << hits;
    }
  }
}

TEST(ApiCacheSequence, ClampsRatiosOutsideTheRange) {
  CacheSequence above(1.5), below(-0.5);
  EXPECT_EQ(hits_in(above, 100), 100);
  EXPECT_EQ(hits_in(below, 100), 0);
}

}  // namespace
}  // namespace surge::serve
