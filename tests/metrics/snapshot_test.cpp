// Snapshot frames: what a worker encodes is exactly what the coordinator decodes, and corrupt frames are
// rejected with a message instead of being read past their end.
#include "metrics/snapshot.h"

#include <gtest/gtest.h>

namespace surge::metrics {
namespace {

Snapshot sample_snapshot() {
  Snapshot snapshot(2, 3);
  snapshot.worker = 1;
  snapshot.sequence = 7;
  snapshot.phase = 1;
  snapshot.active_users = 40;
  snapshot.open_connections = 38;
  snapshot.max_open_connections = 41;
  snapshot.iterations = 900;
  RequestStats& cell = snapshot.grid.cell(1, 2);
  cell.ok = 10;
  cell.by_error[size_t(ErrorKind::kTimeout)] = 2;
  cell.by_status[200] = 10;
  cell.by_status[503] = 1;
  cell.bytes_sent = 1234;
  cell.bytes_received = 5678;
  cell.body_bytes_received = 4000;
  for (int i = 1; i <= 10; ++i) {
    cell.latency.record(i * 1'000'000);
    cell.service_time.record(i * 900'000);
  }
  snapshot.grid.connections(1).record_open(7'000'000'000, 150'000);
  snapshot.grid.connections(1).record_open(7'500'000'000, 250'000);
  snapshot.grid.connections(1).opened = 5;
  snapshot.grid.connections(1).failed = 1;
  snapshot.grid.dropped_iterations(1) = 3;
  snapshot.grid.interrupted_iterations(1) = 4;
  return snapshot;
}

TEST(Snapshot, RoundTripsEveryFieldExactly) {
  Snapshot original = sample_snapshot();
  std::string frame;
  encode_frame(original, frame);
  Snapshot decoded(2, 3);
  ASSERT_TRUE(decode_frame(std::string_view(frame).substr(4), decoded));
  EXPECT_EQ(decoded.worker, 1u);
  EXPECT_EQ(decoded.sequence, 7u);
  EXPECT_EQ(decoded.phase, 1u);
  EXPECT_EQ(decoded.max_open_connections, 41u);
  EXPECT_EQ(decoded.iterations, 900u);
  const RequestStats& cell = decoded.grid.cell(1, 2);
  EXPECT_EQ(cell.ok, 10u);
  EXPECT_EQ(cell.errors(), 2u);
  EXPECT_EQ(cell.by_status[503], 1u);
  EXPECT_EQ(cell.body_bytes_received, 4000u);
  EXPECT_TRUE(cell.latency == original.grid.cell(1, 2).latency);
  EXPECT_TRUE(cell.service_time == original.grid.cell(1, 2).service_time);
  EXPECT_EQ(decoded.grid.connections(1).opened, 5u);
  EXPECT_EQ(decoded.grid.connections(1).first_open_ns, 7'000'000'000);
  EXPECT_EQ(decoded.grid.connections(1).last_open_ns, 7'500'000'000);
  EXPECT_TRUE(decoded.grid.connections(1).connect_time == original.grid.connections(1).connect_time);
  EXPECT_EQ(decoded.grid.connections(1).connect_time.count(), 2u);
  EXPECT_EQ(decoded.grid.dropped_iterations(1), 3u);
  EXPECT_EQ(decoded.grid.interrupted_iterations(1), 4u);
  EXPECT_EQ(decoded.grid.interrupted_iterations(0), 0u);
  EXPECT_EQ(decoded.grid.dropped_iterations(0), 0u);
  EXPECT_TRUE(decoded.grid.cell(0, 0).empty());
}

TEST(Snapshot, FrameLengthPrefixCountsTheBody) {
  std::string frame;
  encode_frame(sample_snapshot(), frame);
  uint32_t length = 0;
  for (int i = 0; i < 4; ++i) length |= uint32_t(uint8_t(frame[i])) << (8 * i);
  EXPECT_EQ(length, frame.size() - 4);
}

TEST(Snapshot, EveryTruncationIsRejected) {
  std::string frame;
  encode_frame(sample_snapshot(), frame);
  std::string_view body = std::string_view(frame).substr(4);
  for (size_t length = 0; length < body.size(); ++length) {
    Snapshot decoded(2, 3);
    EXPECT_FALSE(decode_frame(body.substr(0, length), decoded)) << "length " << length;
  }
}

TEST(StatsGrid, AddingGridsAddsCountsAndHistograms) {
  Snapshot a = sample_snapshot(), b = sample_snapshot();
  a.grid.add(b.grid);
  EXPECT_EQ(a.grid.cell(1, 2).ok, 20u);
  EXPECT_EQ(a.grid.cell(1, 2).latency.count(), 20u);
  EXPECT_EQ(a.grid.total().total(), 24u);
  EXPECT_EQ(a.grid.phase_total(1).by_status[200], 20u);
  EXPECT_EQ(a.grid.step_total(2).bytes_sent, 2468u);
  EXPECT_EQ(a.grid.connections_total().opened, 10u);
  EXPECT_EQ(a.grid.connections_total().connect_time.count(), 4u);
  EXPECT_EQ(a.grid.interrupted_iterations(1), 8u);
}

TEST(StatsGrid, ResetClearsConnectionsAndInterruptedIterations) {
  Snapshot snapshot = sample_snapshot();
  snapshot.grid.reset();
  EXPECT_EQ(snapshot.grid.connections(1).opened, 0u);
  EXPECT_TRUE(snapshot.grid.connections(1).connect_time.empty());
  EXPECT_EQ(snapshot.grid.connections(1).first_open_ns, 0);
  EXPECT_EQ(snapshot.grid.interrupted_iterations(1), 0u);
}

}  // namespace
}  // namespace surge::metrics
