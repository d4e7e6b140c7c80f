// A small, fast, seedable random generator for the hot path: xoshiro256** (Blackman & Vigna), seeded through
// splitmix64 so any 64-bit seed, 0 included, gives a well-mixed state. One per worker; not thread-safe.
#pragma once

#include <cstdint>

namespace surge::templating {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) word = splitmix64(seed);
  }

  // 64 uniformly distributed bits.
  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), without modulo bias (draws that fall in the short last block are redrawn, which
  // happens with probability < bound / 2^64). bound 0 returns 0.
  uint64_t uniform(uint64_t bound) {
    if (bound == 0) return 0;
    const uint64_t threshold = -bound % bound;  // 2^64 mod bound: the biased low values to skip
    for (;;) {
      const uint64_t r = next();
      if (r >= threshold) return r % bound;
    }
  }

  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Advances a splitmix64 state and returns its output.
  static uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4];
};

// A seed for stream number `stream` (a worker, a feeder) of a run seeded with `seed`: well apart for every
// pair, where seed + stream * constant could reproduce the splitmix64 sequence of another stream shifted by
// one.
inline uint64_t derive_seed(uint64_t seed, uint64_t stream) {
  uint64_t x = seed;
  x = Rng::splitmix64(x) ^ (stream * 0xd1b54a32d192ed03ULL);
  return Rng::splitmix64(x);
}

}  // namespace surge::templating
