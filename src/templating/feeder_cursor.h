// Which feeder row a worker hands to its next iteration: sequential, random or unique, split across the
// worker processes without talking to each other (each worker takes its own stride of the file).
#pragma once

#include <cstdint>
#include <span>

#include "templating/csv.h"
#include "templating/rng.h"

namespace surge::templating {

enum class Order {
  kSequential,  // in file order, wrapping at the end
  kRandom,      // uniformly at random, with replacement (never runs out)
  kUnique,      // each row once across all workers, then nothing (or start over with recycle)
};

class FeederCursor {
 public:
  // rows: the table's rows (FeederTable::rows), kept alive by the caller. Worker w of `workers` (w < workers)
  // takes rows w, w + workers, w + 2 * workers, ...: sequential wraps modulo the row count, so the workers
  // together walk the file in order as long as they go at one pace; unique stops at the end of the file
  // unless recycle. Random draws from an Rng seeded with derive_seed(seed, worker): the same seed gives the
  // same rows.
  FeederCursor(std::span<const Row> rows, Order order, bool recycle, uint32_t worker, uint32_t workers,
               uint64_t seed);

  // The next row, or nullptr when a unique feeder without recycle has given this worker all its rows (also
  // when there are no rows, or fewer rows than this worker's index). Never allocates.
  const Row* next();

 private:
  std::span<const Row> rows_;
  Order order_;
  bool recycle_;
  uint64_t first_;   // this worker's first row (its index)
  uint64_t stride_;  // the number of workers
  uint64_t position_;
  Rng rng_;
};

}  // namespace surge::templating
