// The run's rows, one per second, kept on disk rather than in memory: a row held as a struct cost about 5 kB
// (its latency histogram, and the counters of every step that ended a request in it), so keeping them all
// made the coordinator grow 5.2 kB per second of run (440 MiB a day for the soak plan of
// docs/performance.md); encoded, a row of that plan takes 1.3 kB of the file. Each appended row is encoded
// into an unlinked temporary file (under $TMPDIR, else /tmp) and read back, one at a time, by whoever walks
// the series (the outputs, target and recovery figures). When no such file can be made or written (a full
// disk), the rows from then on stay in memory, encoded: a run never loses its time series.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "results/second_row.h"

namespace surge::results {

class TimeSeries {
 public:
  TimeSeries() = default;
  TimeSeries(std::initializer_list<SecondRow> rows);
  TimeSeries(TimeSeries&&) noexcept;
  TimeSeries& operator=(TimeSeries&&) noexcept;
  TimeSeries(const TimeSeries&) = delete;
  TimeSeries& operator=(const TimeSeries&) = delete;
  ~TimeSeries();

  void push_back(const SecondRow& row);
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Bytes of encoded rows held in memory (not yet written to the file, or kept because it failed).
  size_t bytes_in_memory() const { return tail_.size(); }
  bool is_on_disk() const { return fd_ >= 0 && !file_failed_; }

  // Walks the rows in order; the row it points at lives until the iterator moves (copy it to keep it).
  class const_iterator {
   public:
    using value_type = SecondRow;
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }
    const SecondRow& operator*() const { return row_; }
    const SecondRow* operator->() const { return &row_; }
    const_iterator& operator++();

   private:
    friend class TimeSeries;
    const_iterator(const TimeSeries* series, size_t index);
    bool fill(size_t bytes);  // makes the buffer hold at least bytes unread bytes; false at the end
    bool load();              // decodes the next row into row_
    void stop_unreadable();   // says on stderr that the rest cannot be read, and ends the walk

    const TimeSeries* series_;
    size_t index_;
    uint64_t next_offset_ = 0;  // of the series' bytes (the file's, then the memory's) after the buffer
    std::string buffer_;
    size_t read_ = 0;  // of buffer_
    SecondRow row_;
  };
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, count_); }

 private:
  void flush();

  int fd_ = -1;               // the unlinked file; -1 until the first row, or when none could be made
  bool file_failed_ = false;  // a write failed: every row from then on stays in tail_
  uint64_t file_bytes_ = 0;   // rows written to the file
  std::string tail_;          // rows encoded after those
  size_t count_ = 0;
};

// A row's compact encoding (varints; counters by error kind only where non-zero), and back. decode returns
// false on bytes no encode made.
void encode_second_row(const SecondRow& row, std::string& out);
bool decode_second_row(std::string_view in, SecondRow& row);

}  // namespace surge::results
