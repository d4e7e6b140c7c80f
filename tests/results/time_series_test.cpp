// TimeSeries: rows go to an unlinked file and come back in order, every field intact; when no file can be
// made or written, they stay in memory and still come back, all of them.
#include "results/time_series.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <string>
#include <vector>

namespace surge::results {
namespace {

SecondRow full_row(uint64_t second) {
  SecondRow row;
  row.second = second;
  row.phase = "ramp-" + std::to_string(second % 3);
  row.requests = 1000 + second;
  row.ok = 990 + second;
  row.errors = 10;
  row.by_error[2] = 7;
  row.by_error[metrics::kErrorKindCount - 1] = 3;
  row.active_users = 50;
  row.open_connections = 49;
  row.latency = SecondLatency{0.25, 0.5, 0.75, 1.5, 1234.5678};
  row.latency_encoded = std::string(1500 + second % 700, static_cast<char>(second));  // opaque bytes
  row.latency_encoded[0] = '\0';
  for (size_t step = 0; step < 3; ++step) {
    StepSecond entry{step, 10 * step, 9 * step, step, {}, std::nullopt};
    entry.by_error[step] = step;
    if (step != 1)
      entry.latency = SecondLatency{1.0 * step, 2.0, 3.0, 4.0, 5.0 + static_cast<double>(second)};
    row.steps.push_back(entry);
  }
  if (second % 2 == 0) row.target = TargetSample{1.5 * second, 37.25, 123456789, 42, 7};
  row.outcomes.first_ok_ns = 1'000'000'000'000 + static_cast<int64_t>(second);
  row.outcomes.last_error_ns = second % 5 == 0 ? 0 : 2'000'000'000'000;
  row.outcomes.first_ok_after_error_ns = 3;
  return row;
}

void expect_same_latency(const std::optional<SecondLatency>& read,
                         const std::optional<SecondLatency>& written) {
  ASSERT_EQ(read.has_value(), written.has_value());
  if (!written) return;
  EXPECT_EQ(read->p50_ms, written->p50_ms);
  EXPECT_EQ(read->p90_ms, written->p90_ms);
  EXPECT_EQ(read->p95_ms, written->p95_ms);
  EXPECT_EQ(read->p99_ms, written->p99_ms);
  EXPECT_EQ(read->max_ms, written->max_ms);
}

void expect_same_row(const SecondRow& read, const SecondRow& written) {
  EXPECT_EQ(read.second, written.second);
  EXPECT_EQ(read.phase, written.phase);
  EXPECT_EQ(read.requests, written.requests);
  EXPECT_EQ(read.ok, written.ok);
  EXPECT_EQ(read.errors, written.errors);
  EXPECT_EQ(read.by_error, written.by_error);
  EXPECT_EQ(read.active_users, written.active_users);
  EXPECT_EQ(read.open_connections, written.open_connections);
  expect_same_latency(read.latency, written.latency);
  EXPECT_EQ(read.latency_encoded, written.latency_encoded);
  ASSERT_EQ(read.steps.size(), written.steps.size());
  for (size_t i = 0; i < written.steps.size(); ++i) {
    EXPECT_EQ(read.steps[i].step, written.steps[i].step);
    EXPECT_EQ(read.steps[i].requests, written.steps[i].requests);
    EXPECT_EQ(read.steps[i].ok, written.steps[i].ok);
    EXPECT_EQ(read.steps[i].errors, written.steps[i].errors);
    EXPECT_EQ(read.steps[i].by_error, written.steps[i].by_error);
    expect_same_latency(read.steps[i].latency, written.steps[i].latency);
  }
  ASSERT_EQ(read.target.has_value(), written.target.has_value());
  if (written.target) {
    EXPECT_EQ(read.target->cpu_s, written.target->cpu_s);
    EXPECT_EQ(read.target->cpu_percent, written.target->cpu_percent);
    EXPECT_EQ(read.target->rss_bytes, written.target->rss_bytes);
    EXPECT_EQ(read.target->open_fds, written.target->open_fds);
    EXPECT_EQ(read.target->threads, written.target->threads);
  }
  EXPECT_EQ(read.outcomes.first_ok_ns, written.outcomes.first_ok_ns);
  EXPECT_EQ(read.outcomes.last_error_ns, written.outcomes.last_error_ns);
  EXPECT_EQ(read.outcomes.first_ok_after_error_ns, written.outcomes.first_ok_after_error_ns);
}

// Reads the whole series back, checking each row against full_row of its index.
void expect_rows(const TimeSeries& series, uint64_t count) {
  EXPECT_EQ(series.size(), count);
  uint64_t second = 0;
  for (const SecondRow& row : series) {
    ++second;
    expect_same_row(row, full_row(second));
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_EQ(second, count);
}

TEST(TimeSeries, GivesBackEveryRowInOrderWithEveryField) {
  TimeSeries series;
  for (uint64_t second = 1; second <= 3; ++second) series.push_back(full_row(second));
  expect_rows(series, 3);
  expect_rows(series, 3);  // a second pass reads the same
}

TEST(TimeSeries, KeepsAnHoursRowsOnDiskNotInMemory) {
  TimeSeries series;
  for (uint64_t second = 1; second <= 3600; ++second) series.push_back(full_row(second));
  EXPECT_TRUE(series.is_on_disk());
  EXPECT_LT(series.bytes_in_memory(), 64u * 1024) << "rows waiting to be written: at most one piece";
  expect_rows(series, 3600);
}

TEST(TimeSeries, ReadsRowsAddedAfterAPassBegan) {
  TimeSeries series;
  series.push_back(full_row(1));
  auto row = series.begin();
  for (uint64_t second = 2; second <= 200; ++second) series.push_back(full_row(second));  // several pieces
  expect_same_row(*row, full_row(1));
  expect_rows(series, 200);
}

TEST(TimeSeries, IsEmptyAndWalksNothingBeforeTheFirstRow) {
  TimeSeries series;
  EXPECT_TRUE(series.empty());
  EXPECT_TRUE(series.begin() == series.end());
}

TEST(TimeSeries, KeepsTheRowsInMemoryWhenNoFileCanBeMade) {
  const char* saved = std::getenv("TMPDIR");
  const std::string restore = saved ? saved : "";
  setenv("TMPDIR", "/nonexistent/surge-test", 1);
  TimeSeries series;
  for (uint64_t second = 1; second <= 100; ++second) series.push_back(full_row(second));
  if (saved)
    setenv("TMPDIR", restore.c_str(), 1);
  else
    unsetenv("TMPDIR");
  EXPECT_FALSE(series.is_on_disk());
  expect_rows(series, 100);
}

TEST(TimeSeries, KeepsEveryRowWhenTheFileStopsTakingThem) {
  // A file-size limit fails pwrite (EFBIG) as a full disk would, after the first pieces were written.
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = 200 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  TimeSeries series;
  for (uint64_t second = 1; second <= 400; ++second) series.push_back(full_row(second));  // ~800 kB
  setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(series.is_on_disk());
  EXPECT_GT(series.bytes_in_memory(), 400u * 1024);
  expect_rows(series, 400);
}

TEST(TimeSeries, MovesWithItsRows) {
  TimeSeries series;
  for (uint64_t second = 1; second <= 100; ++second) series.push_back(full_row(second));
  TimeSeries moved = std::move(series);
  expect_rows(moved, 100);
  TimeSeries assigned{full_row(1)};
  assigned = std::move(moved);
  expect_rows(assigned, 100);
}

TEST(SecondRowCodec, RefusesBytesCutShort) {
  std::string bytes;
  encode_second_row(full_row(2), bytes);
  SecondRow row;
  ASSERT_TRUE(decode_second_row(bytes, row));
  for (size_t cut = 0; cut < bytes.size(); cut += 97) {
    EXPECT_FALSE(decode_second_row(std::string_view(bytes).substr(0, cut), row)) << cut;
  }
}

}  // namespace
}  // namespace surge::results
