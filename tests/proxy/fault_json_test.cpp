// Fault specs from the control API's JSON (exact fields, exact error text), their rendering back, and the
// seeded per-connection choice.
#include "proxy/fault_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace surge::proxy {
namespace {

using std::chrono::milliseconds;

std::string error_of(std::string_view json) {
  auto parsed = parse_fault_json(json);
  return parsed ? "(parsed)" : parsed.error().message;
}

TEST(FaultJson, ReadsALatencyFaultWithEveryField) {
  auto spec = parse_fault_json(
      R"({"kind":"latency","latency":"100ms","jitter":"10ms","fraction":0.5,"direction":"downstream","for":"5s"})");
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  EXPECT_EQ(spec->kind, FaultKind::kLatency);
  EXPECT_EQ(spec->latency, milliseconds(100));
  EXPECT_EQ(spec->jitter, milliseconds(10));
  EXPECT_EQ(spec->fraction, 0.5);
  EXPECT_EQ(spec->direction, Direction::kDownstream);
  EXPECT_EQ(spec->duration, milliseconds(5000));
}

TEST(FaultJson, ReadsTheFieldsOfEachOtherKind) {
  auto bandwidth = parse_fault_json(R"({"kind":"bandwidth","bytes_per_s":65536})");
  ASSERT_TRUE(bandwidth.has_value());
  EXPECT_EQ(bandwidth->bytes_per_s, 65536u);
  auto partition = parse_fault_json(R"({"kind":"partition","on_end":"drop","for":"3s"})");
  ASSERT_TRUE(partition.has_value());
  EXPECT_EQ(partition->on_end, OnEnd::kDrop);
  auto slow_close = parse_fault_json(R"({"kind":"slow_close","delay":"2s"})");
  ASSERT_TRUE(slow_close.has_value());
  EXPECT_EQ(slow_close->close_delay, milliseconds(2000));
  auto refuse = parse_fault_json(R"({"kind":"refuse"})");
  ASSERT_TRUE(refuse.has_value());
  EXPECT_EQ(refuse->kind, FaultKind::kRefuse);
  EXPECT_EQ(refuse->duration.count(), 0);
}

TEST(FaultJson, RejectsMalformedJsonWithTheParsersPosition) {
  EXPECT_EQ(error_of(R"({"kind":"latency",})"),
            "invalid JSON: [json.exception.parse_error.101] parse error at line 1, column 19: syntax error while "
            "parsing object key - unexpected '}'; expected string literal");
}

TEST(FaultJson, RejectsAnUnknownKindNamingTheKnownOnes) {
  EXPECT_EQ(error_of(R"({"kind":"latancy"})"),
            "unknown fault kind \"latancy\": expected one of latency, bandwidth, partition, reset, close_new, "
            "refuse, slow_close");
}

TEST(FaultJson, RejectsAFieldTheKindDoesNotTakeListingThoseItDoes) {
  EXPECT_EQ(error_of(R"({"kind":"bandwidth","bytes_per_s":1000,"jitter":"5ms"})"),
            "field \"jitter\" does not apply to a bandwidth fault; it takes: kind, fraction, direction, for, "
            "bytes_per_s");
  EXPECT_EQ(error_of(R"({"kind":"reset","for":"1s"})"),
            "field \"for\" does not apply to a reset fault; it takes: kind, fraction");
}

TEST(FaultJson, RejectsValuesOfTheWrongTypeOrRange) {
  EXPECT_EQ(error_of(R"({"kind":"latency","latency":100})"),
            "field \"latency\": expected a duration string like \"100ms\"");
  EXPECT_EQ(error_of(R"({"kind":"latency","latency":"100"})"),
            "field \"latency\": invalid duration \"100\": expected a number with a unit ns, us, ms, s, m or h, "
            "like 10s or 1m30s");
  EXPECT_EQ(error_of(R"({"kind":"latency","latency":"1ms","fraction":1.5})"),
            "invalid latency fault: fraction 1.5 is outside 0..1");
  EXPECT_EQ(error_of(R"({"kind":"bandwidth","bytes_per_s":-5})"),
            "field \"bytes_per_s\": expected a whole number of bytes per second");
  EXPECT_EQ(error_of(R"({"kind":"partition","on_end":"later"})"),
            "field \"on_end\": expected \"release\" or \"drop\"");
  EXPECT_EQ(error_of(R"({"kind":"latency","direction":"sideways","latency":"1ms"})"),
            "field \"direction\": expected \"both\", \"upstream\" or \"downstream\"");
}

TEST(FaultJson, RejectsAFaultWithoutItsEssentialValue) {
  EXPECT_EQ(error_of(R"({"kind":"latency"})"), "invalid latency fault: expected \"latency\" and/or \"jitter\" above 0");
  EXPECT_EQ(error_of(R"({"kind":"bandwidth"})"), "invalid bandwidth fault: expected \"bytes_per_s\" above 0");
  EXPECT_EQ(error_of(R"({"kind":"slow_close"})"), "invalid slow_close fault: expected \"delay\" above 0");
  EXPECT_EQ(error_of(R"({"latency":"1ms"})"), "missing field \"kind\"");
  EXPECT_EQ(error_of(R"(["latency"])"), "expected a JSON object like {\"kind\":\"latency\",\"latency\":\"100ms\"}");
}

TEST(FaultJson, WritesAFaultWithItsDefaultsAndCounters) {
  FaultInfo info;
  info.id = 7;
  info.spec = *parse_fault_json(R"({"kind":"latency","latency":"1500us","for":"2s"})");
  info.remaining = milliseconds(1250);
  info.connections_affected = 3;
  EXPECT_EQ(fault_to_json(info),
            R"({"id":7,"kind":"latency","fraction":1.0,"direction":"both","for":"2s","latency":"1500us",)"
            R"("jitter":"0","remaining_ms":1250.0,"connections_affected":3})");
}

TEST(FaultJson, FormatsDurationsExactlyInTheLargestUnitThatDividesThem) {
  EXPECT_EQ(format_duration(milliseconds(5000)), "5s");
  EXPECT_EQ(format_duration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(format_duration(std::chrono::microseconds(250)), "250us");
  EXPECT_EQ(format_duration(std::chrono::nanoseconds(7)), "7ns");
  EXPECT_EQ(format_duration(std::chrono::nanoseconds(0)), "0");
}

TEST(FaultChoice, IsTheSameForTheSameSeedAndDiffersAcrossSeeds) {
  int same = 0, differs = 0;
  for (uint64_t connection = 0; connection < 1000; ++connection) {
    same += is_selected(42, 3, connection, 0.5) == is_selected(42, 3, connection, 0.5);
    differs += is_selected(42, 3, connection, 0.5) != is_selected(43, 3, connection, 0.5);
  }
  EXPECT_EQ(same, 1000);
  EXPECT_GT(differs, 400) << "another seed picks another, unrelated set";
}

TEST(FaultChoice, PicksTheFractionOfConnections) {
  int picked = 0;
  for (uint64_t connection = 0; connection < 100000; ++connection) picked += is_selected(1, 1, connection, 0.25);
  EXPECT_NEAR(picked, 25000, 600);  // binomial σ ≈ 137
  EXPECT_FALSE(is_selected(1, 1, 5, 0.0));
  EXPECT_TRUE(is_selected(1, 1, 5, 1.0));
}

}  // namespace
}  // namespace surge::proxy
