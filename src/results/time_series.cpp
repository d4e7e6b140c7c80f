// TimeSeries: rows appended to an unlinked temporary file, read back in order (see time_series.h).
#include "results/time_series.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "metrics/varint.h"

namespace surge::results {
namespace {

// Rows are written in pieces of this size (about 25 seconds of a large plan); reads go in the same pieces.
constexpr size_t kPieceBytes = 64 * 1024;

// An unlinked file in $TMPDIR (else /tmp): nothing is left behind however the run ends.
int open_spool() {
  const char* dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = "/tmp";
  int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string path = std::string(dir) + "/surge-timeseries-XXXXXX";  // file systems without O_TMPFILE
  fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd >= 0) unlink(path.c_str());
  return fd;
}

}  // namespace

TimeSeries::TimeSeries(std::initializer_list<SecondRow> rows) {
  for (const SecondRow& row : rows) push_back(row);
}

TimeSeries::TimeSeries(TimeSeries&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      file_failed_(other.file_failed_),
      file_bytes_(std::exchange(other.file_bytes_, 0)),
      tail_(std::move(other.tail_)),
      count_(std::exchange(other.count_, 0)) {
  other.tail_.clear();
}

TimeSeries& TimeSeries::operator=(TimeSeries&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    file_failed_ = other.file_failed_;
    file_bytes_ = std::exchange(other.file_bytes_, 0);
    tail_ = std::move(other.tail_);
    other.tail_.clear();
    count_ = std::exchange(other.count_, 0);
  }
  return *this;
}

TimeSeries::~TimeSeries() {
  if (fd_ >= 0) close(fd_);
}

void TimeSeries::push_back(const SecondRow& row) {
  if (fd_ < 0 && !file_failed_) {
    fd_ = open_spool();
    file_failed_ = fd_ < 0;
  }
  std::string record;
  encode_second_row(row, record);
  metrics::put_varint(tail_, record.size());
  tail_ += record;
  ++count_;
  if (tail_.size() >= kPieceBytes) flush();
}

void TimeSeries::flush() {
  if (fd_ < 0 || file_failed_) return;
  size_t done = 0;
  while (done < tail_.size()) {
    const ssize_t n =
        pwrite(fd_, tail_.data() + done, tail_.size() - done, static_cast<off_t>(file_bytes_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      file_failed_ = true;  // what reached the file stays readable; the rest, and every later row, stays here
      break;
    }
    done += static_cast<size_t>(n);
  }
  file_bytes_ += done;
  tail_.erase(0, done);
}

TimeSeries::const_iterator::const_iterator(const TimeSeries* series, size_t index)
    : series_(series), index_(index) {
  if (index_ < series_->count_ && !load()) stop_unreadable();
}

bool TimeSeries::const_iterator::fill(size_t bytes) {
  while (buffer_.size() - read_ < bytes) {
    buffer_.erase(0, read_);
    read_ = 0;
    const size_t want = std::max(kPieceBytes, bytes - buffer_.size());
    if (next_offset_ < series_->file_bytes_) {
      const size_t piece = static_cast<size_t>(std::min<uint64_t>(want, series_->file_bytes_ - next_offset_));
      const size_t had = buffer_.size();
      buffer_.resize(had + piece);
      const ssize_t n = pread(series_->fd_, buffer_.data() + had, piece, static_cast<off_t>(next_offset_));
      if (n <= 0) {
        if (n < 0 && errno == EINTR) {
          buffer_.resize(had);
          continue;
        }
        buffer_.resize(had);
        return false;
      }
      buffer_.resize(had + static_cast<size_t>(n));
      next_offset_ += static_cast<uint64_t>(n);
    } else {
      const size_t at = static_cast<size_t>(next_offset_ - series_->file_bytes_);
      if (at >= series_->tail_.size()) return false;
      const size_t piece = std::min(want, series_->tail_.size() - at);
      buffer_.append(series_->tail_, at, piece);
      next_offset_ += piece;
    }
  }
  return true;
}

bool TimeSeries::const_iterator::load() {
  (void)fill(10);  // a varint's most bytes; the last record's length may be shorter than that with its row
  std::string_view unread(buffer_.data() + read_, buffer_.size() - read_);
  const size_t before = unread.size();
  uint64_t size = 0;
  if (!metrics::get_varint(unread, size)) return false;
  read_ += before - unread.size();
  if (!fill(static_cast<size_t>(size))) return false;
  const bool decoded =
      decode_second_row(std::string_view(buffer_.data() + read_, static_cast<size_t>(size)), row_);
  read_ += static_cast<size_t>(size);
  return decoded;
}

// A row that cannot be read back (a read error of the file, or bytes changed under us) ends the walk there,
// and says so: the outputs would miss the rows after it.
TimeSeries::const_iterator& TimeSeries::const_iterator::operator++() {
  ++index_;
  if (index_ < series_->count_ && !load()) stop_unreadable();
  return *this;
}

void TimeSeries::const_iterator::stop_unreadable() {
  std::fprintf(stderr,
               "surge: the time series could not be read back from its temporary file after row %zu of %zu: "
               "the outputs miss the seconds after it\n",
               index_, series_->count_);
  index_ = series_->count_;
}

}  // namespace surge::results
