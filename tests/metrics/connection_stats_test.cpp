// ConnectionStats: each successful connect adds its handshake time and widens the [first, last] span of
// connect starts, from which the achieved connect rate follows exactly; merging keeps the widest span.
#include <gtest/gtest.h>

#include "metrics/request_stats.h"
#include "metrics/varint.h"

namespace surge::metrics {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(ConnectionStats, RecordsEachOpenWithItsConnectTime) {
  ConnectionStats stats;
  stats.record_open(10 * kSec, 200'000);
  stats.record_open(10 * kSec + 1000, 400'000);
  EXPECT_EQ(stats.opened, 2u);
  EXPECT_EQ(stats.connect_time.count(), 2u);
  EXPECT_EQ(stats.connect_time.min(), 200'000);
  EXPECT_EQ(stats.connect_time.max(), 400'000);
  EXPECT_EQ(stats.first_open_ns, 10 * kSec);
  EXPECT_EQ(stats.last_open_ns, 10 * kSec + 1000);
}

TEST(ConnectionStats, ConnectRateIsOpensBetweenTheFirstAndTheLastStart) {
  ConnectionStats stats;
  // 2,000 connects at 1,000/s: the last starts 1.999 s after the first.
  for (int64_t k = 0; k < 2000; ++k) stats.record_open(5 * kSec + k * 1'000'000, 100'000);
  EXPECT_DOUBLE_EQ(stats.connect_rate_per_s(), 1000.0);
}

TEST(ConnectionStats, ConnectRateNeedsTwoConnectsApart) {
  ConnectionStats stats;
  EXPECT_EQ(stats.connect_rate_per_s(), 0.0);
  stats.record_open(kSec, 1000);
  EXPECT_EQ(stats.connect_rate_per_s(), 0.0);
  stats.record_open(kSec, 1000);
  EXPECT_EQ(stats.connect_rate_per_s(), 0.0) << "two starts at the same ns have no rate";
}

TEST(ConnectionStats, AddingKeepsTheEarliestFirstAndTheLatestLast) {
  ConnectionStats a, b, empty;
  a.record_open(3 * kSec, 1000);
  a.record_open(4 * kSec, 1000);
  b.record_open(2 * kSec, 1000);
  b.record_open(6 * kSec, 1000);
  a.add(empty);
  EXPECT_EQ(a.first_open_ns, 3 * kSec) << "an empty side has no first";
  a.add(b);
  EXPECT_EQ(a.first_open_ns, 2 * kSec);
  EXPECT_EQ(a.last_open_ns, 6 * kSec);
  EXPECT_EQ(a.opened, 4u);
  EXPECT_EQ(a.connect_time.count(), 4u);
  EXPECT_DOUBLE_EQ(a.connect_rate_per_s(), 0.75);  // 3 intervals over 4 s
}

TEST(ConnectionStats, ATruncatedEncodingIsRejected) {
  ConnectionStats stats;
  stats.record_open(kSec, 5000);
  stats.closed = 1;
  std::string bytes;
  stats.encode(bytes);
  // Six varints (opened, failed, closed, first, last, tls_resumed) and one per error kind (failed_by_error),
  // then the connect and TLS handshake histograms, which report their own errors.
  std::string head;
  for (uint64_t field : {uint64_t{1}, uint64_t{0}, uint64_t{1}, uint64_t(kSec), uint64_t(kSec), uint64_t{0}})
    put_varint(head, field);
  for (size_t kind = 0; kind < kErrorKindCount; ++kind) put_varint(head, 0);
  for (size_t length = 0; length < bytes.size(); ++length) {
    std::string_view in(bytes.data(), length);
    ConnectionStats decoded;
    auto result = decoded.decode_into(in);
    ASSERT_FALSE(result.has_value()) << "length " << length;
    const std::string& message = result.error().message;
    if (length < head.size())
      EXPECT_EQ(message, "snapshot decode: truncated or corrupt stats");
    else
      EXPECT_EQ(message.rfind("histogram decode: ", 0), 0u) << message;
  }
  std::string_view in(bytes);
  ConnectionStats decoded;
  ASSERT_TRUE(decoded.decode_into(in).has_value());
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(decoded.closed, 1u);
  EXPECT_TRUE(decoded.connect_time == stats.connect_time);
}

TEST(ConnectionStats, HoldFailuresByKindCountInFailedAndTravelInTheSnapshot) {
  ConnectionStats stats;
  stats.record_hold_failure(ErrorKind::kBind);
  stats.record_hold_failure(ErrorKind::kBind);
  stats.record_hold_failure(ErrorKind::kAddress);
  EXPECT_EQ(stats.failed, 3u);
  std::string bytes;
  stats.encode(bytes);
  std::string_view in(bytes);
  ConnectionStats decoded;
  ASSERT_TRUE(decoded.decode_into(in).has_value());
  decoded.add(stats);
  EXPECT_EQ(decoded.failed, 6u);
  EXPECT_EQ(decoded.failed_by_error[static_cast<size_t>(ErrorKind::kBind)], 4u);
  EXPECT_EQ(decoded.failed_by_error[static_cast<size_t>(ErrorKind::kAddress)], 2u);
  decoded.reset();
  EXPECT_EQ(decoded.failed_by_error[static_cast<size_t>(ErrorKind::kBind)], 0u);
}

TEST(ConnectionStats, TlsHandshakesAndResumptionsRoundTripAndAdd) {
  ConnectionStats stats;
  stats.record_open(kSec, 5000);
  stats.record_tls_handshake(800'000, false);
  stats.record_open(2 * kSec, 5000);
  stats.record_tls_handshake(200'000, true);
  std::string bytes;
  stats.encode(bytes);
  std::string_view in(bytes);
  ConnectionStats decoded;
  ASSERT_TRUE(decoded.decode_into(in).has_value());
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(decoded.tls_resumed, 1u);
  EXPECT_TRUE(decoded.tls_handshake == stats.tls_handshake);
  decoded.add(stats);
  EXPECT_EQ(decoded.tls_handshake.count(), 4u);
  EXPECT_EQ(decoded.tls_resumed, 2u);
  decoded.reset();
  EXPECT_TRUE(decoded.tls_handshake.empty());
  EXPECT_EQ(decoded.tls_resumed, 0u);
}

}  // namespace
}  // namespace surge::metrics
