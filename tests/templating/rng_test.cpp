// Rng: reproducible from a seed, unbiased bounded draws, unit interval, distinct derived streams.
#include "templating/rng.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace surge::templating {
namespace {

TEST(Rng, TheSameSeedGivesTheSameSequence) {
  Rng a(42);
  Rng b(42);
  Rng c(43);
  std::vector<uint64_t> from_a, from_b, from_c;
  for (int i = 0; i < 100; ++i) {
    from_a.push_back(a.next());
    from_b.push_back(b.next());
    from_c.push_back(c.next());
  }
  EXPECT_EQ(from_a, from_b);
  EXPECT_NE(from_a, from_c);
}

TEST(Rng, SeedZeroStillProducesVaryingOutput) {
  Rng rng(0);
  std::set<uint64_t> values;
  for (int i = 0; i < 100; ++i) values.insert(rng.next());
  EXPECT_EQ(values.size(), 100u);
}

TEST(Rng, UniformStaysBelowTheBoundAndFillsItEvenly) {
  Rng rng(7);
  std::vector<int> counts(10);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t value = rng.uniform(10);
    ASSERT_LT(value, 10u);
    ++counts[value];
  }
  for (int count : counts) EXPECT_NEAR(count, 10000, 475);  // 5 standard deviations
  EXPECT_EQ(rng.uniform(0), 0u);
  EXPECT_EQ(rng.uniform(1), 0u);
}

TEST(Rng, UnitIsInsideTheHalfOpenInterval) {
  Rng rng(3);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double value = rng.unit();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
    sum += value;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);  // the mean's standard deviation is 0.0009
}

TEST(DeriveSeed, GivesEachStreamItsOwnSequence) {
  std::set<uint64_t> firsts;
  for (uint64_t stream = 0; stream < 64; ++stream) firsts.insert(Rng(derive_seed(5, stream)).next());
  EXPECT_EQ(firsts.size(), 64u);
  EXPECT_EQ(derive_seed(5, 3), derive_seed(5, 3));
  EXPECT_NE(derive_seed(5, 3), derive_seed(6, 3));
}

}  // namespace
}  // namespace surge::templating
